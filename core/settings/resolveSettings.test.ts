import { describe, expect, it } from 'vitest';
import { defaultSettings, resolveSettings, type SettingsLevel } from './resolveSettings.js';
import type { PlaceSettings } from './settingsSchema.js';

const defaults = defaultSettings({ DISCORD_MAX_PER_CHANNEL: 2, DISCORD_MAX_PER_USER: 1, DISCORD_QUEUE_PER_CHANNEL: 10, DISCORD_QUEUE_PER_USER: 3 });
const level = (scope: SettingsLevel['scope'], values: PlaceSettings): SettingsLevel => ({ scope, id: `${scope}-id`, values });
const userA = '100000000000000001';
const userB = '100000000000000002';
const role = '200000000000000001';

describe('resolveSettings', () => {
  const cases: Array<{ name: string; levels: SettingsLevel[]; expect: Partial<Record<keyof PlaceSettings, unknown>>; sources?: Partial<Record<keyof PlaceSettings, string[]>> }> = [
    { name: 'nothing set: the defaults', levels: [], expect: { replyMode: 'mentions', colleagues: null, listening: false, model: null, maxPerChannel: 2, queuePerUser: 3 }, sources: { replyMode: ['default'] } },
    { name: 'the guild sets it: the thread inherits', levels: [level('thread', {}), level('channel', {}), level('guild', { replyMode: 'ambient' })], expect: { replyMode: 'ambient' }, sources: { replyMode: ['guild'] } },
    { name: 'the channel beats the guild', levels: [level('channel', { replyMode: 'off' }), level('guild', { replyMode: 'ambient' })], expect: { replyMode: 'off' }, sources: { replyMode: ['channel'] } },
    { name: 'the thread beats its channel', levels: [level('thread', { model: 'qwen3:14b' }), level('channel', { model: 'llama3.2' })], expect: { model: 'qwen3:14b' }, sources: { model: ['thread'] } },
    { name: 'a category sits between channel and guild', levels: [level('channel', {}), level('category', { listening: true }), level('guild', { listening: false })], expect: { listening: true }, sources: { listening: ['category'] } },
    { name: 'false is a value, not unset', levels: [level('channel', { listening: false }), level('guild', { listening: true })], expect: { listening: false }, sources: { listening: ['channel'] } },
    { name: 'an allow list is replaced, not merged', levels: [level('channel', { allowUsers: [userA] }), level('guild', { allowUsers: [userB] })], expect: { allowUsers: [userA] }, sources: { allowUsers: ['channel'] } },
    { name: 'blocks add up from every level', levels: [level('thread', { blockUsers: [userA] }), level('guild', { blockUsers: [userB, userA], blockRoles: [role] })], expect: { blockUsers: [userA, userB], blockRoles: [role] }, sources: { blockUsers: ['thread', 'guild'], blockRoles: ['guild'] } },
    { name: 'models merge per colleague, nearest wins', levels: [level('channel', { models: { qa_engineer: 'qwen3:14b' } }), level('guild', { models: { qa_engineer: 'llama3.2', cto: 'mistral' } })], expect: { models: { qa_engineer: 'qwen3:14b', cto: 'mistral' } }, sources: { models: ['channel', 'guild'] } },
    { name: 'a colleague list and a default colleague come from different levels', levels: [level('channel', { defaultColleague: 'cto' }), level('guild', { colleagues: ['cto', 'qa_engineer'] })], expect: { defaultColleague: 'cto', colleagues: ['cto', 'qa_engineer'] }, sources: { defaultColleague: ['channel'], colleagues: ['guild'] } },
    { name: 'queue caps override the environment', levels: [level('channel', { maxPerChannel: 4, queuePerChannel: 0 })], expect: { maxPerChannel: 4, queuePerChannel: 0, maxPerUser: 1 }, sources: { queuePerChannel: ['channel'], maxPerUser: ['default'] } },
  ];
  for (const test of cases) {
    it(test.name, () => {
      const resolved = resolveSettings(test.levels, defaults);
      expect(resolved.values).toMatchObject(test.expect);
      if (test.sources) expect(resolved.sources).toMatchObject(test.sources);
    });
  }

  it('leaves the defaults it was given untouched', () => {
    const before = structuredClone(defaults);
    resolveSettings([level('channel', { models: { cto: 'x' }, blockUsers: [userA] })], defaults);
    expect(defaults).toEqual(before);
  });
});
