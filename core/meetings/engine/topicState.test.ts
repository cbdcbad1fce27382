import { describe, expect, it } from 'vitest';
import { agents, attendees, participants, person, said, turns } from '../../../test/meetings/support/engineDoubles.js';
import type { TurnRow } from '../store/meetingStore.js';
import { replayTopic, type TopicState } from './topicState.js';

const replay = (stored: TurnRow[], topicIndex = 0) => replayTopic(stored, topicIndex, attendees, participants, agents);
const heardOf = (state: TopicState) => Object.fromEntries(state.heard);

describe('replayTopic', () => {
  it.each<[string, TurnRow[], Partial<TopicState>]>([
    ['nothing stored', [], { opened: false, summarized: false, spoken: 0, lastSpeaker: null, round: 1, peoplePresent: false, questionOpen: false, allPassed: false }],
    ['the opening alone', turns(said('software_architect', 'opening')), { opened: true, spoken: 0, lastSpeaker: null, round: 1 }],
    [
      'one round of three: round 2 next',
      turns(said('software_architect', 'opening'), said('backend_developer'), said('qa_engineer'), said('frontend_developer')),
      { spoken: 3, lastSpeaker: 'frontend_developer', round: 2 },
    ],
    ['a pass counts as a turn', turns(said('software_architect', 'opening'), said('qa_engineer', 'pass')), { spoken: 1, lastSpeaker: 'qa_engineer' }],
    ['the facilitator\'s question is not the last speaker', turns(said('backend_developer'), said('software_architect', 'question')), { lastSpeaker: 'backend_developer', questionOpen: true }],
    ['an answer closes the question', turns(said('software_architect', 'question'), person('Budget is 2k.')), { questionOpen: false, peoplePresent: true }],
    ['the summary marks it done', turns(said('software_architect', 'opening'), said('software_architect', 'topic_summary')), { opened: true, summarized: true }],
    ['other topics are not this one', turns(said('backend_developer', 'contribution', 1), said('software_architect', 'opening', 1)), { opened: false, spoken: 0, lastSpeaker: null }],
    ['people in any topic are present', turns(person('hello', 'Ana', 1)), { peoplePresent: true }],
  ])('%s', (_name, stored, expected) => {
    expect(replay(stored)).toMatchObject(expected);
  });

  it('counts turns per participant, the facilitator and people aside', () => {
    const state = replay(turns(said('software_architect', 'opening'), said('backend_developer'), person('go on'), said('backend_developer', 'pass'), said('qa_engineer')));
    expect(heardOf(state)).toEqual({ backend_developer: 2, qa_engineer: 1, frontend_developer: 0 });
  });

  it.each([
    ['by first name', 'Priya, what about rollback?', 'backend_developer'],
    ['by full name', 'I would like Quinn Lee to answer.', 'qa_engineer'],
    ['by id', 'frontend_developer: thoughts?', 'frontend_developer'],
    ['by alias, with an @', 'what does @backend think?', 'backend_developer'],
    ['whoever comes first', 'Felix, then Quinn', 'frontend_developer'],
    ['nobody', 'What about rollback?', null],
    ['not inside a longer word', 'Priyanka says hi', null],
  ])('a person naming an attendee %s makes them addressed', (_name, content, addressed) => {
    const state = replay(turns(said('software_architect', 'opening'), person(content, 'Ana')));
    expect(state.addressed).toBe(addressed);
    expect(state.addressedBy).toBe(addressed ? 'Ana' : null);
  });

  it('the addressed attendee answering clears it; someone else speaking does not', () => {
    const asked = [said('software_architect', 'opening'), person('Priya, rollback?')] as const;
    expect(replay(turns(...asked, said('qa_engineer'))).addressed).toBe('backend_developer');
    expect(replay(turns(...asked, said('backend_developer'))).addressed).toBeNull();
  });

  it.each([
    ['"next topic"', [person('next topic please')], true],
    ['"let\'s move on"', [person("ok, let's move on")], true],
    ['a persona spoke after it', [person('move on'), said('qa_engineer')], false],
    ['nothing of the kind', [person('go deeper')], false],
  ] as const)('people asking to close: %s', (_name, after, humansClose) => {
    expect(replay(turns(said('software_architect', 'opening'), ...after)).humansClose).toBe(humansClose);
  });

  it.each([
    ['everyone passed', [said('backend_developer', 'pass'), said('qa_engineer', 'pass'), said('frontend_developer', 'pass')], true],
    ['one has not spoken', [said('backend_developer', 'pass'), said('qa_engineer', 'pass')], false],
    ['one passed, then contributed', [said('backend_developer', 'pass'), said('qa_engineer', 'pass'), said('frontend_developer', 'pass'), said('backend_developer')], false],
    ['a person spoke after the passes', [said('backend_developer', 'pass'), said('qa_engineer', 'pass'), said('frontend_developer', 'pass'), person('wait')], false],
    ['passes only since the person spoke count', [said('backend_developer'), person('wait'), said('backend_developer', 'pass'), said('qa_engineer', 'pass'), said('frontend_developer', 'pass')], true],
  ] as const)('all passed: %s', (_name, after, allPassed) => {
    expect(replay(turns(said('software_architect', 'opening'), ...after)).allPassed).toBe(allPassed);
  });

  it.each([
    ['a contribution calling on a colleague', [said('backend_developer', 'contribution', 0, 'Quinn, how would you test it?')], 'qa_engineer', 'backend_developer'],
    ['a dissent calling on a colleague', [said('backend_developer', 'dissent', 0, 'Felix, what breaks?')], 'frontend_developer', 'backend_developer'],
    ['a mention in passing', [said('backend_developer', 'contribution', 0, 'As Quinn said, test it.')], null, null],
    ['a person speaking after the call keeps it', [said('backend_developer', 'contribution', 0, 'Quinn, test it?'), person('go on')], 'qa_engineer', 'backend_developer'],
    ['the one called on answering clears it', [said('backend_developer', 'contribution', 0, 'Quinn, test it?'), said('qa_engineer')], null, null],
    ['an answer calling back calls nobody', [said('backend_developer', 'contribution', 0, 'Quinn, test it?'), said('qa_engineer', 'contribution', 0, 'Priya, only with a fixture.')], null, null],
    ['someone else speaking replaces it', [said('backend_developer', 'contribution', 0, 'Quinn, test it?'), said('frontend_developer')], null, null],
    ['a position calls on nobody', [said('backend_developer', 'position', 0, 'Quinn, test it?')], null, null],
  ] as const)('a turn calling on a colleague: %s', (_name, after, calledOn, calledBy) => {
    const state = replay(turns(said('software_architect', 'opening'), ...after));
    expect([state.calledOn, state.calledBy]).toEqual([calledOn, calledBy]);
  });
});
