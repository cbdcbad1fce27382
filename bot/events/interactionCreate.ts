import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type Interaction, type MessageContextMenuCommandInteraction } from 'discord.js';
import { isCouncilError, toUserMessage } from '../../core/errors.js';
import { metrics } from '../../core/metrics.js';
import { commands, messageCommands } from '../commands/index.js';
import type { BotContext } from '../context.js';
import { noteDiscordError } from '../functions/discord/discordErrors.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { onMeetingButton } from '../functions/meetings/onMeetingButton.js';
import { parseMemoryPageButton } from '../functions/memory/memoryPage.js';
import { onMemoryPageButton } from '../functions/memory/onMemoryPageButton.js';
import { approvalButtonPrefix } from '../functions/tools/discordApprovals.js';
import { stopMeeting } from '../functions/meetings/stopMeeting.js';
import { notEnabledHere } from '../functions/guards/guildGate.js';
import { countRefusal, isRefusal } from '../functions/guards/refusals.js';
import { replyError } from '../functions/replies/replyError.js';

/** Setup commands check their own permissions; every other command first asks whether this person may use Council here. */
const setupCommands = new Set(['council', 'admin']);

/** Routes slash commands, message menu commands, autocomplete and buttons; every failure (a refusal by the place's settings too) is one ephemeral line. */
export async function onInteractionCreate(interaction: Interaction, ctx: BotContext): Promise<void> {
  if (ctx.guilds.refuse(interaction.guildId)) {
    if (interaction.isAutocomplete()) await interaction.respond([]);
    else if (interaction.isRepliable()) await interaction.reply({ content: notEnabledHere, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  if (interaction.isAutocomplete()) {
    await commands.get(interaction.commandName)?.autocomplete?.(interaction, ctx).catch(() => {});
    return;
  }
  if (interaction.isButton() && interaction.customId.startsWith('meeting:stop:')) {
    const meetingId = interaction.customId.slice('meeting:stop:'.length);
    try {
      const meeting = await ctx.council.meetings.get(meetingId, callerOf(interaction));
      const content = await stopMeeting(ctx, interaction, meeting);
      await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      metrics.discordCommands.inc({ command: 'meeting_stop_button', outcome: 'ok' });
    } catch (error) {
      metrics.discordCommands.inc({ command: 'meeting_stop_button', outcome: isCouncilError(error) ? 'rejected' : 'error' });
      await replyError(interaction, error).catch((failure: unknown) => noteDiscordError(ctx.log, 'stop button reply', failure));
    }
    return;
  }
  if (interaction.isButton() && /^meeting:(pause|resume):/.test(interaction.customId)) {
    await onMeetingButton(interaction, ctx);
    return;
  }
  if (interaction.isButton() && interaction.customId.startsWith(approvalButtonPrefix)) {
    await ctx.approvals.answer(interaction).catch((failure: unknown) => noteDiscordError(ctx.log, 'tool approval answer', failure));
    return;
  }
  const memoryPage = interaction.isButton() ? parseMemoryPageButton(interaction.customId) : null;
  if (interaction.isButton() && memoryPage) {
    await run(interaction, ctx, 'memory_list_button', () => onMemoryPageButton(interaction, ctx, memoryPage));
    return;
  }
  if (interaction.isMessageContextMenuCommand()) {
    const menu = messageCommands.get(interaction.commandName);
    if (menu) await run(interaction, ctx, menu.label, () => menu.execute(interaction, ctx));
    return;
  }
  if (!interaction.isChatInputCommand()) return;
  const command = commands.get(interaction.commandName);
  if (!command) return;
  const name = [interaction.commandName, interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false)].filter(Boolean).join('_');
  await run(interaction, ctx, name, () => command.execute(interaction, ctx), setupCommands.has(interaction.commandName));
}

/** Runs one command after asking whether this person may use Council here (setup commands check their own permissions), counts it, and turns a failure into one ephemeral line. */
async function run(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction | ButtonInteraction, ctx: BotContext, name: string, execute: () => Promise<void>, setup = false): Promise<void> {
  try {
    if (!setup) await ctx.council.settings.admit(callerOf(interaction));
    await execute();
    metrics.discordCommands.inc({ command: name, outcome: 'ok' });
  } catch (error) {
    metrics.discordCommands.inc({ command: name, outcome: isCouncilError(error) && (error.exitCode === 2 || error.code === 'busy') ? 'rejected' : 'error' });
    if (isRefusal(error)) countRefusal(error.details.refusal);
    if (!isCouncilError(error)) ctx.log.error({ command: name, err: error }, 'command failed');
    else ctx.log.info({ command: name, code: error.code }, toUserMessage(error));
    await replyError(interaction, error).catch((replyFailure: unknown) => noteDiscordError(ctx.log, 'error reply', replyFailure, { command: name }));
  }
}
