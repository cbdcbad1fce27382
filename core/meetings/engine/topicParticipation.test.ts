import { describe, expect, it } from 'vitest';
import { participants, person, said, turns } from '../../../test/meetings/support/engineDoubles.js';
import { topicParticipation } from './topicParticipation.js';

const [backend, qa, frontend] = participants as [string, string, string];

describe('topicParticipation', () => {
  it('counts contributions and passes on the topic only, and says why the rest were not heard', () => {
    const stored = turns(said('software_architect', 'opening'), said(backend), person('move on'), said(qa, 'pass'), said(frontend, 'contribution', 1), said(backend));
    const seen = topicParticipation(stored, 0, participants, 'humans');
    expect(seen.spoke).toEqual([{ id: backend, turns: 2 }, { id: qa, turns: 1 }]);
    expect(seen.unheard).toEqual([{ id: frontend, why: 'a person closed the topic before their turn' }]);
    expect(seen.ratio).toBeCloseTo(2 / 3);
  });

  it('names the budget when it ran out', () => {
    expect(topicParticipation(turns(said(backend)), 0, participants, 'budget').unheard.map((u) => u.why)).toEqual([
      'the turn budget ran out before their turn',
      'the turn budget ran out before their turn',
    ]);
  });
});
