import { describe, expect, it } from 'vitest';
import { estimateTokens } from '../../memory/estimateTokens.js';
import { agents, person, said, turns } from '../../../test/meetings/support/engineDoubles.js';
import type { TurnRow } from '../store/meetingStore.js';
import { buildTranscript } from './buildTranscript.js';

const agenda = ['Cache layer', 'Rollout'];
/** Each turn's text names it (t<seq>) and weighs about 50 tokens, so budgets can be set between whole turns. */
const pad = (stored: TurnRow[]) => stored.map((t) => ({ ...t, content: `t${t.seq} ${'word '.repeat(40)}` }));
const meeting = pad(
  turns(
    said('software_architect', 'opening', 0),
    said('backend_developer', 'contribution', 0),
    said('qa_engineer', 'contribution', 0),
    said('software_architect', 'topic_summary', 0),
    said('software_architect', 'opening', 1),
    said('backend_developer', 'contribution', 1),
    person('what about the rollback?', 'Ana', 1),
    said('qa_engineer', 'contribution', 1),
    said('frontend_developer', 'contribution', 1),
  ),
);
const shown = (text: string) => meeting.filter((t) => new RegExp(`\\bt${t.seq}\\b`).test(text)).map((t) => t.seq);
const full = buildTranscript(meeting, agenda, agents, 100_000);
const compacted = buildTranscript(meeting, agenda, agents, estimateTokens(full) - 1);

describe('buildTranscript', () => {
  it('gives every turn, in order, when it fits', () => {
    expect(shown(full)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(full.indexOf('t2 ')).toBeLessThan(full.indexOf('t3 '));
  });

  it.each([
    ['a little over: finished topics shrink to their summaries', () => estimateTokens(full) - 1, [4, 5, 6, 7, 8, 9]],
    ['more: then the oldest turns of the current topic go', () => estimateTokens(compacted) - 30, [4, 6, 7, 8, 9]],
    ['much more: the newest turns stay longest', () => estimateTokens(compacted) - 150, [4, 8, 9]],
    ['an impossible budget still keeps the last turn', () => 1, [4, 9]],
  ])('over budget, %s', (_name, budget, expected) => {
    const text = buildTranscript(meeting, agenda, agents, budget());
    expect(shown(text)).toEqual(expected);
    if (expected.length > 2) expect(estimateTokens(text)).toBeLessThanOrEqual(budget());
  });

  it('keeps a finished topic without a summary whole: there is nothing to shrink it to', () => {
    const unsummarised = meeting.filter((t) => t.kind !== 'topic_summary');
    const text = buildTranscript(unsummarised, agenda, agents, 1);
    expect(shown(text)).toEqual([1, 2, 3, 9]);
  });

  it('numbers each line with its turn and names who spoke, a person as a person', () => {
    const text = buildTranscript(turns(said('backend_developer'), person('hello all', 'Ana')), agenda, agents, 1_000);
    const lines = text.split('\n').filter((line) => line.startsWith('#'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#1 .*Priya Raman/);
    expect(lines[1]).toMatch(/^#2 .*Ana.*hello all$/);
  });

  it('is empty for a meeting with no turns', () => {
    expect(buildTranscript([], agenda, agents, 1_000)).toBe('');
  });
});
