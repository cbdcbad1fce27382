import { describe, expect, it } from 'vitest';
import { adminCaller, apiKeyCaller, cliCaller, discordCaller, type Caller } from '../memory/scope.js';
import { changeRefusal, readRefusal } from './settingsAccess.js';
import type { SettingScope } from './settingsSchema.js';

const place = { threadId: 't1', channelId: 'c1', categoryId: 'k1' };
const member = (extra: { manageServer?: boolean; manageChannels?: boolean } = {}) => discordCaller({ userId: 'u1', name: 'Ana', guildId: 'g1', placeId: 't1', place, ...extra });

describe('who may read and change a place\'s settings', () => {
  const cases: Array<[string, Caller, SettingScope, string, 'read' | 'change' | 'none']> = [
    ['the admin token: any place', adminCaller, 'channel', 'elsewhere', 'change'],
    ['the command line: any place', cliCaller('ops'), 'guild', 'g9', 'change'],
    ['an API key: none', apiKeyCaller('k'), 'guild', 'g1', 'none'],
    ['a member: their thread, read only', member(), 'thread', 't1', 'read'],
    ['a member with Manage Channels: their thread', member({ manageChannels: true }), 'thread', 't1', 'change'],
    ['a member with Manage Channels: their channel', member({ manageChannels: true }), 'channel', 'c1', 'change'],
    ['a member with Manage Channels: not the category', member({ manageChannels: true }), 'category', 'k1', 'read'],
    ['a member with Manage Channels: not the server', member({ manageChannels: true }), 'guild', 'g1', 'read'],
    ['a member with Manage Server: the category', member({ manageServer: true }), 'category', 'k1', 'change'],
    ['a member with Manage Server: the server', member({ manageServer: true }), 'guild', 'g1', 'change'],
    ['a member with Manage Server: not a channel without Manage Channels', member({ manageServer: true }), 'channel', 'c1', 'read'],
    ['a member with every permission: not another channel', member({ manageServer: true, manageChannels: true }), 'channel', 'c2', 'none'],
    ['a member with every permission: not another server', member({ manageServer: true, manageChannels: true }), 'guild', 'g2', 'none'],
  ];
  for (const [name, caller, scope, id, may] of cases) {
    it(name, () => {
      expect(readRefusal(caller, scope, id) === null).toBe(may !== 'none');
      expect(changeRefusal(caller, scope, id) === null).toBe(may === 'change');
    });
  }

  it('says what is missing', () => {
    expect(changeRefusal(member({ manageChannels: true }), 'guild', 'g1')).toBe('changing the settings of the server needs Manage Server');
    expect(changeRefusal(member(), 'channel', 'c1')).toBe('changing the settings of a channel needs Manage Channels');
    expect(readRefusal(member(), 'channel', 'c2')).toBe('you can see the settings of a channel only from within it');
  });
});
