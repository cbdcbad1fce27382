import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { answerAsPersona } from '../functions/chat/answerAsPersona.js';
import { agentChoices } from '../functions/chat/agentChoices.js';
import { channelOf } from '../functions/chat/channelOf.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { placeLimits } from '../functions/guards/placeLimits.js';
import { speakerOf } from '../functions/chat/speakerOf.js';
import { interactionNotice } from '../functions/replies/interactionNotice.js';
import { replyOrFallback } from '../functions/replies/replyOrFallback.js';
import type { BotCommand } from './command.js';

export const ask: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask one colleague')
    .addStringOption((o) => o.setName('agent').setDescription('Who to ask').setRequired(true).setAutocomplete(true))
    .addStringOption((o) => o.setName('message').setDescription('Your question').setRequired(true).setMaxLength(4000))
    .toJSON(),
  async execute(interaction, ctx) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const role = ctx.council.agents.get(interaction.options.getString('agent', true));
    const channel = channelOf(interaction);
    const place = await ctx.council.settings.admit(callerOf(interaction), [role.id]);
    const answer = await answerAsPersona(ctx, {
      channel,
      agent: role.id,
      message: interaction.options.getString('message', true),
      speaker: speakerOf(interaction.user, interaction.member),
      quote: true,
      notice: interactionNotice(interaction),
      model: place.modelFor(role.id),
      limits: placeLimits(place.values),
    });
    await replyOrFallback(interaction, answer.removed ? `${role.name}'s answer was deleted by someone in the channel, so it stopped there.` : `${role.name} answered.`);
  },
  async autocomplete(interaction, ctx) {
    await interaction.respond(agentChoices(ctx.council, interaction.options.getFocused()));
  },
};
