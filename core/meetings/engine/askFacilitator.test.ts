import { describe, expect, it } from 'vitest';
import { agents, participants, scriptedModel } from '../../../test/meetings/support/engineDoubles.js';
import { askFacilitator, parsePick, pickMaxTokens, pickReasonChars, type FacilitatorPick } from './askFacilitator.js';

const [backend, qa, frontend] = participants as [string, string, string];
const answer = (next: unknown, reason: unknown = 'their view is missing') => JSON.stringify({ next, reason });

/** Mid-topic: Quinn spoke last, Felix not yet, so close is not offered; the people are. */
const offered = { choices: [backend, frontend, 'humans'], lastSpeaker: qa, fallback: frontend };

function ask(reply: string | (() => never), signal = new AbortController().signal, askAgreement?: boolean) {
  const model = scriptedModel({ pick: typeof reply === 'string' ? () => reply : reply });
  const pick = askFacilitator(model, {
    facilitator: agents.get('software_architect'),
    context: 'Meeting "Caching" (Design Review). Current topic: 1. Cache layer',
    transcript: '',
    heard: participants.map((id) => ({ id, label: id, turns: id === frontend ? 0 : 1 })),
    choices: offered.choices,
    lastSpeaker: offered.lastSpeaker,
    fallback: offered.fallback,
    ...(askAgreement === undefined ? {} : { askAgreement }),
    signal,
  });
  return { model, pick };
}

describe('askFacilitator', () => {
  it.each<[string, string, Partial<FacilitatorPick>]>([
    ['valid JSON naming a participant', answer(backend, 'she owns the schema'), { next: backend, reason: 'she owns the schema', source: 'model' }],
    ['valid JSON asking the people', answer('humans', 'we need the budget'), { next: 'humans', source: 'model' }],
    ['an empty reason', answer(backend, '   '), { next: backend, reason: 'no reason given', source: 'model' }],
    ['broken JSON', '{"next": "backend_dev', { next: frontend, source: 'fallback', fallback: 'invalid_json' }],
    ['prose around the JSON', `Sure! ${answer(backend)}`, { next: frontend, source: 'fallback', fallback: 'invalid_json' }],
    ['a non-participant', answer('wizard'), { next: frontend, source: 'fallback', fallback: 'invalid_choice' }],
    ['the last speaker again', answer(qa), { next: frontend, source: 'fallback', fallback: 'repeat_speaker' }],
    ['"close" before everyone was heard', answer('close', 'we agree'), { next: frontend, source: 'fallback', fallback: 'invalid_choice' }],
    ['a name instead of an id', answer('Priya Raman'), { next: frontend, source: 'fallback', fallback: 'invalid_choice' }],
    ['no reason', JSON.stringify({ next: backend }), { next: frontend, source: 'fallback', fallback: 'invalid_choice' }],
    ['JSON that is not an object', '"backend_developer"', { next: frontend, source: 'fallback', fallback: 'invalid_choice' }],
  ])('%s', async (_name, reply, expected) => {
    const { pick } = ask(reply);
    expect(await pick).toMatchObject(expected);
  });

  it('says why it fell back, and never returns a reason longer than pickReasonChars (40)', async () => {
    expect((await ask('nope').pick).reason).toContain('invalid json');
    expect((await ask(answer(backend, 'x'.repeat(1000))).pick).reason).toHaveLength(pickReasonChars);
  });

  it('offers the model exactly the choices, the last speaker and the turns heard, as data and as the answer schema', async () => {
    const { model, pick } = ask(answer(backend));
    await pick;
    const [request] = model.picks;
    expect(request).toMatchObject({ choices: offered.choices, lastSpeaker: qa });
    expect(Object.fromEntries(request!.heard)).toEqual({ [backend]: 1, [qa]: 1, [frontend]: 0 });
    expect(request!.format).toMatchObject({ properties: { next: { enum: offered.choices }, reason: { maxLength: pickReasonChars } }, required: ['next', 'reason', 'agreement', 'agreed_on'] });
    expect(request!.maxTokens).toBe(pickMaxTokens);
  });

  it('spends no output on agreement once the topic heard its dissent', async () => {
    const { model, pick } = ask(answer(backend), undefined, false);
    expect(await pick).toMatchObject({ next: backend, source: 'model' });
    expect(model.picks[0]!.format).toMatchObject({ required: ['next', 'reason'] });
    expect(Object.keys((model.picks[0]!.format as { properties: object }).properties)).toEqual(['next', 'reason']);
    expect(model.picks[0]!.messages.map((m) => m.content).join('\n')).not.toContain('agree');
  });

  it('reads whether the turns agree and on what; an answer without it is still a valid pick', async () => {
    expect(await ask(JSON.stringify({ next: backend, reason: 'go', agreement: true, agreed_on: 'the cache' })).pick).toMatchObject({ next: backend, agreement: { agree: true, on: 'the cache' } });
    expect(await ask(answer(backend)).pick).not.toHaveProperty('agreement');
  });

  it('falls back when the call fails', async () => {
    const { pick } = ask(() => {
      throw new Error('ollama down');
    });
    expect(await pick).toMatchObject({ next: frontend, source: 'fallback', fallback: 'call_failed' });
  });

  it('lets a cancel through instead of falling back', async () => {
    const stop = new AbortController();
    stop.abort(new Error('cancelled'));
    await expect(ask(answer(backend), stop.signal).pick).rejects.toThrow('cancelled');
  });
});

describe('parsePick', () => {
  it.each([
    ['a choice', answer('close', 'done'), ['close'], null, { next: 'close', reason: 'done' }],
    ['the last speaker when offered (one participant)', answer(qa), [qa], qa, { next: qa }],
    ['the last speaker when not offered', answer(qa), [backend], qa, { fallback: 'repeat_speaker' }],
    ['the last speaker again, with a judgement of agreement kept', JSON.stringify({ next: qa, reason: 'go', agreement: true, agreed_on: 'retries' }), [backend], qa, { fallback: 'repeat_speaker', agreement: { agree: true, on: 'retries' } }],
    ['an empty answer', '', [backend], null, { fallback: 'invalid_json' }],
    ['null', 'null', [backend], null, { fallback: 'invalid_choice' }],
  ] as const)('%s', (_name, content, choices, lastSpeaker, expected) => {
    expect(parsePick(content, choices, lastSpeaker)).toMatchObject(expected);
  });
});
