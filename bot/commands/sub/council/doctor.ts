import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { permissionReport } from '../../../functions/setup/permissionReport.js';
import { fetchBotPublic, publicBotWarning } from '../../../functions/setup/publicBot.js';
import { ownTask } from '../../../../core/tasks/ownTask.js';

/** What the bot lacks, per channel it can see: for the admin setting it up. */
export async function doctor(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // default_member_permissions only hides the command; server admins can re-grant it, so check again here.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) throw new CouncilError('forbidden', 'only members with Manage Server can run /council doctor');
  // The Public Bot switch as last read (at ready, or by the previous doctor): the reply must come within 3 s, so it is re-read after.
  const warning = ctx.application.botPublic ? `⚠️ ${publicBotWarning(ctx.guilds.list !== null)}\n\n` : '';
  await interaction.reply({ content: warning + permissionReport(ctx.client, interaction.guildId ?? '', 2000 - warning.length), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  await ownTask(ctx.log, 'discord-interaction', async () => {
    ctx.application.botPublic = await fetchBotPublic(ctx.client);
  });
  // The models take a round trip to every Ollama backend: told after the reply, which must come within 3 s.
  await ownTask(ctx.log, 'discord-interaction', async () => {
    const models = await ctx.council.checkModels();
    const lines = [`**Models in use:** ${models.models.join('; ')}`, models.ok ? 'Every Ollama backend has them.' : `⚠️ ${models.problem}`];
    await interaction.followUp({ content: lines.join('\n').slice(0, 2000), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  });
}
