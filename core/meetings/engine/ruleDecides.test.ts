import { describe, expect, it } from 'vitest';
import { participants } from '../../../test/meetings/support/engineDoubles.js';
import { ruleDecides } from './ruleDecides.js';

const [backend, qa, frontend] = participants as [string, string, string];
const heard = (counts: Record<string, number>) => ({ heard: new Map(participants.map((id) => [id, counts[id] ?? 0])) });

describe('ruleDecides', () => {
  it.each([
    ['nobody heard: the first invited', {}, backend],
    ['one left unheard: they', { [backend]: 1, [frontend]: 2 }, qa],
    ['two unheard: the next invited of them', { [qa]: 1 }, backend],
    ['everyone heard: the facilitator chooses', { [backend]: 1, [qa]: 1, [frontend]: 1 }, null],
  ])('%s', (_name, counts, next) => {
    expect(ruleDecides(participants, heard(counts))?.next ?? null).toBe(next);
  });
});
