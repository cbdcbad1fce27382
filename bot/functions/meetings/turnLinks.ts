import type { ThreadChannel } from 'discord.js';
import type { MeetingView } from '../../../core/meetings/meetingView.js';

/** " ([#4](link), [#7](link))": the cited turns as links to their messages in the thread; turns never posted stay plain numbers. */
export function turnLinks(thread: Pick<ThreadChannel, 'guildId' | 'id'>, turns: MeetingView['turns']): (seqs: readonly number[]) => string {
  const message = new Map(turns.filter((t) => t.externalId).map((t) => [t.seq, t.externalId!]));
  return (seqs) => {
    if (seqs.length === 0) return '';
    const links = seqs.map((seq) => (message.has(seq) ? `[#${seq}](https://discord.com/channels/${thread.guildId}/${thread.id}/${message.get(seq)})` : `#${seq}`));
    return ` (${links.join(', ')})`;
  };
}
