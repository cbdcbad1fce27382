import { describe, expect, it } from 'vitest';
import { colleagueAllowed, decideMessage, modelFor, personRefusal, type MessageDecision, type Person } from './placeRules.js';
import { defaultSettings } from './resolveSettings.js';
import type { EffectiveSettings } from './settingsSchema.js';

const base = defaultSettings({ DISCORD_MAX_PER_CHANNEL: 2, DISCORD_MAX_PER_USER: 1, DISCORD_QUEUE_PER_CHANNEL: 10, DISCORD_QUEUE_PER_USER: 3 });
const settings = (values: Partial<EffectiveSettings>): EffectiveSettings => ({ ...base, ...values });
const ana: Person = { userId: '100000000000000001', roleIds: ['300000000000000001'] };
const bob: Person = { userId: '100000000000000002', roleIds: [] };
const everyone = ['cto', 'qa_engineer', 'backend_developer'];

describe('personRefusal', () => {
  const cases: Array<[string, Partial<EffectiveSettings>, Person, ReturnType<typeof personRefusal>]> = [
    ['nobody named: everyone may', {}, bob, null],
    ['blocked by id', { blockUsers: [bob.userId] }, bob, 'blocked'],
    ['blocked by a role', { blockRoles: ['300000000000000001'] }, ana, 'blocked'],
    ['a block wins over an allow', { allowUsers: [bob.userId], blockUsers: [bob.userId] }, bob, 'blocked'],
    ['a role block wins over a user allow', { allowUsers: [ana.userId], blockRoles: ['300000000000000001'] }, ana, 'blocked'],
    ['allowed by id', { allowUsers: [bob.userId] }, bob, null],
    ['allowed by a role', { allowRoles: ['300000000000000001'] }, ana, null],
    ['not on the allow lists', { allowRoles: ['300000000000000001'] }, bob, 'not_allowed'],
    ['someone else blocked', { blockUsers: [ana.userId] }, bob, null],
  ];
  for (const [name, values, person, expected] of cases) it(name, () => expect(personRefusal(settings(values), person)).toBe(expected));
});

describe('decideMessage', () => {
  const cases: Array<[string, Partial<EffectiveSettings>, string | null, MessageDecision]> = [
    ['mentions: an addressed message is answered by who it names', {}, 'cto', { action: 'answer', agent: 'cto' }],
    ['mentions: an unaddressed message is ignored', {}, null, { action: 'ignore' }],
    ['mentions and listening: an unaddressed message is listened to, for the first colleague', { listening: true }, null, { action: 'listen', agent: 'cto' }],
    ['listening with a default colleague: its memories', { listening: true, defaultColleague: 'qa_engineer' }, null, { action: 'listen', agent: 'qa_engineer' }],
    ['ambient: any message, by the default colleague', { replyMode: 'ambient', defaultColleague: 'qa_engineer' }, null, { action: 'answer', agent: 'qa_engineer' }],
    ['ambient: addressed still goes to who it names', { replyMode: 'ambient', defaultColleague: 'qa_engineer' }, 'cto', { action: 'answer', agent: 'cto' }],
    ['ambient without a default: the first allowed colleague', { replyMode: 'ambient', colleagues: ['backend_developer', 'cto'] }, null, { action: 'answer', agent: 'backend_developer' }],
    ['ambient with a default that is not allowed: the first allowed', { replyMode: 'ambient', defaultColleague: 'cto', colleagues: ['qa_engineer'] }, null, { action: 'answer', agent: 'qa_engineer' }],
    ['off: an addressed message is refused', { replyMode: 'off' }, 'cto', { action: 'refuse', reason: 'reply_off' }],
    ['off: an unaddressed message is ignored', { replyMode: 'off' }, null, { action: 'ignore' }],
    ['off and listening: still listened to', { replyMode: 'off', listening: true, colleagues: ['backend_developer'] }, null, { action: 'listen', agent: 'backend_developer' }],
    ['a disabled colleague addressed is refused', { colleagues: ['qa_engineer'] }, 'cto', { action: 'refuse', reason: 'colleague_disabled' }],
    ['a blocked person addressing a colleague is refused', { blockUsers: [bob.userId] }, 'cto', { action: 'refuse', reason: 'blocked' }],
    ['a blocked person is not listened to', { blockUsers: [bob.userId], listening: true }, null, { action: 'ignore' }],
    ['someone not allowed is refused', { allowUsers: [ana.userId] }, 'cto', { action: 'refuse', reason: 'not_allowed' }],
  ];
  for (const [name, values, addressed, expected] of cases) {
    it(name, () => expect(decideMessage(settings(values), { addressed, person: bob, allColleagues: everyone })).toEqual(expected));
  }
});

describe('colleagues and models', () => {
  it('allows every colleague until a list names some', () => {
    expect(colleagueAllowed(base, 'cto')).toBe(true);
    expect(colleagueAllowed(settings({ colleagues: ['qa_engineer'] }), 'cto')).toBe(false);
  });

  it('picks the colleague\'s model, then the place\'s, then none (MODEL_NAME)', () => {
    expect(modelFor(base, 'cto')).toBeNull();
    expect(modelFor(settings({ model: 'llama3.2' }), 'cto')).toBe('llama3.2');
    expect(modelFor(settings({ model: 'llama3.2', models: { cto: 'qwen3:14b' } }), 'cto')).toBe('qwen3:14b');
    expect(modelFor(settings({ model: 'llama3.2', models: { cto: 'qwen3:14b' } }), 'qa_engineer')).toBe('llama3.2');
  });
});
