import { describe, expect, it } from 'vitest';
import { participants } from '../../../test/meetings/support/engineDoubles.js';
import { facilitatorChoices, leastHeard } from './pickNextSpeaker.js';
import type { TopicState } from './topicState.js';

const [backend, qa, frontend] = participants as [string, string, string];
const heard = (counts: Record<string, number>) => new Map(participants.map((id) => [id, counts[id] ?? 0]));
const state = (values: { heard?: Record<string, number>; lastSpeaker?: string | null; peoplePresent?: boolean; questionOpen?: boolean }): TopicState => ({
  opened: true,
  summarized: false,
  spoken: 0,
  heard: heard(values.heard ?? {}),
  lastSpeaker: values.lastSpeaker ?? null,
  addressed: null,
  addressedBy: null,
  allPassed: false,
  humansClose: false,
  peoplePresent: values.peoplePresent ?? false,
  questionOpen: values.questionOpen ?? false,
  round: 1,
});

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

describe('facilitatorChoices', () => {
  it.each([
    ['at the start: every participant, no close', {}, [backend, qa, frontend]],
    ['never the last speaker', { lastSpeaker: qa, heard: { [qa]: 1 } }, [backend, frontend]],
    ['close once everyone was heard', { lastSpeaker: frontend, heard: { [backend]: 1, [qa]: 1, [frontend]: 1 } }, [backend, qa, 'close']],
    ['not close while one is unheard', { lastSpeaker: qa, heard: { [backend]: 2, [qa]: 1 } }, [backend, frontend]],
    ['the people, once they are present', { peoplePresent: true }, [backend, qa, frontend, 'humans']],
    ['not the people while a question to them is open', { peoplePresent: true, questionOpen: true }, [backend, qa, frontend]],
    ['people and close together', { peoplePresent: true, lastSpeaker: backend, heard: { [backend]: 1, [qa]: 1, [frontend]: 1 } }, [qa, frontend, 'humans', 'close']],
  ])('%s', (_name, values, expected) => {
    expect(facilitatorChoices(participants, state(values))).toEqual(expected);
  });

  it('with one participant, they may speak again', () => {
    expect(facilitatorChoices([qa], { ...state({ lastSpeaker: qa }), heard: new Map([[qa, 1]]) })).toEqual([qa, 'close']);
  });
});
