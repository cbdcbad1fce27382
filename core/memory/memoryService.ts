import type { AgentRegistry } from '../agents/agentRegistry.js';
import type { AuditLog } from '../auth/auditLog.js';
import type { Db } from '../db/database.js';
import type { ConversationStore } from './conversationStore.js';
import { forgetUser, type ForgetResult } from './forgetUser.js';
import { MemoryAccess, type MemoryView, type WhyView } from './memoryAccess.js';
import type { MemoryListFilter, MemoryStore } from './memoryStore.js';
import { memoryScopeForEveryone, ownerIdOf, type Caller } from './scope.js';

export type ClearTarget = { agent: string } | { guild: string } | 'all';

/** Turns what a person said into memories of a colleague (core/orchestrator/listenTo.ts). */
export type Listener = (input: { agentId: string; caller: Caller; message: string }) => Promise<void>;

/** What Council remembers, for the people and operators who look at it or delete it; every change is audited. */
export class MemoryService {
  constructor(
    private readonly db: Db,
    private readonly agents: AgentRegistry,
    private readonly memories: MemoryStore,
    private readonly conversations: ConversationStore,
    private readonly audit: AuditLog,
    private readonly listener: Listener,
  ) {}

  /**
   * Takes in what someone said where Council listens without replying (a
   * place's `listening` setting): memories of `agent` only, nothing answered.
   */
  async listen(caller: Caller, agent: string, message: string): Promise<void> {
    const text = message.trim();
    if (text) await this.listener({ agentId: this.agents.get(agent).id, caller, message: text });
  }

  list(options: MemoryListFilter = {}) {
    return this.memories.list(options.agentId ? { ...options, agentId: this.agents.get(options.agentId).id } : options);
  }

  /** Conversations and memories of every colleague, of one colleague, or of one Discord server (and nothing of any other). */
  async clear(target: ClearTarget, by: Caller): Promise<{ conversations: number; memories: number }> {
    let result: { conversations: number; memories: number };
    let label: string;
    if (target === 'all') {
      result = { conversations: await this.conversations.clear(), memories: await this.memories.clear() };
      label = 'all';
    } else if ('agent' in target) {
      const id = this.agents.get(target.agent).id;
      result = { conversations: await this.conversations.clear(id), memories: await this.memories.clear(id) };
      label = `agent:${id}`;
    } else {
      result = { conversations: await this.conversations.clearGuild(target.guild), memories: await this.memories.clearGuild(target.guild) };
      label = `guild:${target.guild}`;
    }
    await this.audit.record({ actor: by.ownerId, action: 'memories.clear', target: label, rows: result.conversations + result.memories, detail: result });
    return result;
  }

  /** Everything keyed to a person: an owner id (`discord:<user>`, `key:<id>`, `cli:<name>`) or a bare Discord user id. */
  async forget(userId: string, by: Caller): Promise<ForgetResult> {
    const result = await forgetUser(this.db, ownerIdOf(userId));
    const rows = Object.values(result).reduce((sum, n) => sum + n, 0);
    await this.audit.record({ actor: by.ownerId, action: 'user.forget', target: userId.slice(0, 200), rows, detail: { ...result } });
    return result;
  }

  /** One memory, when the caller may see it. */
  show(id: string, by: Caller): Promise<MemoryView> {
    return this.access.get(id, by);
  }

  /** What the caller said (`me`) or what is kept for the channel they are in (`channel`): current memories, newest first, paged. */
  listFor(by: Caller, options: { of?: 'me' | 'channel'; page?: number; pageSize?: number; includeSuperseded?: boolean } = {}): Promise<MemoryView[]> {
    const pageSize = Math.min(Math.max(options.pageSize ?? 10, 1), 100);
    const page = Math.max(options.page ?? 1, 1);
    return this.access.list(by, { of: options.of ?? 'me', limit: pageSize, offset: (page - 1) * pageSize, current: !options.includeSuperseded });
  }

  /**
   * "Why did you say this?": the memories the answer's prompt held that the
   * caller may see, with who said each, where and when. The answer by its
   * stored id, or by the id its platform gave it (`{ externalId }`: the Discord message).
   */
  why(answer: string | { externalId: string }, by: Caller): Promise<WhyView> {
    return this.access.why(answer, by);
  }

  /** One page of listFor and whether another follows (what a face needs for next and previous buttons). */
  async listPage(by: Caller, options: { of: 'me' | 'channel'; page: number; pageSize: number }): Promise<{ memories: MemoryView[]; page: number; hasMore: boolean }> {
    const pageSize = Math.min(Math.max(options.pageSize, 1), 50);
    const page = Math.max(Math.floor(options.page), 1);
    const rows = await this.access.list(by, { of: options.of, limit: pageSize + 1, offset: (page - 1) * pageSize });
    return { memories: rows.slice(0, pageSize), page, hasMore: rows.length > pageSize };
  }

  /** Rewrites a memory (the person who said it, a Manage Server member, or the admin); audited with the text before. */
  async edit(id: string, text: string, by: Caller): Promise<MemoryView> {
    const { before, after } = await this.access.edit(id, text, by);
    await this.audit.record({ actor: by.ownerId, action: 'memory.edit', target: `memory:${id}`, rows: 1, detail: { agent: before.agentId, before: before.content.slice(0, 200) } });
    return after;
  }

  /** Deletes one memory (same rule as edit); audited. */
  async forgetOne(id: string, by: Caller): Promise<MemoryView> {
    const gone = await this.access.forget(id, by);
    await this.audit.record({ actor: by.ownerId, action: 'memory.forget', target: `memory:${id}`, rows: 1, detail: { agent: gone.agentId, kind: gone.kind } });
    return gone;
  }

  private get access(): MemoryAccess {
    return new MemoryAccess(this.db);
  }

  /** A note every colleague may recall everywhere (an operator's team fact); null when the same note is already kept. */
  async addForEveryone(agent: string, content: string, by: Caller): Promise<{ id: string | null; agent: string }> {
    const agentId = this.agents.get(agent).id;
    const id = await this.memories.add({ agentId, content, kind: 'fact', importance: 0.8, scope: memoryScopeForEveryone() });
    if (id) await this.audit.record({ actor: by.ownerId, action: 'memory.add', target: `memory:${id}`, rows: 1, detail: { agent: agentId } });
    return { id, agent: agentId };
  }
}
