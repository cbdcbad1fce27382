import { describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../events.js';
import { agents, collect, designReview, memoryTurnStore, participants, plan, said, scriptedFloor, scriptedModel, turns, type Script, type ScriptedFloor } from '../../../test/meetings/support/engineDoubles.js';
import type { TurnRow } from '../store/meetingStore.js';
import { conductTopics } from './conductTopics.js';
import type { PickRequest } from './ports.js';

const [backend, qa, frontend] = participants as [string, string, string];

function conduct(options: { script?: Script; stored?: TurnRow[]; floor?: ScriptedFloor; agenda?: string[]; signal?: AbortSignal } = {}) {
  const stored = options.stored ?? [];
  const store = memoryTurnStore(stored);
  const model = scriptedModel(options.script);
  const floor = options.floor ?? scriptedFloor();
  floor.stored = store.stored;
  const events = collect(
    conductTopics({
      meeting: plan(options.agenda ? { agenda: options.agenda } : {}),
      type: designReview,
      agents,
      turns: [...stored],
      store,
      model,
      floor,
      contextTokens: 4096,
      carried: [],
      signal: options.signal ?? new AbortController().signal,
    }),
  );
  return { store, model, floor, events };
}

const spoken = (stored: TurnRow[]) => stored.map((t) => [t.kind, t.agentId ?? t.speakerName]);
const picks = (events: CouncilEvent[]) => events.flatMap((e) => (e.type === 'next_speaker' ? [[e.next, e.source]] : []));
/** The participant offered who was heard least, read from the request's data (not its wording). */
const quietest = (r: PickRequest) => r.choices.filter((c) => r.heard.has(c)).reduce((a, b) => ((r.heard.get(b) ?? 0) < (r.heard.get(a) ?? 0) ? b : a));
const heardLeast: Script = { pick: (r) => JSON.stringify({ next: quietest(r), reason: 'go' }) };
/** Close as soon as it is offered, else the quietest. */
const closeWhenOffered: Script = { pick: (r) => JSON.stringify({ next: r.choices.includes('close') ? 'close' : quietest(r), reason: 'go' }) };

describe('conductTopics', () => {
  it('opens, gives the floor as the facilitator picks, closes on its word once everyone was heard, and sums up', async () => {
    const { store, model, events } = conduct({ script: closeWhenOffered });
    const ran = await events;
    expect(spoken(store.stored)).toEqual([
      ['opening', 'software_architect'],
      ['contribution', backend],
      ['contribution', qa],
      ['contribution', frontend],
      ['topic_summary', 'software_architect'],
    ]);
    expect(store.stored.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(store.closed).toEqual([{ topicIndex: 0, closedBy: 'facilitator', reason: 'go' }]);
    // What the facilitator was offered, read from the port: never the last speaker; close only once all three spoke.
    expect(model.picks.map((p) => [p.lastSpeaker, p.choices])).toEqual([
      [null, [backend, qa, frontend]],
      [backend, [qa, frontend]],
      [qa, [backend, frontend]],
      [frontend, [backend, qa, 'close']],
    ]);
    expect(ran.map((e) => e.type).filter((t) => t !== 'token')).toEqual([
      'topic_started',
      'turn_started', 'turn_done',
      'next_speaker', 'turn_started', 'turn_done',
      'next_speaker', 'turn_started', 'turn_done',
      'next_speaker', 'turn_started', 'turn_done',
      'next_speaker', 'topic_closed',
      'turn_started', 'turn_done', 'topic_summary',
    ]);
  });

  it('closes on the turn budget when the facilitator never answers usefully, giving the floor to whoever was heard least', async () => {
    const { store, events } = conduct({ script: { pick: () => 'not json' } });
    const ran = await events;
    expect(store.closed).toEqual([expect.objectContaining({ closedBy: 'budget' })]);
    // design review: 2 rounds of 3 participants.
    expect(store.stored.filter((t) => t.kind === 'contribution').map((t) => t.agentId)).toEqual([backend, qa, frontend, backend, qa, frontend]);
    expect(picks(ran).every(([, source]) => source === 'fallback')).toBe(true);
  });

  it('closes when everyone passed', async () => {
    const { store, events } = conduct({ script: { ...heardLeast, speak: (r) => (r.kind === 'contribution' ? 'PASS' : 'framing') } });
    await events;
    expect(store.closed).toEqual([expect.objectContaining({ closedBy: 'passes' })]);
    expect(store.stored.map((t) => t.kind)).toEqual(['opening', 'pass', 'pass', 'pass', 'topic_summary']);
  });

  it('gives a person\'s addressee the next turn, even right after they spoke, and tells them who asked', async () => {
    const floor = scriptedFloor();
    let backendTurns = 0;
    const { store, events } = conduct({
      floor,
      script: {
        ...closeWhenOffered,
        speak: (r) => {
          // While Priya gives her first view, a person asks her directly.
          if (r.agentId === backend && ++backendTurns === 1) floor.say('Priya, and the rollback?');
          return `${r.agentId} speaking`;
        },
      },
    });
    const ran = await events;
    const human = store.stored.findIndex((t) => t.kind === 'human');
    expect(store.stored[human - 1]?.agentId).toBe(backend);
    expect(store.stored[human + 1]?.agentId).toBe(backend);
    expect(picks(ran)).toContainEqual([backend, 'addressed']);
    expect(store.stored.map((t) => t.seq)).toEqual(store.stored.map((_, i) => i + 1));
  });

  it('asks the people when the facilitator chooses them, and waits on the floor before going on', async () => {
    let asked = false;
    const floor = scriptedFloor({ onAsked: (f) => f.say('Budget is 2k a month.') });
    floor.say('We are listening.');
    const { store, events } = conduct({
      floor,
      script: {
        pick: (r) => {
          if (!asked && r.choices.includes('humans')) {
            asked = true;
            return JSON.stringify({ next: 'humans', reason: 'we need the budget' });
          }
          return closeWhenOffered.pick!(r);
        },
      },
    });
    const ran = await events;
    const kinds = store.stored.map((t) => t.kind);
    expect(kinds.slice(kinds.indexOf('question'), kinds.indexOf('question') + 2)).toEqual(['question', 'human']);
    expect(ran.map((e) => e.type)).toContain('waiting_for_people');
  });

  it('resumes from stored turns without redoing one', async () => {
    const stored = turns(said('software_architect', 'opening'), said(backend), said(qa));
    const { store: resumed, model, events } = conduct({ stored: [...stored], script: closeWhenOffered });
    await events;
    expect(spoken(resumed.stored).slice(0, 3)).toEqual([['opening', 'software_architect'], ['contribution', backend], ['contribution', qa]]);
    expect(resumed.stored.filter((t) => t.kind === 'opening')).toHaveLength(1);
    expect(model.picks[0]).toMatchObject({ lastSpeaker: qa, choices: [backend, frontend] });
    expect(resumed.stored.map((t) => t.seq)).toEqual(resumed.stored.map((_, i) => i + 1));
  });

  it('skips topics already summed up and keeps a stored close', async () => {
    const stored = turns(said('software_architect', 'opening'), said('software_architect', 'topic_summary'));
    const { store, events } = conduct({ stored, agenda: ['Done already', 'Next'], script: closeWhenOffered });
    const ran = await events;
    expect(ran.filter((e) => e.type === 'topic_started').map((e) => (e as { topicIndex: number }).topicIndex)).toEqual([1]);
    expect(store.stored.filter((t) => t.topicIndex === 1).at(-1)?.kind).toBe('topic_summary');
  });

  it('stops at the floor: nothing more is asked of the model', async () => {
    // Checkpoints: before the opening, before the pick, after the pick; the third stops the run.
    const { store, model, events } = conduct({ floor: scriptedFloor({ stopAt: 3 }), script: closeWhenOffered });
    await expect(events).rejects.toThrow('the floor stopped the run');
    expect(store.stored.map((t) => t.kind)).toEqual(['opening']);
    expect(model.picks).toHaveLength(1);
    expect(model.spoken.map((r) => r.kind)).toEqual(['opening']);
  });
});
