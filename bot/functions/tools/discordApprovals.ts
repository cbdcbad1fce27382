import { randomUUID } from 'node:crypto';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, type ButtonInteraction, type Client, type Message } from 'discord.js';
import type { Logger } from '../../../core/log.js';
import type { ApprovalAnswer, ApprovalPort, ApprovalRequest } from '../../../core/tools/approvalPort.js';
import { approvalRefusal } from '../../../core/tools/approvalRights.js';
import { callerOf } from '../discord/callerOf.js';
import { noteDiscordError } from '../discord/discordErrors.js';

export const approvalButtonPrefix = 'tool:';

interface Waiting {
  request: ApprovalRequest;
  settle: (answer: ApprovalAnswer) => void;
}

const argumentsShown = (args: Record<string, unknown>) => {
  const text = JSON.stringify(args);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
};

/**
 * Tool approvals in Discord: a message in the channel (or thread) where the
 * question was asked, with Approve and Deny buttons. Only the person who
 * asked (requester mode) or someone who may manage the server (admins mode)
 * may answer, as core decides (approvalRefusal); anyone else gets one
 * ephemeral line. No answer in time: the message says so and the call is not run.
 */
export class DiscordApprovals implements ApprovalPort {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
    private readonly agentName: (id: string) => string,
  ) {}

  async request(request: ApprovalRequest): Promise<ApprovalAnswer> {
    const channelId = request.requester.placeId;
    const channel = channelId ? await this.client.channels.fetch(channelId).catch(() => null) : null;
    if (!channel?.isSendable()) return 'unasked';
    const id = randomUUID();
    const who = request.mode === 'requester' ? `${request.requester.name ?? 'the person who asked'} may answer` : 'members who can manage this server may answer';
    const asking = `**${this.agentName(request.agent)}** wants to call \`${request.tool}\` with \`${argumentsShown(request.arguments)}\`.`;
    // Waiting before the buttons exist: a press that comes the moment they show finds its request.
    let settle!: (value: ApprovalAnswer) => void;
    let settled = false;
    const answered = new Promise<ApprovalAnswer>((resolve) => {
      settle = (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        request.signal.removeEventListener('abort', stopped);
        this.waiting.delete(id);
        resolve(value);
      };
    });
    const stopped = () => settle('timeout');
    let timer: NodeJS.Timeout | undefined;
    this.waiting.set(id, { request, settle });
    let message: Message;
    try {
      message = await channel.send({
        content: `${asking} Approve? (${who}; ${Math.round(request.timeoutMs / 1000)} s)`,
        components: [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder().setCustomId(`${approvalButtonPrefix}approve:${id}`).setLabel('Approve').setStyle(ButtonStyle.Success),
            new ButtonBuilder().setCustomId(`${approvalButtonPrefix}deny:${id}`).setLabel('Deny').setStyle(ButtonStyle.Danger),
          ),
        ],
        allowedMentions: { parse: [] },
      });
    } catch (error) {
      settle('unasked');
      noteDiscordError(this.log, 'tool approval request', error);
      return 'unasked';
    }
    if (!settled) {
      timer = setTimeout(stopped, request.timeoutMs);
      request.signal.addEventListener('abort', stopped, { once: true });
      if (request.signal.aborted) stopped();
    }
    const answer = await answered;
    if (answer === 'timeout') {
      await message.edit({ content: `${asking} Nobody approved it within ${Math.round(request.timeoutMs / 1000)} s, so it was not run.`, components: [], allowedMentions: { parse: [] } }).catch((error: unknown) => noteDiscordError(this.log, 'tool approval timeout', error));
    }
    return answer;
  }

  /** Approve or Deny pressed: answered by whoever may, refused in one ephemeral line to anyone else. */
  async answer(interaction: ButtonInteraction): Promise<void> {
    const [verdict, id] = interaction.customId.slice(approvalButtonPrefix.length).split(':');
    const waiting = this.waiting.get(id ?? '');
    if (!waiting) {
      await interaction.reply({ content: 'This call is no longer waiting for an answer.', flags: MessageFlags.Ephemeral });
      return;
    }
    const { request } = waiting;
    const refusal = approvalRefusal(request.mode, request.requester, callerOf(interaction), request.requester.name ?? undefined);
    if (refusal) {
      await interaction.reply({ content: refusal, flags: MessageFlags.Ephemeral });
      return;
    }
    const approved = verdict === 'approve';
    waiting.settle(approved ? 'approved' : 'denied');
    const by = interaction.member && 'displayName' in interaction.member ? interaction.member.displayName : interaction.user.username;
    await interaction.update({
      content: `**${this.agentName(request.agent)}** ${approved ? 'may call' : 'may not call'} \`${request.tool}\` with \`${argumentsShown(request.arguments)}\`: ${approved ? 'approved' : 'denied'} by ${by}.`,
      components: [],
      allowedMentions: { parse: [] },
    });
  }
}
