import { AttachmentBuilder, type MessageCreateOptions, type ThreadChannel } from 'discord.js';
import { toUserMessage } from '../../../core/errors.js';
import type { Minutes } from '../../../core/meetings/minutesSchema.js';
import { meetingShutdown } from '../../../core/meetings/runMeeting.js';
import type { BotContext } from '../../context.js';
import { describeDiscordError, isBlocked, noteDiscordError } from '../discord/discordErrors.js';
import { DiscordStream } from '../streaming/streamToDiscord.js';
import { interruptedNote } from './interruptedNote.js';
import { meetingButtons } from './meetingButtons.js';
import { minutesEmbed } from './minutesEmbed.js';
import { turnLinks } from './turnLinks.js';

const noMentions = { parse: [] as [] };

export const stopButtonId = (meetingId: string) => `meeting:stop:${meetingId}`;

/**
 * Runs (or resumes) a meeting in its thread: the agenda and a Stop button,
 * each turn streamed under its speaker's persona, the minutes as an embed and
 * a Markdown file. Never rejects: when the thread refuses posts (permissions,
 * locked, deleted) the meeting is stopped resumable (interrupted), not left
 * running, and the automatic resume backs off. Returns the final status.
 */
export async function runMeetingInThread(ctx: BotContext, meetingId: string, thread: ThreadChannel, resumed: boolean): Promise<string> {
  const controller = new AbortController();
  const drain = new AbortController();
  ctx.running.set(meetingId, { cancel: controller, drain });
  let status = 'interrupted';
  let blocked: unknown;
  const stopHere = (error: unknown) => {
    if (blocked) return;
    blocked = error;
    ctx.log.warn({ meetingId, thread: thread.id, reason: describeDiscordError(error) }, 'meeting thread refuses posts: the meeting stops resumable');
    controller.abort(meetingShutdown);
  };
  /** Every post owns its failure: counted, and a thread that refuses posts stops the meeting resumable. */
  const post = async (operation: string, options: MessageCreateOptions, stops = true): Promise<boolean> => {
    if (blocked) return false;
    try {
      await thread.send({ allowedMentions: noMentions, ...options });
      return true;
    } catch (error) {
      noteDiscordError(ctx.log, operation, error, { meetingId });
      if (stops && isBlocked(error)) stopHere(error);
      return false;
    }
  };

  try {
    const meeting = await ctx.council.getMeeting(meetingId);
    const stop = meetingButtons(meetingId, stopButtonId(meetingId));
    const name = (id: string) => (id.startsWith('discord:') ? `<@${id.slice('discord:'.length)}>` : (ctx.council.agents.find(id)?.name ?? id));
    const header = resumed
      ? `Resuming **${meeting.title}** where it stopped (${meeting.turns.length} turns kept).`
      : `**${meeting.title}**: ${meeting.type.replace(/_/g, ' ')} facilitated by ${name(meeting.facilitator)} with ${meeting.participants.map(name).join(', ')}.\n${meeting.agenda.map((topic, i) => `${i + 1}. ${topic}`).join('\n')}`;
    // Without a thread that takes posts the meeting does not start: it stays resumable.
    if (!(await post('meeting header', { content: header.slice(0, 2000), components: [stop] }))) {
      if (!blocked) stopHere(new Error('the meeting thread did not take the first post'));
    }

    let stream: DiscordStream | undefined;
    for await (const event of ctx.council.runMeeting(meetingId, { signal: controller.signal, drain: drain.signal })) {
      switch (event.type) {
        case 'topic_started':
          await post('topic header', { content: `**Topic ${event.topicIndex + 1}: ${event.topic}**`.slice(0, 2000) });
          break;
        case 'turn_started': {
          if (!event.agent || blocked) break;
          const role = ctx.council.agents.get(event.agent);
          const room = await ctx.personas.room(thread, role);
          stream = new DiscordStream({ send: (content) => ctx.personas.send(thread, role, content), log: ctx.log, room });
          break;
        }
        case 'token':
          stream?.push(event.text);
          break;
        case 'turn_done': {
          if (!stream) break;
          const shown = await stream.finish(event.content);
          stream = undefined;
          if (shown.blocked) stopHere(shown.blocked);
          else if (event.messageId && shown.messageIds[0]) await ctx.council.setTurnExternalId(event.messageId, shown.messageIds[0]);
          break;
        }
        case 'minutes': {
          const turns = (await ctx.council.getMeeting(meetingId)).turns;
          const link = turnLinks(thread, turns);
          await postMinutes(meeting.title, event.minutes as Minutes, event.markdown, name, post, link);
          break;
        }
        case 'meeting_paused':
          await post('meeting note', { content: 'Meeting paused. Resume with /meeting resume or the Resume button; what you post here is heard when it goes on.' });
          break;
        case 'meeting_resumed':
          await post('meeting note', { content: 'Meeting resumed.' });
          break;
        case 'topic_closed':
          await post('meeting note', { content: `Topic closed: ${event.reason}`.slice(0, 2000) });
          break;
        case 'waiting_for_people':
          await post('meeting note', { content: `Answer in this thread; the meeting goes on in ${Math.round(event.waitMs / 1000)} s either way.` });
          break;
        case 'error':
          await post('meeting error', { content: `⚠️ ${event.message}`.slice(0, 2000) });
          break;
        case 'meeting_ended':
          status = event.status;
          await stream?.finish(undefined, event.status === 'cancelled' ? 'stopped' : 'failed');
          stream = undefined;
          if (event.status === 'cancelled') await post('meeting note', { content: 'Meeting stopped. The turns so far are kept.' });
          if (event.status === 'interrupted' && !controller.signal.aborted && !drain.signal.aborted) {
            const after = await ctx.council.meetingInThread(thread.id);
            if (after?.id === meetingId && after.status === 'interrupted') await post('meeting note', { content: interruptedNote(after).slice(0, 2000) });
          }
          break;
        default:
          break;
      }
    }
  } catch (error) {
    ctx.log.error({ meetingId, err: toUserMessage(error) }, 'meeting in thread failed');
  } finally {
    ctx.running.delete(meetingId);
  }
  return status;
}

/** The embed (within Discord's limits) with minutes.md; without Embed Links or Attach Files, what the channel takes. */
async function postMinutes(
  title: string,
  minutes: Minutes,
  markdown: string,
  name: (id: string) => string,
  post: (operation: string, options: MessageCreateOptions, stops?: boolean) => Promise<boolean>,
  link?: (turns: readonly number[]) => string,
): Promise<void> {
  const file = () => new AttachmentBuilder(Buffer.from(markdown), { name: 'minutes.md' });
  if (await post('minutes', { embeds: [minutesEmbed(title, minutes, name, link)], files: [file()] }, false)) return;
  if (await post('minutes file', { content: `**Minutes: ${title}**`.slice(0, 2000), files: [file()] }, false)) return;
  await post('minutes text', { content: `**Minutes: ${title}**\n${minutes.summary}`.slice(0, 2000) });
}
