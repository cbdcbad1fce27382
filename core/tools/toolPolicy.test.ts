import { describe, expect, it } from 'vitest';
import { CouncilError } from '../errors.js';
import type { ToolInfo } from './mcpTools.js';
import { offeredTools, pinTools, type ToolGrant } from './toolPolicy.js';

const info = (name: string, hash: string): ToolInfo => ({ name, server: name.split('.')[0]!, description: '', inputSchema: {}, hash });
const h = (c: string) => c.repeat(64);
const grant = (entries: string[]): ToolGrant => ({ entries, approval: 'never', approvalMs: 0, source: 'place' });

describe('tool policy', () => {
  it('pins what is allowed to the definition offered now, and refuses unknown names', () => {
    const catalogue = [info('everything.echo', h('a')), info('council.search_decisions', h('b'))];
    expect(pinTools(['everything.echo', 'council.search_decisions', 'everything.echo'], catalogue)).toEqual([`everything.echo@${h('a')}`, `council.search_decisions@${h('b')}`]);
    expect(() => pinTools(['fs.delete'], catalogue)).toThrow(CouncilError);
    expect(() => pinTools(['fs.delete'], catalogue)).toThrow(/no tool "fs.delete" is offered now/);
  });

  it('offers a pinned tool while its definition matches; a changed one is disabled with a line until allowed again', () => {
    const pinned = grant([`everything.echo@${h('a')}`]);
    expect(offeredTools(pinned, [info('everything.echo', h('a'))])).toEqual({ offered: [info('everything.echo', h('a'))], notices: [] });
    const changed = offeredTools(pinned, [info('everything.echo', h('c'))]);
    expect(changed.offered).toEqual([]);
    expect(changed.notices).toEqual(['everything.echo changed its definition since it was allowed here, so it is disabled until someone allows it again.']);
    // Allowed again: pinned to the new definition, offered.
    expect(offeredTools(grant(pinTools(['everything.echo'], [info('everything.echo', h('c'))])), [info('everything.echo', h('c'))]).offered).toHaveLength(1);
  });

  it('offers only what the grant names; a tool no server offers now is named, a bare name (CLI --tools) is taken as it is', () => {
    const catalogue = [info('a.one', h('1')), info('a.two', h('2'))];
    expect(offeredTools(grant(['a.one']), catalogue).offered.map((t) => t.name)).toEqual(['a.one']);
    expect(offeredTools(grant(['gone.tool']), catalogue)).toEqual({ offered: [], notices: ['gone.tool is allowed here but no tool server offers it now.'] });
    expect(offeredTools(grant([]), catalogue).offered).toEqual([]);
  });
});
