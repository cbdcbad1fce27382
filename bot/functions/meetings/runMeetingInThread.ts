import { AttachmentBuilder, type MessageCreateOptions, type ThreadChannel } from 'discord.js';
import type { StoredMinutes } from '../../../core/events.js';
import type { MeetingSink, RunHandle } from '../../../core/meetings/coordination/meetingRunner.js';
import { isCouncilError } from '../../../core/errors.js';
import { adminCaller } from '../../../core/memory/scope.js';
import { ownTask } from '../../../core/tasks/ownTask.js';
import type { BotContext } from '../../context.js';
import { codes, describeDiscordError, isBlocked, noteDiscordError } from '../discord/discordErrors.js';
import { toolCallLine, toolOutputFile } from '../tools/showToolCall.js';
import { removalReasons } from '../moderation/removals.js';
import { restoreArchive } from '../moderation/restoreArchive.js';
import { DiscordStream } from '../streaming/discordStream.js';
import { interruptedNote } from './interruptedNote.js';
import { meetingButtons } from './meetingButtons.js';
import { minutesEmbed } from './minutesEmbed.js';
import { turnLinks } from './turnLinks.js';

const noMentions = { parse: [] as [] };

export const stopButtonId = (meetingId: string) => `meeting:stop:${meetingId}`;

/** Discord's answers that mean a moderator removed the thread (deleted it, or archived it under a running meeting). */
const removedBy: Record<number, string> = {
  [codes.UnknownChannel]: removalReasons.threadDeleted,
  [codes.InvalidActionOnArchivedThread]: removalReasons.threadArchived,
};

/**
 * Runs (or resumes) a meeting in its thread on the process's meeting runner,
 * with the thread as its sink: the agenda and a Stop button, each turn
 * streamed under its speaker's persona, the minutes as an embed and a
 * Markdown file. Never rejects: when the thread refuses posts (permissions,
 * locked) the meeting is stopped resumable (interrupted), not left running,
 * and the automatic resume backs off. A thread a moderator deletes or
 * archives ends the meeting cancelled, with the reason logged and audited,
 * never retried (an archived thread that a crossing post reopened is
 * archived again); a turn's message a moderator deletes is not posted again,
 * and the meeting goes on. Resolves with the final status; undefined when
 * the meeting already runs here.
 */
export function runMeetingInThread(ctx: BotContext, meetingId: string, thread: ThreadChannel, resumed: boolean): Promise<string> | undefined {
  let blocked: unknown;
  let closedBy: string | undefined;
  let handle: RunHandle | undefined;
  let stream: DiscordStream | undefined;
  /** The thread is gone or closed by a moderator: the meeting is cancelled through the core, like /meeting cancel. */
  const closedByModerator = (reason: string) => {
    if (closedBy) return;
    closedBy = reason;
    blocked ??= new Error(reason);
    void stream?.abandon();
    ctx.log.warn({ meetingId, thread: thread.id, reason }, 'meeting thread removed by a moderator: the meeting is cancelled');
    void ownTask(ctx.log, 'meeting-sink', async () => {
      try {
        await ctx.council.meetings.cancel(meetingId, adminCaller);
      } catch (error) {
        // It had ended already (completed, cancelled): nothing to cancel.
        if (isCouncilError(error) && error.code === 'meeting_state') return;
        throw error;
      }
      await ctx.council.audit.record({ actor: 'discord:moderator', action: 'meeting.cancel', target: meetingId, rows: 0, detail: { reason, thread: thread.id, guild: thread.guildId } });
    });
  };
  const stopHere = (error: unknown) => {
    const code = Number((error as { code?: unknown }).code);
    if (removedBy[code]) return closedByModerator(removedBy[code]);
    if (blocked) return;
    blocked = error;
    ctx.log.warn({ meetingId, thread: thread.id, reason: describeDiscordError(error) }, 'meeting thread refuses posts: the meeting stops resumable');
    handle?.stop();
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
  /**
   * What the thread still has to show (a turn's final edit and stored Discord
   * id, headers, notes, minutes), which the meeting does not wait for: its
   * next model call starts at once. Each piece runs after the one before, and
   * a turn's first message after all of them, so the thread keeps the
   * meeting's order; the end of the meeting waits for all of it.
   */
  let shown: Promise<void> = Promise.resolve();
  const later = (work: () => Promise<unknown>) => {
    shown = shown.then(() => ownTask(ctx.log, 'meeting-sink', work));
  };
  const postLater = (operation: string, options: MessageCreateOptions, stops = true) => later(() => post(operation, options, stops));
  /** After what the thread still has to show; for what is said between turns (notes, minutes), which the meeting's state must not get ahead of. */
  const postInOrder = async (operation: string, options: MessageCreateOptions) => {
    postLater(operation, options);
    await shown;
  };
  const name = (id: string) => (id.startsWith('discord:') ? `<@${id.slice('discord:'.length)}>` : (ctx.council.agents.find(id)?.name ?? id));
  let title = '';

  const sink: MeetingSink = {
    async event(event, run) {
      handle = run;
      switch (event.type) {
        case 'meeting_started': {
          const meeting = await ctx.council.meetings.get(meetingId);
          title = meeting.title;
          const header = resumed
            ? `Resuming **${meeting.title}** where it stopped (${meeting.turns.length} turns kept).`
            : `**${meeting.title}**: ${meeting.type.replace(/_/g, ' ')} facilitated by ${name(meeting.facilitator)} with ${meeting.participants.map(name).join(', ')}.\n${meeting.agenda.map((topic, i) => `${i + 1}. ${topic}`).join('\n')}`;
          // Without a thread that takes posts the meeting does not go on: it stays resumable.
          if (!(await post('meeting header', { content: header.slice(0, 2000), components: [meetingButtons(meetingId, stopButtonId(meetingId))] }))) {
            if (!blocked) stopHere(new Error('the meeting thread did not take the first post'));
          }
          break;
        }
        case 'topic_started':
          postLater('topic header', { content: `**Topic ${event.topicIndex + 1}: ${event.topic}**`.slice(0, 2000) });
          break;
        case 'turn_started': {
          if (!event.agent || blocked) break;
          const role = ctx.council.agents.get(event.agent);
          const room = await ctx.personas.room(thread, role);
          // A turn's message deleted by a moderator stays deleted; the turn is still stored and the meeting goes on.
          const before = shown;
          const send = async (content: string) => {
            await before;
            // The thread went while the turn waited for the one before to show.
            if (blocked) throw new Error('the meeting thread takes no more posts');
            return ctx.personas.send(thread, role, content);
          };
          stream = new DiscordStream({ send, log: ctx.log, room, watch: ctx.removals.watchMessage });
          break;
        }
        case 'token':
          stream?.push(event.text);
          break;
        case 'tool_call':
          postLater('tool call line', { content: toolCallLine(name(event.agent), event), ...(event.output ? { files: [toolOutputFile(event.tool, event.output)] } : {}) }, false);
          break;
        case 'turn_done': {
          if (!stream) break;
          const turn = stream;
          stream = undefined;
          // Subtext under the turn: which model spoke, so a council of several models shows who is who.
          const finalText = event.stats?.model ? `${event.content}\n-# ${event.stats.model}` : event.content;
          later(async () => {
            const done = await turn.finish(finalText);
            if (done.blocked) stopHere(done.blocked);
            else if (event.messageId && done.messageIds[0] && !done.removed) await ctx.council.meetings.tagTurn(event.messageId, done.messageIds[0]);
          });
          break;
        }
        case 'minutes': {
          // After the last turn's Discord id is stored, so the minutes link to it.
          later(async () => {
            const turns = (await ctx.council.meetings.get(meetingId)).turns;
            await postMinutes(title, event.minutes, event.markdown, name, post, turnLinks(thread, turns));
          });
          await shown;
          break;
        }
        case 'meeting_paused':
          await postInOrder('meeting note', { content: 'Meeting paused. Resume with /meeting resume or the Resume button; what you post here is heard when it goes on.' });
          break;
        case 'meeting_resumed':
          await postInOrder('meeting note', { content: 'Meeting resumed.' });
          break;
        case 'topic_closed':
          postLater('meeting note', { content: `Topic closed: ${event.reason}`.slice(0, 2000) });
          break;
        case 'waiting_for_people':
          await postInOrder('meeting note', { content: `Answer in this thread; the meeting goes on in ${Math.round(event.waitMs / 1000)} s either way.` });
          break;
        case 'error':
          await postInOrder('meeting error', { content: `⚠️ ${event.message}`.slice(0, 2000) });
          break;
        case 'meeting_ended':
          await shown;
          if (closedBy) {
            await stream?.abandon();
            break;
          }
          await stream?.finish(undefined, event.status === 'cancelled' ? 'stopped' : 'failed');
          stream = undefined;
          if (event.status === 'cancelled') await post('meeting note', { content: 'Meeting stopped. The turns so far are kept.' });
          if (event.status === 'interrupted' && !run.stopping) {
            const after = await ctx.council.meetings.inThread(thread.id);
            if (after?.id === meetingId && after.status === 'interrupted') await post('meeting note', { content: interruptedNote(after).slice(0, 2000) });
          }
          break;
        default:
          break;
      }
    },
  };
  const done = ctx.council.meetings.runner.start(meetingId, sink);
  if (!done) return undefined;
  const held = ctx.threadMeetings;
  held.set(meetingId, (held.get(meetingId) ?? 0) + 1);
  const unwatch = ctx.removals.watchThread(thread.id, thread.parentId, closedByModerator);
  return done.finally(async () => {
    unwatch();
    const left = (held.get(meetingId) ?? 1) - 1;
    if (left > 0) held.set(meetingId, left);
    else held.delete(meetingId);
    if (closedBy === removalReasons.threadArchived) await restoreArchive(ctx.log, thread, meetingId);
  });
}

/** The embed (within Discord's limits) with minutes.md; without Embed Links or Attach Files, what the channel takes. */
async function postMinutes(
  title: string,
  minutes: StoredMinutes,
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
