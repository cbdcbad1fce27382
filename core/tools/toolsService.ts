import type { ApiKeyStore } from '../auth/apiKeys.js';
import type { AuditLog } from '../auth/auditLog.js';
import { CouncilError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Check } from '../tasks/checkWithin.js';
import { isOperator } from '../meetings/meetingAccess.js';
import { metrics } from '../metrics.js';
import type { Caller } from '../memory/scope.js';
import type { PlaceRef, SettingsService } from '../settings/settingsService.js';
import type { ApprovalAnswer, ApprovalPort } from './approvalPort.js';
import type { ApprovalRelay } from './approvalRelay.js';
import { builtinToolInfos, type BuiltinTools } from './builtinTools.js';
import { exportToolSeries, type McpTools, type ServerHealth, type ToolInfo } from './mcpTools.js';
import type { ToolBounds } from './runToolLoop.js';
import type { ToolApproval, ToolCallRecord } from './toolCallRecord.js';
import { noTools, offeredTools, parseToolEntry, pinTools, type ToolGrant } from './toolPolicy.js';

/** One answer's use of tools: what it may call, for whom (recall and meeting access of the built-ins, who approves), and where (audit). */
export interface ToolUse {
  grant: ToolGrant;
  caller: Caller;
  /** The colleague answering. */
  agentId: string;
  /** The conversation or meeting the calls belong to, for the audit. */
  where: string;
}

/** A meeting as far as its tools are concerned: whose it is, where it runs, and what the terminal user allowed it. */
export interface MeetingPlace {
  /** Pinned at `council meeting start --tools`; empty for every other meeting. */
  tools: readonly string[];
  ownerId: string | null;
  guildId: string | null;
  discordChannelId: string | null;
  discordThreadId: string | null;
}

/**
 * Tools for every face: the built-in searches and the MCP servers of
 * MCP_CONFIG, who may call which (the grant, decided here from the caller
 * and never from anything a model or a tool says), approvals through the
 * port a face registers, and the record of every call (counted, timed,
 * audited).
 */
export class ToolsService {
  private approvals: ApprovalPort | null = null;

  constructor(
    private readonly deps: {
      mcp: McpTools | null;
      builtins: BuiltinTools;
      settings: SettingsService;
      keys: ApiKeyStore;
      audit: AuditLog;
      log: Logger;
      bounds: ToolBounds;
      /** On a shared Postgres: questions this process cannot ask go to a bot process (asker), and a bot here asks those of others (relay). */
      queue: { asker: ApprovalPort; relay: ApprovalRelay } | null;
    },
  ) {
    exportToolSeries(builtinToolInfos.map((tool) => tool.name));
  }

  get bounds(): ToolBounds {
    return this.deps.bounds;
  }

  /**
   * The face that can ask people (the bot) registers here, and then also asks
   * the questions other processes on the same Postgres queue. Without one, a
   * call that needs approval is queued for a bot process on Postgres, and is
   * not run (`unavailable`) when none takes it or on PGlite.
   */
  useApprovals(port: ApprovalPort | null): void {
    this.approvals = port;
    this.deps.queue?.relay.serve(port);
  }

  /** Every tool offered now (built-ins first) and each MCP server's health. */
  async list(): Promise<{ tools: ToolInfo[]; health: ServerHealth[] }> {
    const listed = this.deps.mcp ? await this.deps.mcp.list() : { tools: [], health: [] };
    return { tools: [...builtinToolInfos, ...listed.tools], health: listed.health };
  }

  /** Tool names to suggest while someone types (built-ins first), waiting at most `limitMs` on the MCP servers. */
  async names(limitMs: number): Promise<string[]> {
    return [...builtinToolInfos.map((tool) => tool.name), ...(this.deps.mcp ? await this.deps.mcp.names(limitMs) : [])];
  }

  /**
   * What a person sees of tools where they are: every tool offered now, each
   * server's health, and what this place allows with the state of each
   * (ready, changed since it was allowed, or offered by no server now).
   */
  async here(caller: Caller): Promise<{ tools: ToolInfo[]; health: ServerHealth[]; grant: ToolGrant; allowed: Array<{ name: string; state: 'ready' | 'changed' | 'missing' }> }> {
    const [{ tools, health }, grant] = await Promise.all([this.list(), this.grantFor(caller)]);
    const byName = new Map(tools.map((tool) => [tool.name, tool]));
    const allowed = grant.entries.map((entry) => {
      const { name, hash } = parseToolEntry(entry);
      const tool = byName.get(name);
      return { name, state: !tool ? ('missing' as const) : hash !== null && hash !== tool.hash ? ('changed' as const) : ('ready' as const) };
    });
    return { tools, health, grant, allowed };
  }

  /** Each MCP server's health, for /readyz: a server that is down degrades, it never makes Council unready. */
  async health(): Promise<ServerHealth[]> {
    return this.deps.mcp ? (await this.deps.mcp.list()).health : [];
  }

  /**
   * One readiness line per MCP server. A server that is down, or slower than
   * `limitMs` to list its tools, is `degraded`: its tools are not offered,
   * and Council stays ready.
   */
  async checks(limitMs: number): Promise<Check[]> {
    const mcp = this.deps.mcp;
    if (!mcp) return [];
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), limitMs)));
    const health = await Promise.race([mcp.list().then((listed) => listed.health), late]).finally(() => clearTimeout(timer));
    return mcp.servers.map((server) => {
      const found = health?.find((entry) => entry.server === server);
      if (found?.ok) return { name: `tool server ${server}`, ok: true };
      return { name: `tool server ${server}`, ok: true, degraded: true, problem: found?.problem ?? `did not list its tools within ${limitMs / 1000} s` };
    });
  }

  /** Names pinned to the definitions offered now (`name@sha256`); an unknown name is refused. */
  async pin(names: readonly string[]): Promise<string[]> {
    return pinTools(names, await this.catalogue(names));
  }

  /**
   * What the caller's answer may call. The terminal user allows tools for one
   * run (`--tools`), and only they may; an API key has the tools an admin gave
   * it; a Discord member has what the place's settings allow, with its
   * approval mode. Anyone else has none.
   */
  async grantFor(caller: Caller, runTools?: readonly string[]): Promise<ToolGrant> {
    if (runTools && runTools.length > 0) onlyOperator(caller);
    if (isOperator(caller)) return cliGrant(runTools ?? []);
    if (caller.ownerId.startsWith('key:')) return { entries: await this.deps.keys.tools(caller.ownerId.slice('key:'.length)), approval: 'never', approvalMs: 0, source: 'key' };
    if (caller.ownerId.startsWith('discord:') && caller.guildId) return placeGrant((await this.deps.settings.at(caller)).values);
    return noTools;
  }

  /**
   * The tools the terminal user allows for a meeting it starts (--tools),
   * pinned now so that every run and resume of the meeting, in any process,
   * calls these definitions and disables one that changed since. Refused for
   * anyone else, and for a name no server offers, before anything is stored.
   */
  async pinForMeeting(caller: Caller, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    onlyOperator(caller);
    return this.pin(names);
  }

  /**
   * A meeting's turns call what the terminal user allowed when starting it,
   * else what its place allows (Discord), or what the key that created it
   * may; other CLI meetings call none.
   */
  async grantForMeeting(meeting: MeetingPlace): Promise<ToolGrant> {
    if (meeting.tools.length > 0) return cliGrant(meeting.tools);
    if (meeting.ownerId?.startsWith('key:')) return { entries: await this.deps.keys.tools(meeting.ownerId.slice('key:'.length)), approval: 'never', approvalMs: 0, source: 'key' };
    if (!meeting.guildId) return noTools;
    const place: PlaceRef = { guild: meeting.guildId, channel: meeting.discordChannelId, thread: meeting.discordThreadId };
    return placeGrant((await this.deps.settings.effective(place)).values);
  }

  /** Gives an API key these tools (pinned now; an empty list takes them away), audited. */
  async setKeyTools(idOrName: string, names: readonly string[], by: Caller): Promise<{ id: string; name: string; tools: string[] }> {
    const pinned = names.length > 0 ? await this.pin(names) : [];
    const set = await this.deps.keys.setTools(idOrName, pinned);
    await this.deps.audit.record({ actor: by.ownerId, action: 'key.tools', target: `key:${set.id}`, rows: 1, detail: { name: set.name, tools: pinned.map((entry) => parseToolEntry(entry).name) } });
    return set;
  }

  /** The tools of a grant offered now, and a line for each allowed one that is not (changed definition, server gone). */
  async offer(grant: ToolGrant): Promise<{ offered: ToolInfo[]; notices: string[] }> {
    return offeredTools(grant, await this.catalogue(grant.entries));
  }

  /** The grant's approval mode decides: never (the grant is the approval), else the person or an admin, through the face's port. */
  async approve(call: { tool: string; arguments: Record<string, unknown> }, use: ToolUse, signal: AbortSignal): Promise<ToolApproval> {
    if (use.grant.approval === 'never') return 'granted';
    // Nobody to ask (no bot here nor, on Postgres, in another process), or the question could not be put (the channel refuses
    // the post, the port failed): said as such, never as a timeout nobody waited for.
    const port = this.approvals ?? this.deps.queue?.asker;
    if (!port) return 'unavailable';
    const answer: ApprovalAnswer = await port
      .request({ ...call, agent: use.agentId, requester: use.caller, mode: use.grant.approval, timeoutMs: use.grant.approvalMs, signal })
      .catch((error: unknown) => {
        if (signal.aborted) throw error;
        this.deps.log.warn({ tool: call.tool, err: (error as Error).message }, 'could not ask for a tool approval');
        return 'unasked' as const;
      });
    return answer === 'unasked' ? 'unavailable' : answer;
  }

  /** Runs a tool the loop has checked: a built-in for the use's caller, else on its MCP server. */
  run(name: string, args: Record<string, unknown>, use: ToolUse, signal: AbortSignal): Promise<{ text: string; isError: boolean }> {
    if (name.startsWith('council.')) return this.deps.builtins.run(name, args, { caller: use.caller, agentId: use.agentId });
    if (!this.deps.mcp) throw new CouncilError('bad_usage', `no tool ${name}: MCP_CONFIG lists no servers`);
    return this.deps.mcp.invoke(name, args, signal);
  }

  /** Every call, run or not: counted by outcome, timed when it ran, audited. */
  async record(call: ToolCallRecord, use: ToolUse): Promise<void> {
    metrics.toolCalls.inc({ tool: call.tool, outcome: call.outcome });
    if (call.outcome === 'ok' || call.outcome === 'error' || call.outcome === 'timeout') metrics.toolCallDuration.observe({ tool: call.tool }, call.durationMs / 1000);
    await this.deps.audit.record({
      actor: use.caller.ownerId,
      action: 'tool.call',
      target: call.tool,
      rows: 0,
      detail: { agent: use.agentId, where: use.where, outcome: call.outcome, approval: call.approval, durationMs: call.durationMs, outputChars: call.outputChars, grant: use.grant.source },
    });
  }

  async close(): Promise<void> {
    await this.deps.queue?.relay.close();
    await this.deps.mcp?.close();
  }

  /** The built-ins and the tools of the servers these names point at: a chat that allows none starts no server. */
  private async catalogue(entries: readonly string[]): Promise<ToolInfo[]> {
    const servers = [...new Set(entries.map((entry) => parseToolEntry(entry).name.split('.', 1)[0]!))].filter((server) => server !== 'council');
    if (!this.deps.mcp || servers.length === 0) return builtinToolInfos;
    return [...builtinToolInfos, ...(await this.deps.mcp.list(servers)).tools];
  }
}

function onlyOperator(caller: Caller): void {
  if (!isOperator(caller)) throw new CouncilError('forbidden', 'only the terminal user allows tools for one run (--tools); an API key gets tools from an admin, a Discord channel from its settings');
}

/** The terminal user's word is the approval: nobody else is asked. */
function cliGrant(entries: readonly string[]): ToolGrant {
  return { entries, approval: 'never', approvalMs: 0, source: 'cli' };
}

function placeGrant(values: { tools: string[]; toolApproval: ToolGrant['approval']; toolApprovalSeconds: number }): ToolGrant {
  return { entries: values.tools, approval: values.toolApproval, approvalMs: values.toolApprovalSeconds * 1000, source: 'place' };
}
