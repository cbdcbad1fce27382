import { describe, expect, it } from 'vitest';
import { parseMessageLink } from './parseMessageLink.js';

describe('parseMessageLink', () => {
  const ids = { guildId: '123456789012345678', channelId: '223456789012345678', messageId: '323456789012345678' };

  it('reads the links Discord copies, from every client', () => {
    for (const host of ['discord.com', 'canary.discord.com', 'ptb.discord.com', 'discordapp.com']) {
      expect(parseMessageLink(`https://${host}/channels/${ids.guildId}/${ids.channelId}/${ids.messageId}`)).toEqual(ids);
    }
    expect(parseMessageLink(` <https://discord.com/channels/${ids.guildId}/${ids.channelId}/${ids.messageId}> `)).toEqual(ids);
  });

  it('refuses what is not a message link', () => {
    expect(parseMessageLink(`https://discord.com/channels/${ids.guildId}/${ids.channelId}`)).toBeNull();
    expect(parseMessageLink(`https://discord.com/channels/@me/${ids.channelId}/${ids.messageId}`)).toBeNull();
    expect(parseMessageLink(`https://evil.example/channels/${ids.guildId}/${ids.channelId}/${ids.messageId}`)).toBeNull();
    expect(parseMessageLink('323456789012345678')).toBeNull();
  });
});
