import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { MemoryView } from '../../../core/memory/memoryAccess.js';
import { memoryLine } from './memoryLine.js';

export type MemoryListOf = 'me' | 'channel';

/** Memories per /memory list page: ten lines of at most ~350 characters stay inside an embed's 4,096. */
export const memoryPageSize = 10;

const buttonPrefix = 'memory:list:';

/** The custom id of the button that shows `page` of the list of `of`. */
export const memoryPageButtonId = (of: MemoryListOf, page: number) => `${buttonPrefix}${of}:${page}`;

/** Which page a Previous or Next button asks for; null when the id is not one of theirs. */
export function parseMemoryPageButton(customId: string): { of: MemoryListOf; page: number } | null {
  const match = /^memory:list:(me|channel):(\d{1,6})$/.exec(customId);
  return match ? { of: match[1] as MemoryListOf, page: Math.max(1, Number(match[2])) } : null;
}

/** One page of /memory list: the memories with their ids, and Previous / Next buttons where there is a page to go to. */
export function memoryPage(input: { of: MemoryListOf; page: number; hasMore: boolean; memories: MemoryView[] }): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const { of, page, hasMore, memories } = input;
  const title = of === 'me' ? 'What Council keeps of what you said here' : 'What Council keeps for this channel';
  const first = (page - 1) * memoryPageSize + 1;
  const description =
    memories.length > 0
      ? memories.map((memory, i) => memoryLine(memory, first + i)).join('\n\n')
      : page > 1
        ? 'No more memories: this page is past the end of the list.'
        : of === 'me'
          ? 'Nothing: Council keeps no memory of what you said in this server.'
          : 'Nothing: Council keeps no memory for this channel.';
  const embed: APIEmbed = {
    title: page > 1 ? `${title} (page ${page})` : title,
    description: description.slice(0, 4096),
    footer: { text: 'Change one with /memory edit <id> <text>, delete one with /memory forget <id>, everything about you with /memory forget all.' },
  };
  const buttons: APIButtonComponent[] = [];
  if (page > 1) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Previous', custom_id: memoryPageButtonId(of, page - 1) });
  if (hasMore) buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Next', custom_id: memoryPageButtonId(of, page + 1) });
  return { embeds: [embed], components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [] };
}
