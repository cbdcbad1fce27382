import { describe, expect, it } from 'vitest';
import { participants } from '../../../test/meetings/support/engineDoubles.js';
import { facilitatorChoices } from './facilitatorChoices.js';
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
  calledOn: null,
  calledBy: null,
  allPassed: false,
  humansClose: false,
  peoplePresent: values.peoplePresent ?? false,
  questionOpen: values.questionOpen ?? false,
  round: 1,
});

describe('facilitatorChoices', () => {
  it.each([
    ['at the start: every participant, no close', {}, [backend, qa, frontend]],
    ['never the last speaker', { lastSpeaker: qa, heard: { [qa]: 1 } }, [backend, frontend]],
    ['close once everyone was heard', { lastSpeaker: frontend, heard: { [backend]: 1, [qa]: 1, [frontend]: 1 } }, [backend, qa, 'close']],
    ['only the unheard while one is unheard', { lastSpeaker: qa, heard: { [backend]: 2, [qa]: 1 } }, [frontend]],
    ['only the unheard, not who spoke before the last speaker', { lastSpeaker: qa, heard: { [backend]: 1, [qa]: 1 } }, [frontend]],
    ['the unheard in invitation order after one spoke', { lastSpeaker: qa, heard: { [qa]: 1 } }, [backend, frontend]],
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
