import { describe, expect, it } from 'vitest';
import { participants } from '../../../test/meetings/support/engineDoubles.js';
import { leastHeard } from './leastHeard.js';

const [backend, qa, frontend] = participants as [string, string, string];
const heard = (counts: Record<string, number>) => new Map(participants.map((id) => [id, counts[id] ?? 0]));
describe('leastHeard', () => {
  it.each([
    ['nobody heard yet: the first invited', {}, null, backend],
    ['the one heard least', { [backend]: 2, [qa]: 1, [frontend]: 2 }, null, qa],
    ['a tie goes to the invitation order', { [backend]: 1, [qa]: 0, [frontend]: 0 }, null, qa],
    ['never the last speaker, even heard least', { [backend]: 0, [qa]: 1, [frontend]: 1 }, backend, qa],
    ['the last speaker skipped in a tie', { [backend]: 0, [qa]: 0, [frontend]: 0 }, backend, qa],
  ])('%s', (_name, counts, lastSpeaker, expected) => {
    expect(leastHeard(participants, { heard: heard(counts), lastSpeaker })).toBe(expected);
  });

  it('with one participant, they speak again', () => {
    expect(leastHeard([qa], { heard: new Map([[qa, 3]]), lastSpeaker: qa })).toBe(qa);
  });
});
