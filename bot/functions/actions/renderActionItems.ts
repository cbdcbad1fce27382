import type { ActionItemView } from '../../../core/meetings/store/actionItemStore.js';

/** An owner as Discord shows them: a person as a mention (the reply's allowed_mentions stays empty, so nobody is pinged), a persona by name. */
export function ownerLabel(owner: string, name: (id: string) => string): string {
  return owner.startsWith('discord:') ? `<@${owner.slice('discord:'.length)}>` : name(owner);
}

/** One line per item, clipped to one Discord message. */
export function renderActionItems(items: ActionItemView[], name: (id: string) => string): string {
  if (items.length === 0) return 'No open action items.';
  const lines = items.map((item) => `\`${item.id.slice(0, 8)}\` ${item.task} (${ownerLabel(item.owner, name)}${item.due ? `, due ${item.due}` : ''}) from **${item.meetingTitle}**${item.discordThreadId ? ` <#${item.discordThreadId}>` : ''}`);
  let text = '';
  for (const [i, line] of lines.entries()) {
    if (text.length + line.length + 40 > 2000) return `${text}…and ${lines.length - i} more.`;
    text += `${line}\n`;
  }
  return text.trimEnd();
}
