import { describe, expect, it } from 'vitest';
import { valueChoices } from './valueChoices.js';

const values = (typed: string, known: readonly string[], list = false) => valueChoices(typed, known, list).map((choice) => choice.value);
const tools = ['council.search_decisions', 'council.search_meetings', 'team.lookup', 'everything.echo'];

describe('valueChoices', () => {
  it('offers the known values containing what was typed, in any case, those starting with it first', () => {
    expect(values('SEARCH', tools)).toEqual(['council.search_decisions', 'council.search_meetings']);
    expect(values('e', ['team.lookup', 'everything.echo'])).toEqual(['everything.echo', 'team.lookup']);
    expect(values('', tools)).toEqual(tools);
  });

  it('completes the last item of a comma-separated list, keeps the items before it, and offers nothing already listed', () => {
    expect(values('council.search_decisions,', tools, true)).toEqual(['council.search_decisions, council.search_meetings', 'council.search_decisions, team.lookup', 'council.search_decisions, everything.echo']);
    expect(values('team.lookup, COUNCIL.SEARCH_MEETINGS , dec', tools, true)).toEqual(['team.lookup, COUNCIL.SEARCH_MEETINGS , council.search_decisions']);
  });

  it('completes the last item of a space-separated list, as the settings read one without commas', () => {
    expect(values('cto qa', ['cto', 'qa_engineer', 'qa_lead'], true)).toEqual(['cto qa_engineer', 'cto qa_lead']);
    expect(values('cto ', ['cto', 'qa_engineer'], true)).toEqual(['cto qa_engineer']);
  });

  it('gives at most 25 choices, and leaves out a value longer than 100 characters instead of cutting it', () => {
    const many = Array.from({ length: 40 }, (_, i) => `server.tool_${i}`);
    expect(valueChoices('tool', many)).toHaveLength(25);
    const long = `team.${'x'.repeat(96)}`;
    expect(values('team', [long, 'team.lookup'])).toEqual(['team.lookup']);
    const before = `${'a'.repeat(40)}.b, ${'c'.repeat(40)}.d,`;
    expect(values(before, ['team.lookup', `team.${'y'.repeat(20)}`], true)).toEqual([`${before} team.lookup`]);
    for (const choice of valueChoices(before, many, true)) expect(choice.name.length <= 100 && choice.value.length <= 100).toBe(true);
  });
});
