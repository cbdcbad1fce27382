import { describe, expect, it } from 'vitest';
import { closeReason } from './closeReason.js';

const all = new Map([['a', 1], ['b', 1], ['c', 1]]);
const oneUnheard = new Map([['a', 3], ['b', 3], ['c', 0]]);
const open = { humansClose: false, allPassed: false, spoken: 0, heard: all };

describe('closeReason', () => {
  it.each([
    ['nothing yet', open, 6, null],
    ['one turn short of the budget', { ...open, spoken: 5 }, 6, null],
    ['the budget spent', { ...open, spoken: 6 }, 6, 'budget'],
    ['past the budget (a person addressed someone)', { ...open, spoken: 7 }, 6, 'budget'],
    ['everyone passed', { ...open, allPassed: true }, 6, 'passes'],
    ['the people asked', { ...open, humansClose: true }, 6, 'humans'],
    ['the people before the passes and the budget', { humansClose: true, allPassed: true, spoken: 6, heard: all }, 6, 'humans'],
    ['the passes before the budget', { humansClose: false, allPassed: true, spoken: 6, heard: all }, 6, 'passes'],
    ['the budget spent with one unheard waits for them', { ...open, spoken: 6, heard: oneUnheard }, 6, null],
    ['one extra turn each past the budget closes anyway', { ...open, spoken: 9, heard: oneUnheard }, 6, 'budget'],
    ['the people close even with one unheard', { ...open, humansClose: true, heard: oneUnheard }, 6, 'humans'],
  ] as const)('%s', (_name, state, budget, closedBy) => {
    const ending = closeReason(state, budget);
    expect(ending?.closedBy ?? null).toBe(closedBy);
    if (ending) expect(ending.reason).not.toBe('');
  });
});
