import { SlashCommandBuilder } from 'discord.js';
import { agentListChoices } from '../functions/chat/agentChoices.js';
import type { BotCommand } from './command.js';
import { cancel } from './sub/meeting/cancel.js';
import { minutes } from './sub/meeting/minutes.js';
import { pause } from './sub/meeting/pause.js';
import { resume } from './sub/meeting/resume.js';
import { start } from './sub/meeting/start.js';
import { stop } from './sub/meeting/stop.js';

const subcommands = { start, stop, pause, resume, cancel, minutes };

export const meeting: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('meeting')
    .setDescription('Meetings of colleagues, held in threads')
    .addSubcommand((s) =>
      s
        .setName('start')
        .setDescription('Start a meeting in a new thread')
        .addStringOption((o) => o.setName('type').setDescription('Kind of meeting').setRequired(true).setAutocomplete(true))
        .addStringOption((o) => o.setName('title').setDescription('Title').setRequired(true).setMaxLength(100))
        .addStringOption((o) => o.setName('topics').setDescription('Agenda topics separated by ";"').setRequired(true).setMaxLength(2000))
        .addStringOption((o) => o.setName('participants').setDescription('Comma-separated agent ids (default: the type\'s attendees)').setAutocomplete(true))
        .addStringOption((o) => o.setName('models').setDescription('A model per colleague, e.g. alex=llama3.2,sam=qwen2.5 (default: the place\'s, the role\'s)').setMaxLength(1000))
        .addBooleanOption((o) => o.setName('independent').setDescription('Each topic opens with positions given without seeing the others\' (default: the type\'s)')),
    )
    .addSubcommand((s) => s.setName('stop').setDescription('Stop the meeting running in this thread'))
    .addSubcommand((s) => s.setName('pause').setDescription('Pause this thread\'s meeting after the turn in progress'))
    .addSubcommand((s) => s.setName('resume').setDescription('Resume this thread\'s paused meeting'))
    .addSubcommand((s) => s.setName('cancel').setDescription('Cancel this thread\'s meeting for good (its turns are kept)'))
    .addSubcommand((s) => s.setName('minutes').setDescription('Post the minutes of this thread\'s meeting'))
    .toJSON(),
  async execute(interaction, ctx) {
    await subcommands[interaction.options.getSubcommand(true) as keyof typeof subcommands](interaction, ctx);
  },
  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'type') {
      const needle = focused.value.toLowerCase();
      const types = ctx.council.meetingTypes().filter((t) => t.id.includes(needle) || t.name.toLowerCase().includes(needle));
      await interaction.respond(types.slice(0, 25).map((t) => ({ name: t.name, value: t.id })));
      return;
    }
    await interaction.respond(agentListChoices(ctx.council, focused.value));
  },
};
