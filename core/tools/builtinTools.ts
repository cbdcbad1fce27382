import { and, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { actionItems, decisions, meetings } from '../db/schema.js';
import { visibleMeetings } from '../meetings/meetingAccess.js';
import type { MemoryStore } from '../memory/memoryStore.js';
import type { Caller } from '../memory/scope.js';
import type { ToolInfo } from './mcpTools.js';
import { toolDefinitionHash } from './toolDefinitionHash.js';

/** Who a built-in search answers for: recall and meeting access are decided from this caller, as everywhere else. */
export interface BuiltinCaller {
  caller: Caller;
  /** The colleague answering: memories are recalled as theirs. */
  agentId: string;
}

const query = { type: 'object', properties: { query: { type: 'string', description: 'Words to look for' }, limit: { type: 'integer', minimum: 1, maximum: 10, description: 'At most this many results (default 5)' } }, required: ['query'] };

const definitions = [
  { name: 'search_meetings', description: 'Search the meetings you may see (title, agenda, minutes): read-only.', inputSchema: query },
  { name: 'search_decisions', description: 'Search decisions and action items of the meetings you may see: read-only.', inputSchema: query },
  { name: 'search_memories', description: 'Search what you remember from conversations here (the same notes you may recall): read-only.', inputSchema: query },
] as const;

/** The built-ins as tools: named `council.<tool>`, pinned like any other, so allowing them is the same step. */
export const builtinToolInfos: ToolInfo[] = definitions.map((tool) => ({ name: `council.${tool.name}`, server: 'council', description: tool.description, inputSchema: tool.inputSchema, hash: toolDefinitionHash(tool) }));

const words = (text: string) => [...new Set(text.toLowerCase().match(/[\p{L}\p{N}_-]{3,}/gu) ?? [])].slice(0, 8);
const like = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const cut = (text: string, chars = 300) => (text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

/**
 * Read-only searches of the place's own record that need no MCP server. Each
 * sees only what the caller may: meetings and their decisions and action
 * items through the meeting access rule (core/meetings/meetingAccess.ts),
 * memories through recall (core/memory/scope.ts recallCondition).
 */
export class BuiltinTools {
  constructor(
    private readonly db: Db,
    private readonly memories: MemoryStore,
  ) {}

  async run(name: string, args: Record<string, unknown>, who: BuiltinCaller): Promise<{ text: string; isError: boolean }> {
    const text = typeof args.query === 'string' ? args.query.trim().slice(0, 500) : '';
    if (text === '') return { text: 'error: give a non-empty "query"', isError: true };
    const limit = typeof args.limit === 'number' && Number.isInteger(args.limit) ? Math.min(10, Math.max(1, args.limit)) : 5;
    switch (name) {
      case 'council.search_meetings':
        return this.meetings(text, limit, who.caller);
      case 'council.search_decisions':
        return this.decisions(text, limit, who.caller);
      case 'council.search_memories':
        return this.recall(text, limit, who);
      default:
        return { text: `error: no built-in tool ${name}`, isError: true };
    }
  }

  private async meetings(text: string, limit: number, caller: Caller) {
    const terms = words(text);
    const matches = or(...terms.flatMap((word) => [ilike(meetings.title, like(word)), sql`${meetings.agenda}::text ilike ${like(word)}`, sql`coalesce(${meetings.minutes}->>'summary', '') ilike ${like(word)}`]));
    const rows = await this.db
      .select({ id: meetings.id, title: meetings.title, type: meetings.type, status: meetings.status, agenda: meetings.agenda, createdAt: meetings.createdAt, summary: sql<string | null>`${meetings.minutes}->>'summary'` })
      .from(meetings)
      .where(and(visible(caller), terms.length > 0 ? matches : sql`false`))
      .orderBy(desc(meetings.createdAt))
      .limit(limit);
    if (rows.length === 0) return { text: `No meetings you may see match "${cut(text, 80)}".`, isError: false };
    return {
      text: rows.map((m) => `- ${m.createdAt.toISOString().slice(0, 10)} "${cut(m.title, 120)}" (${m.type}, ${m.status}, id ${m.id.slice(0, 8)}); agenda: ${cut(m.agenda.join('; '), 200)}${m.summary ? `; summary: ${cut(m.summary)}` : ''}`).join('\n'),
      isError: false,
    };
  }

  private async decisions(text: string, limit: number, caller: Caller) {
    const terms = words(text);
    if (terms.length === 0) return { text: `No decisions or action items match "${cut(text, 80)}".`, isError: false };
    const seen = this.db.select({ id: meetings.id }).from(meetings).where(visible(caller));
    const [decided, items] = await Promise.all([
      this.db
        .select({ text: decisions.text, rationale: decisions.rationale, at: decisions.createdAt, title: meetings.title })
        .from(decisions)
        .innerJoin(meetings, eq(meetings.id, decisions.meetingId))
        .where(and(inArray(decisions.meetingId, seen), or(...terms.flatMap((word) => [ilike(decisions.text, like(word)), ilike(sql`coalesce(${decisions.rationale}, '')`, like(word))]))))
        .orderBy(desc(decisions.createdAt))
        .limit(limit),
      this.db
        .select({ task: actionItems.task, owner: sql<string>`coalesce(${actionItems.ownerName}, ${actionItems.owner})`, status: actionItems.status, due: actionItems.due, title: meetings.title })
        .from(actionItems)
        .innerJoin(meetings, eq(meetings.id, actionItems.meetingId))
        .where(and(inArray(actionItems.meetingId, seen), or(...terms.map((word) => ilike(actionItems.task, like(word))))))
        .orderBy(desc(actionItems.createdAt))
        .limit(limit),
    ]);
    if (decided.length === 0 && items.length === 0) return { text: `No decisions or action items you may see match "${cut(text, 80)}".`, isError: false };
    const lines = [
      ...decided.map((d) => `- decision ${d.at.toISOString().slice(0, 10)} in "${cut(d.title, 100)}": ${cut(d.text)}${d.rationale ? ` (because ${cut(d.rationale, 200)})` : ''}`),
      ...items.map((i) => `- action item (${i.status}${i.due ? `, due ${i.due}` : ''}) for ${i.owner} from "${cut(i.title, 100)}": ${cut(i.task)}`),
    ];
    return { text: lines.join('\n'), isError: false };
  }

  private async recall(text: string, limit: number, who: BuiltinCaller) {
    const found = await this.memories.recall({ agentId: who.agentId, caller: who.caller, text, limit });
    if (found.length === 0) return { text: `Nothing remembered here matches "${cut(text, 80)}".`, isError: false };
    return { text: found.map((m) => `- (${m.kind}, ${m.createdAt.toISOString().slice(0, 10)}) ${cut(m.content)}`).join('\n'), isError: false };
  }
}

function visible(caller: Caller): SQL {
  return visibleMeetings(caller) ?? sql`true`;
}
