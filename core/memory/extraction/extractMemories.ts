import type { Caller } from '../scope.js';
import { memoryScopeForChat } from '../scope.js';
import { judgeMemory } from '../judgeMemory.js';
import type { MemoryKind, MemoryStore } from '../memoryStore.js';
import type { LlmClient } from '../../llm/llmClient.js';
import { backgroundLane } from '../../llm/fairLimiter.js';
import { exportAtZero, metrics } from '../../metrics.js';
import { buildExtractionPrompt } from './buildExtractionPrompt.js';
import { detectPaste } from './detectPaste.js';
import { extractionFormat } from './extractionSchema.js';
import { groundedIn } from './groundedIn.js';
import { parseExpiry } from './parseExpiry.js';
import { parseExtraction } from './parseExtraction.js';

/** council_memory_extraction_total{outcome}: empty, invalid and failed fell back to the rules. */
export const extractionOutcomes = ['extracted', 'empty', 'invalid', 'failed', 'paste'] as const;
export type ExtractionOutcome = (typeof extractionOutcomes)[number];
exportAtZero(metrics.memoryExtraction, { outcome: extractionOutcomes });

export interface ExtractionInput {
  agentId: string;
  caller: Caller;
  /** Only the person's own message: never the reply, recalled notes or a system prompt. */
  message: string;
  /** The stored user message it came from. */
  sourceMessageId: string | null;
}

export interface ExtractionDeps {
  llm: Pick<LlmClient, 'chat'>;
  memories: MemoryStore;
  /** An embedding for a memory's text, or null (recall then uses full text). */
  embed: (text: string) => Promise<number[] | null>;
  embedModel: string;
}

export interface ExtractionReport {
  outcome: ExtractionOutcome;
  /** Ids of memories written or repeated. */
  ids: string[];
  superseded: string[];
}

/**
 * Turns what a person said into memories, after the answer went out: a paste
 * becomes a reference (who, where, when, a title, a hash); anything else goes
 * to the model with structured output and the most similar memories of the
 * same scopes, and each memory it returns is stored new, merged into the one
 * it repeats, or stored and made to supersede the one it updates or
 * contradicts. A memory not grounded in the person's words is dropped. Empty,
 * invalid or failed model output falls back to the rules (judgeMemory).
 */
export async function extractMemories(deps: ExtractionDeps, input: ExtractionInput): Promise<ExtractionReport> {
  const report = await run(deps, input);
  metrics.memoryExtraction.inc({ outcome: report.outcome });
  return report;
}

async function run(deps: ExtractionDeps, input: ExtractionInput): Promise<ExtractionReport> {
  const { caller } = input;
  const paste = detectPaste(input.message);
  if (paste) {
    const where = caller.placeId ? ' in this channel' : '';
    const id = await store(deps, input, {
      content: `${caller.name ?? 'Someone'} pasted ${paste.what === 'code' ? 'code' : paste.what === 'log' ? 'a log' : 'a document'}${where}: "${paste.title}" (sha256 ${paste.hash.slice(0, 16)})`,
      kind: 'reference',
      importance: 0.2,
      subject: paste.title,
    });
    return { outcome: 'paste', ids: [id], superseded: [] };
  }
  const scopes = [memoryScopeForChat(caller, 'fact'), memoryScopeForChat(caller, 'preference')];
  const existing = (await Promise.all(scopes.map((scope) => deps.memories.similarInScope(input.agentId, scope, input.message, 5)))).flat();
  let raw: string;
  try {
    raw = (await deps.llm.chat({ messages: buildExtractionPrompt({ speaker: caller.name, message: input.message, existing }), format: extractionFormat, temperature: 0, lane: backgroundLane(`memory:${caller.ownerId}`), kind: 'summary' })).content;
  } catch {
    return fallBack(deps, input, 'failed');
  }
  const parsed = parseExtraction(raw, new Set(existing.map((memory) => memory.id)));
  if (parsed.outcome !== 'extracted') return fallBack(deps, input, parsed.outcome);
  const kept = parsed.memories.filter((memory) => groundedIn(memory.text, input.message, caller.name));
  if (kept.length === 0) return fallBack(deps, input, 'empty');
  const report: ExtractionReport = { outcome: 'extracted', ids: [], superseded: [] };
  for (const memory of kept) {
    if (memory.relation === 'repeats' && memory.relatedId) {
      await deps.memories.seen(memory.relatedId);
      report.ids.push(memory.relatedId);
      continue;
    }
    const kind: MemoryKind = memory.kind;
    const id = await store(deps, input, { content: memory.text, kind, importance: memory.importance ?? defaultImportance[memory.kind], subject: memory.subject ?? caller.name });
    report.ids.push(id);
    if ((memory.relation === 'updates' || memory.relation === 'contradicts') && memory.relatedId && (await deps.memories.supersede(memory.relatedId, id))) report.superseded.push(memory.relatedId);
  }
  return report;
}

const defaultImportance = { fact: 0.6, preference: 0.7, decision: 0.8, person: 0.6 } as const;

/** Today's rules, for when the model gives nothing usable. */
async function fallBack(deps: ExtractionDeps, input: ExtractionInput, outcome: 'empty' | 'invalid' | 'failed'): Promise<ExtractionReport> {
  const judgement = judgeMemory(input.message);
  if (!judgement) return { outcome, ids: [], superseded: [] };
  const id = await store(deps, input, { content: `${input.caller.name ?? 'The person'} said: ${input.message}`, kind: judgement.kind, importance: judgement.importance, subject: input.caller.name });
  return { outcome, ids: [id], superseded: [] };
}

async function store(deps: ExtractionDeps, input: ExtractionInput, memory: { content: string; kind: MemoryKind; importance: number; subject: string | null }): Promise<string> {
  const embedding = await deps.embed(memory.content);
  // "Remember until Friday": what the message asked to keep for a while stops being recalled then, and the prune job deletes it.
  const expiresAt = memory.kind === 'reference' ? null : parseExpiry(input.message, new Date());
  const stored = await deps.memories.upsert({
    agentId: input.agentId,
    ...memory,
    scope: memoryScopeForChat(input.caller, memory.kind),
    embedding,
    embeddingModel: embedding ? deps.embedModel : null,
    sourceMessageId: input.sourceMessageId,
    expiresAt,
  });
  return stored.id;
}
