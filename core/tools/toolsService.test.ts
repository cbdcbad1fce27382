import { describe, expect, it } from 'vitest';
import type { ApiKeyStore } from '../auth/apiKeys.js';
import type { AuditEntry, AuditLog } from '../auth/auditLog.js';
import { CouncilError } from '../errors.js';
import { createLogger } from '../log.js';
import { registry } from '../metrics.js';
import { apiKeyCaller, cliCaller, discordCaller } from '../memory/scope.js';
import type { SettingsService } from '../settings/settingsService.js';
import type { ApprovalPort } from './approvalPort.js';
import type { ApprovalRelay } from './approvalRelay.js';
import type { BuiltinTools } from './builtinTools.js';
import { ToolsService, type ToolUse } from './toolsService.js';

/** A part these paths must never touch: any use of it fails the test. */
const untouched = <T>(name: string): T =>
  new Proxy({}, { get: (_target, key) => { throw new Error(`${name}.${String(key)} was used`); } }) as T;

function service(queue: ConstructorParameters<typeof ToolsService>[0]['queue'] = null) {
  const audited: AuditEntry[] = [];
  const audit = { record: async (entry: AuditEntry) => void audited.push(entry) } as unknown as AuditLog;
  const tools = new ToolsService({
    mcp: null,
    builtins: untouched<BuiltinTools>('builtins'),
    settings: untouched<SettingsService>('settings'),
    keys: untouched<ApiKeyStore>('keys'),
    audit,
    log: createLogger('silent'),
    bounds: { maxSteps: 2, maxMs: 1_000, maxOutputChars: 100, maxTotalOutputChars: 200 },
    queue,
  });
  return { tools, audited };
}

const member = discordCaller({ userId: '400000000000000001', name: 'Dana', guildId: '100000000000000001', placeId: '200000000000000001' });
const inDiscord = (approval: 'requester' | 'admins'): ToolUse => ({ grant: { entries: ['council.search_decisions'], approval, approvalMs: 60_000, source: 'place' }, caller: member, agentId: 'backend_developer', where: 'meeting:m1' });
const counted = async (outcome: string) =>
  (await registry.getMetricsAsJSON()).find((m) => m.name === 'council_tool_calls_total')?.values.find((v) => v.labels.tool === 'council.search_decisions' && v.labels.outcome === outcome)?.value ?? 0;

describe('ToolsService approvals with nobody to ask', () => {
  const call = { tool: 'council.search_decisions', arguments: { query: 'retries' } };

  it('a process without an approvals port answers unavailable at once, never a timeout', async () => {
    const { tools } = service();
    expect(await tools.approve(call, inDiscord('requester'), new AbortController().signal)).toBe('unavailable');
    expect(await tools.approve(call, inDiscord('admins'), new AbortController().signal)).toBe('unavailable');
  });

  it('with a port registered the person is asked, and a grant of mode never asks nobody', async () => {
    const { tools } = service();
    const asked: string[] = [];
    const port: ApprovalPort = { request: async (request) => (asked.push(request.mode), 'denied') };
    tools.useApprovals(port);
    expect(await tools.approve(call, inDiscord('admins'), new AbortController().signal)).toBe('denied');
    expect(await tools.approve(call, { ...inDiscord('admins'), grant: { ...inDiscord('admins').grant, approval: 'never' } }, new AbortController().signal)).toBe('granted');
    expect(asked).toEqual(['admins']);
  });

  it('on a shared Postgres a process without a face queues the question for a bot process; a face registered here asks itself and serves the queue', async () => {
    const queued: string[] = [];
    const served: Array<ApprovalPort | null> = [];
    const asker: ApprovalPort = { request: async (request) => (queued.push(request.tool), 'unasked') };
    const relay = { serve: (port: ApprovalPort | null) => void served.push(port), close: async () => {} } as unknown as ApprovalRelay;
    const { tools } = service({ asker, relay });
    // Nobody took the queued question: the same unavailable as with nobody to ask here.
    expect(await tools.approve(call, inDiscord('requester'), new AbortController().signal)).toBe('unavailable');
    expect(queued).toEqual(['council.search_decisions']);

    const face: ApprovalPort = { request: async () => 'approved' };
    tools.useApprovals(face);
    expect(await tools.approve(call, inDiscord('requester'), new AbortController().signal)).toBe('approved');
    expect(queued).toHaveLength(1);
    tools.useApprovals(null);
    expect(served).toEqual([face, null]);
  });

  it('a call not run for want of an approver is counted as no_approver, apart from approval_timeout, and audited', async () => {
    const { tools, audited } = service();
    const [before, timeouts] = [await counted('no_approver'), await counted('approval_timeout')];
    await tools.record({ ...call, outcome: 'no_approver', approval: 'unavailable', durationMs: 0, outputChars: 0, outputSha256: null }, inDiscord('requester'));
    expect(await counted('no_approver')).toBe(before + 1);
    expect(await counted('approval_timeout')).toBe(timeouts);
    expect(audited).toEqual([expect.objectContaining({ action: 'tool.call', target: 'council.search_decisions', detail: expect.objectContaining({ outcome: 'no_approver', approval: 'unavailable', where: 'meeting:m1' }) })]);
  });
});

describe('ToolsService tools for a CLI meeting', () => {
  it('only the terminal user pins tools for a meeting; anyone else is refused in one line before any tool is looked up', async () => {
    const { tools } = service();
    for (const caller of [member, apiKeyCaller('00000000-0000-4000-8000-000000000001')]) {
      const refused = await tools.pinForMeeting(caller, ['council.search_decisions']).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(CouncilError);
      expect((refused as CouncilError).code).toBe('forbidden');
      expect((refused as CouncilError).message).not.toContain('\n');
    }
    expect(await tools.pinForMeeting(member, [])).toEqual([]);
    expect(await tools.pinForMeeting(cliCaller('dana'), ['council.search_decisions', 'council.search_decisions'])).toEqual([expect.stringMatching(/^council\.search_decisions@[0-9a-f]{64}$/)]);
    await expect(tools.pinForMeeting(cliCaller('dana'), ['fs.delete'])).rejects.toThrow(/no tool "fs.delete" is offered now/);
  });

  it('a meeting with pinned tools calls them with no approval, wherever it runs; one without calls none', async () => {
    const { tools } = service();
    const pinned = await tools.pinForMeeting(cliCaller('dana'), ['council.search_decisions']);
    const place = { ownerId: 'cli:dana', guildId: null, discordChannelId: null, discordThreadId: null };
    expect(await tools.grantForMeeting({ ...place, tools: pinned })).toEqual({ entries: pinned, approval: 'never', approvalMs: 0, source: 'cli' });
    expect((await tools.grantForMeeting({ ...place, tools: [] })).entries).toEqual([]);
  });
});
