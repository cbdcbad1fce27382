/** A Discord message as a link names it. */
export interface MessageLink {
  guildId: string;
  channelId: string;
  messageId: string;
}

const link = /^<?https:\/\/(?:(?:www|canary|ptb)\.)?discord(?:app)?\.com\/channels\/(\d{17,20})\/(\d{17,20})\/(\d{17,20})\/?>?$/;

/** Reads "Copy Message Link" (discord.com, its canary and ptb clients, the old discordapp.com); null for anything else. */
export function parseMessageLink(text: string): MessageLink | null {
  const match = link.exec(text.trim());
  return match ? { guildId: match[1]!, channelId: match[2]!, messageId: match[3]! } : null;
}
