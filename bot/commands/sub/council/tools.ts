import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../../context.js';
import { callerOf } from '../../../functions/discord/callerOf.js';

const states = { ready: '✅', changed: '⚠️ changed since it was allowed: allow it again to use it', missing: '⚠️ no tool server offers it now' } as const;
const approvals = { never: 'no approval', requester: 'the person who asked approves each call', admins: 'someone with Manage Server approves each call' } as const;

/** The tools offered, each server's health, and what this place allows: anyone may look (ephemeral). */
export async function tools(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
  // Listing may start tool servers: more than Discord's 3 s to answer.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { tools: offered, health, grant, allowed } = await ctx.council.tools.here(callerOf(interaction));
  const lines = [
    allowed.length === 0
      ? '**Allowed here:** none (least privilege: nothing until someone allows it).'
      : `**Allowed here** (${approvals[grant.approval]}${grant.approval === 'never' ? '' : `, ${Math.round(grant.approvalMs / 1000)} s to answer`}): ${allowed.map((tool) => `\`${tool.name}\` ${states[tool.state]}`).join(', ')}`,
    `**Built in** (read-only): ${offered.filter((tool) => tool.server === 'council').map((tool) => `\`${tool.name}\``).join(', ')}`,
    ...health.map((server) =>
      server.ok ? `**${server.server}** (${server.tools} tools): ${offered.filter((tool) => tool.server === server.server).map((tool) => `\`${tool.name}\``).join(', ')}` : `**${server.server}**: ⚠️ ${server.problem ?? 'not up'}`,
    ),
    'Allow with `/council settings set key:tools value:council.search_decisions,council.search_meetings` (Manage Channels here, Manage Server for the server).',
  ];
  let content = lines.join('\n');
  if (content.length > 2000) content = `${content.slice(0, 1990)}…`;
  await interaction.editReply({ content, allowedMentions: { parse: [] } });
}
