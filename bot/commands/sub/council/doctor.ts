import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { CouncilError } from '../../../../core/errors.js';
import type { BotContext } from '../../../context.js';
import { permissionReport } from '../../../functions/setup/permissionReport.js';

/** What the bot lacks, per channel it can see: for the admin setting it up. */
export async function doctor(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // default_member_permissions only hides the command; server admins can re-grant it, so check again here.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) throw new CouncilError('forbidden', 'only members with Manage Server can run /council doctor');
  await interaction.reply({ content: permissionReport(ctx.client, interaction.guildId ?? ''), flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
