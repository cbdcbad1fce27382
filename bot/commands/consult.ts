import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { agentListChoices } from '../functions/chat/agentChoices.js';
import { answerAsPersona } from '../functions/chat/answerAsPersona.js';
import { channelOf } from '../functions/chat/channelOf.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { placeLimits } from '../functions/guards/placeLimits.js';
import { speakerOf } from '../functions/chat/speakerOf.js';
import { interactionNotice } from '../functions/replies/interactionNotice.js';
import { replyOrFallback } from '../functions/replies/replyOrFallback.js';
import { CouncilError } from '../../core/errors.js';
import type { BotCommand } from './command.js';

/** More colleagues at once would only wait in line and flood the channel. */
export const maxConsulted = 8;

export const consult: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('consult')
    .setDescription('Ask several colleagues at once')
    .addStringOption((o) => o.setName('message').setDescription('Your question').setRequired(true).setMaxLength(4000))
    .addStringOption((o) => o.setName('agents').setDescription('Up to 8 comma-separated agent ids, e.g. solutions_architect,backend_developer').setRequired(true).setAutocomplete(true))
    .toJSON(),
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const ids = [...new Set(interaction.options.getString('agents', true).split(',').map((a) => a.trim()).filter(Boolean).map((a) => ctx.council.agents.get(a).id))];
    if (ids.length > maxConsulted) throw new CouncilError('bad_usage', `/consult asks at most ${maxConsulted} colleagues at once; you named ${ids.length}, so leave some out or ask twice`);
    const channel = channelOf(interaction);
    const place = await ctx.council.settings.admit(callerOf(interaction), ids);
    const speaker = speakerOf(interaction.user, interaction.member);
    const message = interaction.options.getString('message', true);
    const limits = placeLimits(place.values);
    const results = await Promise.allSettled(
      ids.map((agent, i) => answerAsPersona(ctx, { channel, agent, message, speaker, quote: i === 0, batch: interaction.id, model: place.modelFor(agent), limits, ...(i === 0 ? { notice: interactionNotice(interaction) } : {}) })),
    );
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${ids[i]}: ${(r.reason as Error).message}`] : []));
    const removed = results.filter((r) => r.status === 'fulfilled' && r.value.removed).length;
    const note = removed > 0 ? ` ${removed} answer${removed === 1 ? ' was' : 's were'} deleted by someone in the channel and stopped there.` : '';
    await replyOrFallback(interaction, failed.length === 0 ? `${ids.length} colleagues answered.${note}` : `⚠️ ${failed.join('\n')}`.slice(0, 1900));
  },
  async autocomplete(interaction, ctx) {
    await interaction.respond(agentListChoices(ctx.council, interaction.options.getFocused()));
  },
};
