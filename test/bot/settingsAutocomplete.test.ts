import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeDiscord, RecordedCall } from '../fakes/discord/index.js';
import { startBotHarness, type BotHarness } from '../support/botHarness.js';
import { waitFor } from '../support/waitFor.js';

// /council settings suggests values as people type them, from what the process knows, within Discord's 3 s.
let harness: BotHarness;
let discord: FakeDiscord;
let folder: string;
const starts = (server: string) => readFileSync(join(folder, `${server}.starts`), 'utf8').length;
/** A stdio "server" that notes each start, then exits (broken) or never answers (slow). */
const counted = (server: string, then: string) => ({ command: process.execPath, args: ['-e', `require('fs').appendFileSync(${JSON.stringify(join(folder, `${server}.starts`))}, 'x'); ${then}`] });

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'council-settings-autocomplete-'));
  writeFileSync(join(folder, 'lookup.txt'), 'Looks a topic up in the team wiki.');
  for (const server of ['broken', 'slow']) writeFileSync(join(folder, `${server}.starts`), '');
  const mcpServers = {
    team: { command: process.execPath, args: [join(process.cwd(), 'test/fakes/mcp/teamServer.mjs')], env: { TOOL_DESCRIPTION_FILE: join(folder, 'lookup.txt') } },
    broken: counted('broken', 'process.exit(1)'),
    slow: counted('slow', 'setInterval(() => {}, 1 << 30)'),
  };
  writeFileSync(join(folder, 'mcp.json'), JSON.stringify({ mcpServers }));
  harness = await startBotHarness({
    ollama: { models: ['llama3.2', 'qwen3:14b', { name: 'nomic-embed-text', kind: 'embedding' }] },
    env: { MCP_CONFIG: join(folder, 'mcp.json'), TOOL_MAX_MS: '4000' },
  });
  discord = harness.discord;
}, 120_000);
afterAll(async () => {
  await harness?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The callback Discord received for an autocomplete of `value` typed for `key` in /council settings set. */
async function suggest(key: string, value: string): Promise<RecordedCall> {
  const { token } = discord.sendAutocomplete({
    name: 'council',
    options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: key }, { name: 'value', type: 3, value, focused: true }] }] }],
  });
  return discord.waitFor((c) => c.path.includes(`${token}/callback`), 10_000);
}
const choices = (call: RecordedCall) => (call.body.data as { choices: Array<{ name: string; value: string }> }).choices;

describe('/council settings set: value suggestions', () => {
  it('tools: the built-in tools and the MCP servers\' tools, answered in time while one server hangs and one fails; a list completes its last item', async () => {
    const answers: RecordedCall[] = [];
    // The team server may still be starting at the first suggestion: the built-ins are offered meanwhile.
    await waitFor('the team server\'s tool among the suggestions', async () => {
      const call = await suggest('tools', '');
      answers.push(call);
      return choices(call).some((c) => c.value === 'team.lookup');
    }, 30_000);
    // Every answer was taken: Discord refuses one later than 3 s (10062) or with bad choices (50035).
    expect(answers.map((call) => call.status)).toEqual(answers.map(() => 204));
    const all = choices(answers.at(-1)!).map((c) => c.value);
    expect(all).toEqual(expect.arrayContaining(['council.search_decisions', 'council.search_meetings', 'team.lookup']));
    expect(all.indexOf('council.search_decisions')).toBeLessThan(all.indexOf('team.lookup'));
    expect(all.filter((name) => /^(broken|slow)\./.test(name))).toEqual([]);

    expect(choices(await suggest('tools', 'council.search_decisions, LOOK'))).toEqual([{ name: 'council.search_decisions, team.lookup', value: 'council.search_decisions, team.lookup' }]);
    expect(choices(await suggest('tools', 'team.lookup,council.search_dec')).map((c) => c.value)).toEqual(['team.lookup, council.search_decisions']);
    expect(choices(await suggest('tools', 'nothing.like.this'))).toEqual([]);

    // Each server was started once: the hanging one is waited for by no suggestion, the failed one not started again for one.
    await waitFor('the broken and the slow server to have been started', () => starts('broken') === 1 && starts('slow') === 1);
    for (let i = 0; i < 3; i++) expect((await suggest('tools', 'te')).status).toBe(204);
    expect(starts('broken')).toBe(1);
    expect(starts('slow')).toBe(1);

    // A value allowed from a suggestion is taken as typed.
    const set = discord.sendSlashCommand({ name: 'council', options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'tools' }, { name: 'value', type: 3, value: 'council.search_decisions, team.lookup' }] }] }] });
    const done = await discord.waitFor((c) => c.method === 'PATCH' && c.path.endsWith(`${set.token}/messages/@original`), 20_000);
    expect(String(done.body.content)).toContain('Set **tools** on this channel');
    expect(String(done.body.content)).toContain('`team.lookup`');
  });

  it('other keys with known values: approval modes, colleagues as a list, a model per colleague', async () => {
    expect(choices(await suggest('toolApproval', 'req')).map((c) => c.value)).toEqual(['requester']);
    expect(choices(await suggest('colleagues', 'cto, qa')).map((c) => c.value)).toEqual(['cto, qa_engineer']);
    // Space-separated works too, and a colleague already listed is not offered again.
    const participants = choices(await suggest('meetingParticipants', 'cto qa_engineer ct')).map((c) => c.value);
    expect(participants).toContain('cto qa_engineer cloud_architect');
    expect(participants.filter((value) => !value.startsWith('cto qa_engineer ') || /(cto|qa_engineer)$/.test(value))).toEqual([]);
    expect(choices(await suggest('models', 'cto=llama3.2, qa_engineer=qw')).map((c) => c.value)).toEqual(['cto=llama3.2, qa_engineer=qwen3:14b']);
    const many = choices(await suggest('models', ''));
    expect(many).toHaveLength(25);
    expect(choices(await suggest('allowRoles', '12'))).toEqual([]);
  });

  it('roles and members: the server\'s roles (not @everyone, not the bot\'s own) and the members the bot has seen, completed as mentions', async () => {
    const engineers = discord.addRole('Engineers');
    const sre = discord.addRole('Site Reliability');
    await waitFor('the roles to reach the bot', async () => choices(await suggest('allowRoles', '')).length === 2);
    expect(choices(await suggest('allowRoles', 'eng'))).toEqual([{ name: '@Engineers', value: `<@&${engineers}>` }]);
    expect(choices(await suggest('blockRoles', `<@&${engineers}>, s`))).toEqual([{ name: `<@&${engineers}>, @Site Reliability`, value: `<@&${engineers}>, <@&${sre}>` }]);
    // A member is known once the bot has seen them: Zelda is not, until she speaks.
    const zelda = discord.user('Zelda');
    expect(choices(await suggest('allowUsers', 'zel'))).toEqual([]);
    discord.sendMessage({ content: 'hello all', author: zelda });
    await waitFor('Zelda among the suggestions', async () => choices(await suggest('allowUsers', 'zel')).some((c) => c.value === `<@${zelda.id}>`));
    // Taken as typed: the mentions are read as ids.
    const set = discord.sendSlashCommand({ name: 'council', options: [{ name: 'settings', type: 2, options: [{ name: 'set', type: 1, options: [{ name: 'key', type: 3, value: 'allowRoles' }, { name: 'value', type: 3, value: `<@&${engineers}>, <@&${sre}>` }] }] }] });
    const done = await discord.waitFor((c) => c.path.includes(`${set.token}/callback`) || (c.method === 'PATCH' && c.path.endsWith(`${set.token}/messages/@original`)), 20_000);
    expect(JSON.stringify(done.body)).toContain('Set **allowRoles** on this channel');
  });
});
