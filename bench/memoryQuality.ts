/**
 * What Council keeps from a conversation, and whether recall finds it: replays
 * the 30 scripted sessions of bench/memorySessions.ts through chat (the
 * fake model plays a good extractor, or a real Ollama with --base-url and
 * --model, which also answers, and then judges each answer: answer accuracy
 * per category, bench/judgeAnswer.ts), then prints memories per 100 messages, junk rate, duplicates,
 * superseded facts still recalled (goal 0), recall@5 per category (from each
 * answer's recorded memories) and recall p95 at 1k and 100k memories, the
 * schema and query path before migration 0009 and today's side by side
 * (bench/recallLatency.ts), on PGlite and, with --postgres, on a throwaway
 * Postgres cluster (--explain prints today's plan).
 *   npm run build && npx tsx bench/memoryQuality.ts [--base-url URL --model NAME [--judge-model NAME]] [--size 100000 | --size 0 (no latency)] [--postgres] [--explain]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Ollama } from 'ollama';
import { loadConfig } from '../core/config/index.js';
import { Council } from '../core/council.js';
import type { Database } from '../core/db/database.js';
import { openDatabase } from '../core/db/openDatabase.js';
import { rowsOf } from '../core/db/rows.js';
import { createLogger } from '../core/log.js';
import { detectPaste } from '../core/memory/extraction/detectPaste.js';
import { groundedIn } from '../core/memory/extraction/groundedIn.js';
import { normaliseMemoryText } from '../core/memory/normaliseMemoryText.js';
import { adminCaller, discordCaller } from '../core/memory/scope.js';
import { metrics } from '../core/metrics.js';
import { idsShown, scriptExtraction, startFakeOllama } from '../test/fakes/ollama/index.js';
import { startPostgresCluster } from '../test/support/postgresCluster.js';
import { memorySessions, type ScriptedMessage } from './memorySessions.js';
import { judgeAnswer } from './judgeAnswer.js';
import { explainRecall, fill, sideBySide, toLegacySchema } from './recallLatency.js';

const { values } = parseArgs({
  options: { 'base-url': { type: 'string' }, model: { type: 'string' }, 'judge-model': { type: 'string' }, size: { type: 'string', default: '100000' }, postgres: { type: 'boolean' }, explain: { type: 'boolean' } },
});
const real = values['base-url'] !== undefined;
const fake = real ? null : await startFakeOllama();
if (fake) {
  fake.setLatency({ ttftMs: 0, tokenMs: 0 });
  const byText = new Map<string, ScriptedMessage>();
  for (const session of memorySessions) for (const message of session.messages) byText.set(message.text, message);
  const keyText = new Map<string, string>();
  for (const session of memorySessions) for (const message of session.messages) for (const e of message.extract ?? []) keyText.set(e.key, e.text);
  const script = scriptExtraction((request) => {
    const said = request.messages.at(-1)?.content.replace(/^Message from [^:]*:\n/, '') ?? '';
    const scripted = byText.get(said);
    if (!scripted?.extract) return '{"memories": []}';
    const shown = request.messages[0]?.content ?? '';
    const ids = idsShown(request);
    return JSON.stringify({
      memories: scripted.extract.map((e) => {
        const old = e.replaces ? keyText.get(e.replaces) : undefined;
        const relatedId = old ? ids.find((id) => shown.includes(`- id ${id}: ${JSON.stringify(old)}`)) : undefined;
        return { text: e.text, kind: e.kind, relation: relatedId ? 'contradicts' : 'new', relatedId: relatedId ?? null };
      }),
    });
  });
  fake.setResponder(script.responder);
}

const dataDir = mkdtempSync(join(tmpdir(), 'council-bench-quality-'));
const config = loadConfig({ OLLAMA_BASE_URL: values['base-url'] ?? fake!.url, ...(values.model ? { MODEL_NAME: values.model } : {}), DATA_DIR: dataDir, LOG_LEVEL: 'silent', OLLAMA_RETRIES: '1' });
const council = await Council.open({ config, log: createLogger('silent') });
const judge = real ? new Ollama({ host: values['base-url']! }) : null;
const judgeModel = values['judge-model'] ?? config.MODEL_NAME;
async function extracted(count: number): Promise<void> {
  for (;;) {
    const done = (await metrics.memoryExtraction.get()).values.reduce((sum, v) => sum + v.value, 0);
    if (done >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
function keyTextOf(key: string): string {
  for (const session of memorySessions) for (const message of session.messages) for (const e of message.extract ?? []) if (e.key === key) return e.text;
  throw new Error(`no scripted memory ${key}`);
}
const callerOf = (name: string) => discordCaller({ userId: name.toLowerCase(), name, guildId: 'team', placeId: 'general' });

let messages = 0;
const said: string[] = [];
const results: Array<{ category: string; hit: boolean; stale: number; correct: boolean | null }> = [];
for (const [index, session] of memorySessions.entries()) {
  for (const message of session.messages) {
    await council.chatWithAgent('cto', message.text, { caller: callerOf(message.speaker), scope: `session-${index}` });
    messages++;
    said.push(message.text);
  }
  // Questions come after what was said has been extracted (every chat counts one extraction outcome).
  await extracted(messages);
  for (const question of session.questions) {
    const answer = await council.chatWithAgent('cto', question.text, { caller: callerOf(question.speaker), scope: `session-${index}` });
    messages++;
    said.push(question.text);
    if (!answer.messageId) throw new Error('an answer was not stored');
    const why = await council.memory.why(answer.messageId, adminCaller);
    const texts = why.memories.map((m) => m.content.toLowerCase());
    const stale = why.memories.filter((m) => m.validTo !== null).length;
    const hit = question.expect === null ? texts.length === 0 : texts.some((text) => question.expect!.every((word) => text.includes(word)));
    const correct = judge ? await judgeAnswer(judge, judgeModel, question.text, question.answer, answer.reply) : null;
    results.push({ category: question.category, hit, stale, correct });
  }
}
await council.close();
const reopened = await openDatabase({ dataDir });
const rows = rowsOf<{ content: string; kind: string; owner_id: string; visibility: string; place_id: string | null; valid_to: Date | null }>(
  await reopened.db.execute(sql`select content, kind, owner_id, visibility, place_id, valid_to from memories where agent_id = 'cto'`),
);
await reopened.close();
rmSync(dataDir, { recursive: true, force: true });

const junk = rows.filter((row) => {
  const text = row.content.replace(/^[^:]{1,60} said: /, '');
  if (row.kind === 'reference') return false;
  return detectPaste(text) !== null || !said.some((message) => groundedIn(text, message, null));
}).length;
const current = rows.filter((row) => row.valid_to === null);
const groups = new Map<string, number>();
for (const row of current) {
  const key = `${row.visibility}|${row.owner_id}|${row.place_id}|${normaliseMemoryText(row.content)}`;
  groups.set(key, (groups.get(key) ?? 0) + 1);
}
const duplicates = [...groups.values()].reduce((sum, n) => sum + n - 1, 0);

console.log(`memory quality (${real ? `Ollama ${values['base-url']} ${values.model ?? config.MODEL_NAME}` : 'fake model, scripted extraction'}), ${memorySessions.length} sessions, ${messages} messages`);
console.log(`  memories written per 100 messages  ${((rows.length / messages) * 100).toFixed(1)}  (${rows.length} rows, ${rows.filter((r) => r.kind === 'reference').length} paste references, ${rows.length - current.length} superseded)`);
console.log(`  junk rate                          ${((junk / Math.max(rows.length, 1)) * 100).toFixed(1)} %  (${junk} of ${rows.length})`);
console.log(`  duplicates among current memories  ${duplicates}`);
const contradicted = memorySessions.flatMap((session) => session.messages.flatMap((message) => (message.extract ?? []).flatMap((e) => (e.replaces ? [keyTextOf(e.replaces)] : []))));
const supersededNow = contradicted.filter((text) => rows.some((row) => row.content === text && row.valid_to !== null)).length;
console.log(`  scripted contradictions superseded ${supersededNow}/${contradicted.length}`);
console.log(`  superseded facts still recalled    ${results.reduce((sum, r) => sum + r.stale, 0)}  (goal 0)`);
for (const category of ['single', 'update', 'temporal', 'multi', 'abstention']) {
  const of = results.filter((r) => r.category === category);
  const label = category === 'abstention' ? 'abstention (nothing recalled)' : `recall@5 ${category}`;
  console.log(`  ${label.padEnd(34)} ${of.filter((r) => r.hit).length}/${of.length}`);
}
if (judge) {
  for (const category of ['single', 'update', 'temporal', 'multi', 'abstention']) {
    const of = results.filter((r) => r.category === category);
    console.log(`  ${`answer accuracy ${category}`.padEnd(34)} ${of.filter((r) => r.correct).length}/${of.length}`);
  }
  console.log(`  ${'answer accuracy overall'.padEnd(34)} ${results.filter((r) => r.correct).length}/${results.length}  (judged by ${judgeModel})`);
}

// Recall latency (full-text path, with the ranking) at 1k and at --size memories: the schema and query before 0009 and today's, side by side.
const size = Number(values.size);
async function latency(kind: string, open: (name: string) => Promise<Database>): Promise<void> {
  const legacy = await open('legacy');
  const current = await open('current');
  await toLegacySchema(legacy);
  const rows: string[] = [];
  let filled = 0;
  for (const at of [1_000, size]) {
    await Promise.all([fill(legacy, filled + 1, at), fill(current, filled + 1, at)]);
    filled = at;
    const p = await sideBySide(legacy, current);
    rows.push(`  recall p95 at ${`${at / 1000}k`.padEnd(5)} ${kind.padEnd(9)} legacy ${p.legacy.toFixed(2).padStart(6)} ms  now ${p.current.toFixed(2).padStart(6)} ms  (${(p.legacy / p.current).toFixed(1)}x faster${at === size ? '; goal < 20 ms' : ''})`);
  }
  console.log(rows.join('\n'));
  if (values.explain) console.log(`  plan at ${size / 1000}k on ${kind}, today:\n${(await explainRecall(current)).replace(/^/gm, '    ')}`);
  await legacy.close();
  await current.close();
}
const latencyDir = mkdtempSync(join(tmpdir(), 'council-bench-quality-latency-'));
if (size > 0) await latency('PGlite', (name) => openDatabase({ dataDir: join(latencyDir, name) }));
rmSync(latencyDir, { recursive: true, force: true });
if (size > 0 && values.postgres) {
  const cluster = await startPostgresCluster();
  try {
    const admin = await openDatabase({ databaseUrl: cluster.url, dataDir: latencyDir });
    await admin.db.execute(sql`create database bench_legacy`);
    await admin.db.execute(sql`create database bench_current`);
    await admin.close();
    await latency('Postgres', (name) => openDatabase({ databaseUrl: cluster.url.replace(/\/postgres$/, `/bench_${name}`), dataDir: latencyDir }));
  } finally {
    cluster.stop();
  }
}
await fake?.stop();
