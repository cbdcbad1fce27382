import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { messages } from '../db/schema.js';
import type { LlmClient } from '../llm/llmClient.js';
import type { Logger } from '../log.js';

type Row = { id: string; role: string; content: string; authorName: string | null; createdAt: Date };

/**
 * Folds each conversation's messages older than the cutoff (and any earlier
 * summary) into one summary message dated at the last of them, so history
 * keeps its shape with fewer rows. The summary is the model's; when Ollama is
 * down an extractive one is used, so compaction never loses history unsummarised.
 */
export async function compactHistory(db: Db, llm: LlmClient, log: Logger, options: { olderThanDays: number; now: Date }): Promise<{ conversations: number; messages: number }> {
  const cutoff = new Date(options.now.getTime() - options.olderThanDays * 86_400_000);
  const candidates = await db
    .selectDistinct({ conversationId: messages.conversationId })
    .from(messages)
    .where(and(lt(messages.createdAt, cutoff), sql`${messages.role} <> 'summary'`));
  let compactedMessages = 0;
  for (const { conversationId } of candidates) {
    const old: Row[] = await db
      .select({ id: messages.id, role: messages.role, content: messages.content, authorName: messages.authorName, createdAt: messages.createdAt })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), lt(messages.createdAt, cutoff)))
      .orderBy(asc(messages.createdAt));
    if (old.length === 0) continue;
    const summary = await summarise(llm, log, old);
    const last = old.at(-1)!.createdAt;
    await db.transaction(async (tx) => {
      await tx.delete(messages).where(inArray(messages.id, old.map((m) => m.id)));
      await tx.insert(messages).values({ conversationId, role: 'summary', content: summary, createdAt: last });
    });
    compactedMessages += old.length;
  }
  return { conversations: candidates.length, messages: compactedMessages };
}

async function summarise(llm: LlmClient, log: Logger, rows: Row[]): Promise<string> {
  const transcript = rows.map((m) => `${m.role === 'summary' ? 'Earlier summary' : m.role === 'user' ? (m.authorName ?? 'User') : 'You'}: ${m.content}`).join('\n');
  try {
    const result = await llm.chat({
      lane: 'maintenance',
      kind: 'summary',
      temperature: 0.2,
      messages: [
        { role: 'system', content: 'Summarise this conversation for your own future reference in at most 150 words: facts about the people and their team, decisions, open threads. No preamble.' },
        { role: 'user', content: transcript.slice(-12_000) },
      ],
    });
    if (result.content.trim()) return result.content.trim();
  } catch (error) {
    log.warn({ reason: (error as Error).message }, 'history compaction: model unavailable, using an extractive summary');
  }
  return rows
    .map((m) => `${m.role === 'assistant' ? 'You' : (m.authorName ?? 'User')}: ${m.content.split('\n', 1)[0]!.slice(0, 160)}`)
    .join('\n')
    .slice(0, 4_000);
}
