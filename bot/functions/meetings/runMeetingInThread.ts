import { ActionRowBuilder, AttachmentBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type ThreadChannel } from 'discord.js';
import type { Minutes } from '../../../core/meetings/minutesSchema.js';
import type { Role } from '../../../core/roles/roleSchema.js';
import { toUserMessage } from '../../../core/errors.js';
import type { BotContext } from '../../context.js';
import { DiscordStream } from '../streaming/streamToDiscord.js';

const noMentions = { parse: [] as [] };

export const stopButtonId = (meetingId: string) => `meeting:stop:${meetingId}`;

/**
 * Runs (or resumes) a meeting in its thread: the agenda and a Stop button,
 * each turn streamed under its speaker's persona, the minutes as an embed and
 * a Markdown file. Returns the meeting's final status.
 */
export async function runMeetingInThread(ctx: BotContext, meetingId: string, thread: ThreadChannel, resumed: boolean): Promise<string> {
  const controller = new AbortController();
  const drain = new AbortController();
  ctx.running.set(meetingId, { cancel: controller, drain });
  const meeting = await ctx.council.getMeeting(meetingId);
  const stop = new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(stopButtonId(meetingId)).setLabel('Stop meeting').setStyle(ButtonStyle.Danger));
  const name = (id: string) => ctx.council.agents.find(id)?.name ?? id;
  const header = resumed
    ? `Resuming **${meeting.title}** where it stopped (${meeting.turns.length} turns kept).`
    : `**${meeting.title}**: ${meeting.type.replace(/_/g, ' ')} facilitated by ${name(meeting.facilitator)} with ${meeting.participants.map(name).join(', ')}.\n${meeting.agenda.map((topic, i) => `${i + 1}. ${topic}`).join('\n')}`;
  await thread.send({ content: header.slice(0, 2000), components: [stop], allowedMentions: noMentions });

  let status = 'interrupted';
  let stream: DiscordStream | undefined;
  let role: Role | undefined;
  try {
    for await (const event of ctx.council.runMeeting(meetingId, { signal: controller.signal, drain: drain.signal })) {
      switch (event.type) {
        case 'topic_started':
          await thread.send({ content: `**Topic ${event.topicIndex + 1}: ${event.topic}**`.slice(0, 2000), allowedMentions: noMentions });
          break;
        case 'turn_started': {
          const speaker = ctx.council.agents.get(event.agent);
          role = speaker;
          stream = new DiscordStream((content) => ctx.personas.send(thread, speaker, content));
          break;
        }
        case 'token':
          stream?.push(event.text);
          break;
        case 'turn_done': {
          const ids = await stream?.finish(event.content);
          if (event.messageId && ids?.[0]) await ctx.council.setTurnExternalId(event.messageId, ids[0]);
          stream = undefined;
          break;
        }
        case 'minutes':
          await thread.send({ embeds: [minutesEmbed(meeting.title, event.minutes as Minutes, name)], files: [new AttachmentBuilder(Buffer.from(event.markdown), { name: 'minutes.md' })], allowedMentions: noMentions });
          break;
        case 'error':
          await thread.send({ content: `⚠️ ${event.message}`.slice(0, 2000), allowedMentions: noMentions });
          break;
        case 'meeting_ended':
          status = event.status;
          if (event.status === 'cancelled') await thread.send({ content: 'Meeting stopped. The turns so far are kept.', allowedMentions: noMentions });
          if (event.status === 'interrupted' && !controller.signal.aborted && !drain.signal.aborted) await thread.send({ content: 'Meeting interrupted; it will resume here when the model is back.', allowedMentions: noMentions });
          break;
        default:
          break;
      }
    }
  } catch (error) {
    ctx.log.error({ meetingId, err: toUserMessage(error), speaker: role?.id }, 'meeting in thread failed');
  } finally {
    ctx.running.delete(meetingId);
  }
  return status;
}

function minutesEmbed(title: string, minutes: Minutes, name: (id: string) => string): EmbedBuilder {
  const clip = (text: string, max = 1024) => (text.length > max ? `${text.slice(0, max - 1)}…` : text) || '—';
  return new EmbedBuilder()
    .setTitle(clip(`Minutes: ${title}`, 256))
    .setDescription(clip(minutes.summary, 4000))
    .addFields(
      { name: 'Decisions', value: clip(minutes.decisions.map((d) => `• ${d.decision}`).join('\n')) },
      { name: 'Action items', value: clip(minutes.action_items.map((a) => `• ${a.task} (${name(a.owner)}${a.due ? `, ${a.due}` : ''})`).join('\n')) },
    );
}
