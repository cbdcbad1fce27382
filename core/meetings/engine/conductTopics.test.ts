import { describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../events.js';
import { agents, collect, designReview, memoryTurnStore, participants, plan, said, scriptedFloor, scriptedModel, turns, type Script, type ScriptedFloor } from '../../../test/meetings/support/engineDoubles.js';
import type { TurnRow } from '../store/meetingStore.js';
import { conductTopics } from './conductTopics.js';
import type { PickRequest } from './ports.js';

const [backend, qa, frontend] = participants as [string, string, string];

function conduct(options: { script?: Script; stored?: TurnRow[]; floor?: ScriptedFloor; agenda?: string[]; signal?: AbortSignal; independent?: boolean } = {}) {
  const stored = options.stored ?? [];
  const store = memoryTurnStore(stored);
  const model = scriptedModel(options.script);
  const floor = options.floor ?? scriptedFloor();
  floor.stored = store.stored;
  const events = collect(
    conductTopics({
      meeting: plan(options.agenda ? { agenda: options.agenda } : {}),
      type: { ...designReview, independentPositions: options.independent ?? false },
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
    // What the facilitator was asked, read from the port: the first round goes by rule, in the order of the invitation, without a call;
    // the facilitator is first asked once all three spoke, offered close and never the last speaker.
    expect(model.picks.map((p) => [p.lastSpeaker, p.choices])).toEqual([[frontend, [backend, qa, 'close']]]);
    expect(picks(ran)).toEqual([[backend, 'rule'], [qa, 'rule'], [frontend, 'rule'], ['close', 'model']]);
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
    expect(picks(ran).filter(([, source]) => source === 'model')).toEqual([]);
    expect(picks(ran).some(([, source]) => source === 'fallback')).toBe(true);
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

  it('gives a colleague a turn called on by name the next turn without asking the facilitator, and still hears everyone first', async () => {
    const { store, model, events } = conduct({
      script: {
        ...closeWhenOffered,
        // Priya's first view calls on Felix; Felix's calls back on Priya.
        speak: (r) => (r.kind !== 'contribution' ? 'framing' : r.agentId === backend ? 'Felix, does the UI cope with stale data?' : r.agentId === frontend ? 'Priya, it does, with a banner.' : 'tests first'),
      },
    });
    const ran = await events;
    // Felix comes before Quinn in the first round; his answer calls Priya back, which does not decide (no hand-back chains), so the facilitator is asked.
    expect(store.stored.filter((t) => t.kind === 'contribution').map((t) => t.agentId)).toEqual([backend, frontend, qa]);
    expect(picks(ran)).toEqual([[backend, 'rule'], [frontend, 'addressed'], [qa, 'rule'], ['close', 'model']]);
    expect(ran).toContainEqual(expect.objectContaining({ type: 'next_speaker', next: frontend, reason: 'Priya Raman called on them by name' }));
    expect(model.spoken.find((r) => r.agentId === frontend)?.messages.at(-1)?.content).toContain('Priya Raman spoke to you by name');
  });

  it('once everyone was heard, a turn calling on a colleague decides the next speaker in place of a facilitator call', async () => {
    let quinnTurns = 0;
    const { store, model, events } = conduct({
      script: {
        ...heardLeast,
        speak: (r) => (r.agentId === qa && r.kind === 'contribution' && ++quinnTurns === 2 ? 'What breaks first, Priya?' : `${r.agentId} speaking`),
      },
    });
    const ran = await events;
    const order = store.stored.filter((t) => t.kind === 'contribution').map((t) => t.agentId);
    const call = order.indexOf(qa, order.indexOf(qa) + 1);
    expect(order[call + 1]).toBe(backend);
    expect(picks(ran).filter(([, source]) => source === 'addressed')).toEqual([[backend, 'addressed']]);
    // Every turn after the first round but the one decided by the call cost a facilitator call; the budget still closes the topic.
    expect(model.picks).toHaveLength(order.length - participants.length - 1);
    expect(store.closed).toEqual([expect.objectContaining({ closedBy: 'budget' })]);
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
    // Felix is the last one unheard: he speaks by rule, and the facilitator is first asked after him.
    expect(resumed.stored[3]?.agentId).toBe(frontend);
    expect(model.picks[0]).toMatchObject({ lastSpeaker: frontend, choices: [backend, qa, 'close'] });
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
    // Checkpoints: before the opening, before the first view (decided by rule), after it; the third stops the run.
    const { store, model, events } = conduct({ floor: scriptedFloor({ stopAt: 3 }), script: closeWhenOffered });
    await expect(events).rejects.toThrow('the floor stopped the run');
    expect(store.stored.map((t) => t.kind)).toEqual(['opening']);
    expect(model.picks).toHaveLength(0);
    expect(model.spoken.map((r) => r.kind)).toEqual(['opening']);
  });

  describe('every participant heard on every topic', () => {
    /** Like many small local models: always the first option offered, whatever it is. */
    const firstOption: Script = { pick: (r) => JSON.stringify({ next: r.choices[0], reason: 'first' }) };
    const coverage = (stored: TurnRow[], topicIndex: number) => new Set(stored.filter((t) => t.topicIndex === topicIndex && (t.kind === 'contribution' || t.kind === 'pass')).map((t) => t.agentId)).size / participants.length;

    it('a model that always takes the first option still hears everyone on every topic', async () => {
      const { store, events } = conduct({ script: firstOption, agenda: ['One', 'Two', 'Three'] });
      const ran = await events;
      expect([0, 1, 2].map((i) => coverage(store.stored, i))).toEqual([1, 1, 1]);
      const closes = ran.filter((e) => e.type === 'topic_closed');
      expect(closes.map((e) => e.unheard)).toEqual([[], [], []]);
      expect(closes.map((e) => e.spoke)).toEqual([participants, participants, participants]);
    });

    it('a model that always repeats the last speaker (a fallback each time) still hears everyone', async () => {
      const { store, events } = conduct({ script: { pick: (r) => JSON.stringify({ next: r.lastSpeaker, reason: 'again' }) } });
      await events;
      expect(coverage(store.stored, 0)).toBe(1);
    });

    it('with the people present the first option is still a participant until everyone was heard', async () => {
      const floor = scriptedFloor();
      floor.say('Hello all.');
      const { store, events } = conduct({ floor, script: firstOption });
      await events;
      expect(coverage(store.stored, 0)).toBe(1);
      expect(store.stored.filter((t) => t.kind === 'question')).toEqual([]);
    });

    it('a colleague a person names answers next, even before the unheard', async () => {
      const floor = scriptedFloor();
      let asked = false;
      const { store, events } = conduct({
        floor,
        script: {
          ...firstOption,
          speak: (r) => {
            if (r.agentId === backend && !asked) {
              asked = true;
              floor.say('Priya, say more about the rollback?');
            }
            return `${r.agentId} speaking`;
          },
        },
      });
      await events;
      const order = store.stored.filter((t) => t.kind === 'contribution' || t.kind === 'human').map((t) => t.agentId ?? 'person');
      expect(order.slice(0, 3)).toEqual([backend, 'person', backend]);
      expect(coverage(store.stored, 0)).toBe(1);
    });

    it('a topic a person closes says who was not heard and why', async () => {
      const floor = scriptedFloor();
      const { store, events } = conduct({
        floor,
        script: {
          ...firstOption,
          speak: (r) => {
            if (r.agentId === backend) floor.say("Thanks, let's move on.");
            return `${r.agentId} speaking`;
          },
        },
      });
      const ran = await events;
      expect(store.closed).toEqual([expect.objectContaining({ closedBy: 'humans' })]);
      const closed = ran.find((e) => e.type === 'topic_closed');
      expect(closed).toMatchObject({ spoke: [backend], unheard: [{ id: qa, why: 'a person closed the topic before their turn' }, { id: frontend, why: 'a person closed the topic before their turn' }] });
    });

    it('a person naming the same colleague again and again cannot keep the topic open past one extra turn each', async () => {
      const floor = scriptedFloor();
      const { store, events } = conduct({
        floor,
        script: {
          ...firstOption,
          speak: (r) => {
            if (r.agentId === backend) floor.say('Priya, again?');
            return `${r.agentId} speaking`;
          },
        },
      });
      await events;
      const spokenTurns = store.stored.filter((t) => t.kind === 'contribution').length;
      // design review budget: 2 rounds x 3; one extra turn each at most.
      expect(spokenTurns).toBeLessThanOrEqual(6 + 3);
      expect(store.closed).toEqual([expect.objectContaining({ closedBy: 'budget' })]);
    });
  });

  describe('independent first positions', () => {
    const firstOption: Script = { pick: (r) => JSON.stringify({ next: r.choices[0], reason: 'first' }) };

    it('opens each topic with every participant\'s position, asked at once without the others\', stored in invitation order, then seen by the discussion', async () => {
      const stored: TurnRow[] = [];
      /** Positions of the topic already stored when each position was asked for: 0 for all means none saw another. */
      const storedWhenAsked: number[] = [];
      const { store, model, events } = conduct({
        independent: true,
        stored,
        agenda: ['One', 'Two'],
        script: {
          ...firstOption,
          speak: (r) => {
            if (r.kind === 'position') storedWhenAsked.push(stored.filter((t) => t.kind === 'position' && t.topicIndex === stored.at(-1)?.topicIndex).length);
            return r.kind === 'position' ? `POSITION of ${r.agentId}` : `${r.agentId} on ${r.kind}`;
          },
        },
      });
      const ran = await events;
      for (const topicIndex of [0, 1]) {
        const topic = store.stored.filter((t) => t.topicIndex === topicIndex);
        expect(topic.slice(0, 4).map((t) => [t.kind, t.agentId])).toEqual([['opening', 'software_architect'], ['position', backend], ['position', qa], ['position', frontend]]);
      }
      expect(storedWhenAsked).toEqual([0, 0, 0, 0, 0, 0]);
      const positionPrompts = model.spoken.filter((r) => r.kind === 'position').map((r) => r.messages.map((m) => m.content).join('\n'));
      expect(positionPrompts).toHaveLength(6);
      for (const prompt of positionPrompts.slice(0, 3)) expect(prompt).not.toContain('POSITION of');
      const discussion = model.spoken.filter((r) => r.kind === 'contribution' || r.kind === 'topic_summary')[0]!.messages.map((m) => m.content).join('\n');
      for (const id of participants) expect(discussion).toContain(`POSITION of ${id}`);
      expect(ran.filter((e) => e.type === 'turn_done' && e.kind === 'position')).toHaveLength(6);
      expect(store.stored.map((t) => t.seq)).toEqual(store.stored.map((_, i) => i + 1));
    });

    it('a resumed run asks only for the positions not yet stored', async () => {
      const stored = turns(said('software_architect', 'opening'), said(backend, 'position'));
      const { store, model, events } = conduct({ independent: true, stored: [...stored], script: firstOption });
      await events;
      expect(model.spoken.filter((r) => r.kind === 'position').map((r) => r.agentId)).toEqual([qa, frontend]);
      expect(store.stored.filter((t) => t.kind === 'position').map((t) => t.agentId)).toEqual([backend, qa, frontend]);
    });
  });

  describe('dissent on purpose', () => {
    it('when the facilitator reads agreement, one participant is asked for the strongest case against, once per topic, before it may close', async () => {
      const agreeing: Script = { pick: (r) => JSON.stringify({ next: r.choices.includes('close') ? 'close' : r.choices[0], reason: 'go', agreement: true, agreed_on: 'a write-through cache' }) };
      const { store, model, events } = conduct({ script: agreeing, agenda: ['One', 'Two'] });
      const ran = await events;
      for (const topicIndex of [0, 1]) {
        const dissent = store.stored.filter((t) => t.topicIndex === topicIndex && t.kind === 'dissent');
        expect(dissent).toHaveLength(1);
        expect(store.stored.filter((t) => t.topicIndex === topicIndex).at(-1)?.kind).toBe('topic_summary');
      }
      const asked = model.spoken.filter((r) => r.kind === 'dissent').map((r) => r.messages.at(-1)!.content);
      expect(asked.every((p) => p.includes('strongest case against'))).toBe(true);
      expect(ran.filter((e) => e.type === 'next_speaker' && e.reason.includes('on a write-through cache'))).toHaveLength(2);
    });

    it('colleagues who keep calling on each other by name do not carry a topic past an unjudged agreement: a broken judgement is asked again, and the call is still answered', async () => {
      let asked = 0;
      const agreeing: Script = {
        // The first judgement of each topic is broken JSON, as a small model's may be.
        pick: (r) => (++asked % 2 === 1 ? '{"next": ' : JSON.stringify({ next: r.choices[0], reason: 'go', agreement: true, agreed_on: 'retries' })),
        // Every turn hands over to the next colleague by name, so no step after the first round needs the facilitator to choose.
        speak: (r) => {
          if (r.kind !== 'contribution' && r.kind !== 'dissent') return `${r.kind} said`;
          const next = participants[(participants.indexOf(r.agentId) + 1) % participants.length]!;
          return `${agents.get(next).name.split(' ')[0]}, what would you change?`;
        },
      };
      const { store, model, events } = conduct({ script: agreeing, agenda: ['One', 'Two'] });
      const ran = await events;
      for (const topicIndex of [0, 1]) expect(store.stored.filter((t) => t.topicIndex === topicIndex && t.kind === 'dissent')).toHaveLength(1);
      // The broken judgement is asked again once; after a dissent that calls on a colleague, the call decides.
      expect(model.picks).toHaveLength(4);
      expect(model.picks.every((p) => 'agreement' in ((p.format as { properties?: object }).properties ?? {}))).toBe(true);
      expect(picks(ran).filter(([, source]) => source === 'addressed').length).toBeGreaterThan(0);
    });

    it('no dissent is asked while the facilitator reads disagreement', async () => {
      const { store, events } = conduct({ script: { pick: (r) => JSON.stringify({ next: r.choices.includes('close') ? 'close' : r.choices[0], reason: 'go', agreement: false, agreed_on: '' }) } });
      await events;
      expect(store.stored.filter((t) => t.kind === 'dissent')).toEqual([]);
    });
  });
});
