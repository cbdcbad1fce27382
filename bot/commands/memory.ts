import { SlashCommandBuilder } from 'discord.js';
import type { BotCommand } from './command.js';
import { callerOf } from '../functions/discord/callerOf.js';
import { edit } from './sub/memory/edit.js';
import { forget } from './sub/memory/forget.js';
import { list } from './sub/memory/list.js';
import { why } from './sub/memory/why.js';

const subcommands = { list, forget, edit, why };

export const memory: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('memory')
    .setDescription('What Council remembers: see it, change it, delete it')
    .addSubcommand((s) =>
      s
        .setName('list')
        .setDescription('What Council keeps of what you said here, or for this channel (only you see it)')
        .addStringOption((o) => o.setName('of').setDescription('Whose memories (default: yours)').addChoices({ name: 'me', value: 'me' }, { name: 'channel', value: 'channel' }))
        .addIntegerOption((o) => o.setName('page').setDescription('Page, 10 per page (default 1)').setMinValue(1).setMaxValue(10_000)),
    )
    .addSubcommand((s) =>
      s
        .setName('forget')
        .setDescription('Delete one memory by id, or "all": everything Council keeps about you')
        .addStringOption((o) => o.setName('id').setDescription('A memory id from /memory list, or all').setRequired(true).setAutocomplete(true).setMaxLength(60)),
    )
    .addSubcommand((s) =>
      s
        .setName('edit')
        .setDescription('Rewrite a memory (yours, or any here with Manage Server)')
        .addStringOption((o) => o.setName('id').setDescription('A memory id from /memory list').setRequired(true).setAutocomplete(true).setMaxLength(60))
        .addStringOption((o) => o.setName('text').setDescription('What Council should remember instead').setRequired(true).setMinLength(3).setMaxLength(2000)),
    )
    .addSubcommand((s) =>
      s
        .setName('why')
        .setDescription("Which memories went into a colleague's answer")
        .addStringOption((o) => o.setName('link').setDescription("The answer's message link (More → Copy Message Link)").setRequired(true).setMaxLength(200)),
    )
    .toJSON(),
  async execute(interaction, ctx) {
    await subcommands[interaction.options.getSubcommand(true) as keyof typeof subcommands](interaction, ctx);
  },
  /** Offers the caller's own memories here (newest first); forget also offers `all`. */
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const { memories } = await ctx.council.memory.listPage(callerOf(interaction), { of: 'me', page: 1, pageSize: 25 });
    const own = memories.map((m) => ({ name: `${m.content.replace(/\s+/g, ' ')}`.slice(0, 100), value: m.id }));
    const all = interaction.options.getSubcommand(false) === 'forget' ? [{ name: 'all: everything Council keeps about you', value: 'all' }] : [];
    const choices = [...all, ...own].filter((c) => !typed || c.name.toLowerCase().includes(typed) || c.value.startsWith(typed));
    await interaction.respond(choices.slice(0, 25));
  },
};
