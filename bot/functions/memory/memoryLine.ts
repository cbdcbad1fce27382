import type { MemoryView } from '../../../core/memory/memoryAccess.js';

/** Who said it, as Discord shows a person (a mention that pings no one inside an embed) or what else owns it. */
function who(ownerId: string | null): string {
  if (!ownerId) return 'someone';
  if (ownerId.startsWith('discord:')) return `<@${ownerId.slice('discord:'.length)}>`;
  if (ownerId === 'admin') return 'an admin';
  if (ownerId.startsWith('key:')) return 'an API key';
  if (ownerId.startsWith('cli:')) return `${ownerId.slice('cli:'.length)} on the command line`;
  return 'someone';
}

/** Where it is kept, which is who may see it. */
function where(memory: MemoryView): string {
  if (memory.visibility === 'place' && memory.placeId) return `in <#${memory.placeId}>`;
  if (memory.visibility === 'owner') return memory.placeId ? `privately, said in <#${memory.placeId}>` : 'privately';
  if (memory.visibility === 'guild') return `for this server${memory.source ? ` (${memory.source})` : ''}`;
  return 'a team note for everyone';
}

const unix = (at: Date) => Math.floor(at.getTime() / 1000);

/**
 * One memory for people: what is kept, then who said it, where, when (Discord
 * renders the timestamp in the reader's time zone), its id for /memory edit
 * and forget, and whether it still holds.
 */
export function memoryLine(memory: MemoryView, index: number): string {
  const text = memory.content.replace(/\s+/g, ' ');
  const shown = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  const state = memory.validTo ? ' · superseded' : memory.expiresAt ? ` · until <t:${unix(memory.expiresAt)}:d>` : '';
  const repeats = memory.seenCount > 1 ? ` · said ${memory.seenCount}×` : '';
  return `**${index}.** ${shown}\n${who(memory.ownerId)} ${where(memory)}, <t:${unix(memory.createdAt)}:R>${repeats}${state} · \`${memory.id}\``;
}
