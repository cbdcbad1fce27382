import { describe, expect, it } from 'vitest';
import { minutesEmbed } from '../../bot/functions/meetings/minutesEmbed.js';
import { messageProblems } from '../fakes/discord/rules/limits.js';

const size = (embed: ReturnType<ReturnType<typeof minutesEmbed>['toJSON']>) =>
  (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

describe('minutes embed', () => {
  it('stays within every Discord limit for minutes that once reached about 6,100 characters', () => {
    const minutes = {
      summary: 'A long summary. '.repeat(180),
      decisions: Array.from({ length: 12 }, (_, i) => ({ decision: `Decision ${i}: ${'because of reasons '.repeat(8)}`, rationale: '' })),
      action_items: Array.from({ length: 12 }, (_, i) => ({ owner: 'cto', task: `Task ${i}: ${'do the thing carefully '.repeat(6)}`, due: null })),
    };
    const embed = minutesEmbed('T'.repeat(300), minutes as never, () => 'Marcus Whitfield').toJSON();
    expect(messageProblems({ embeds: [embed] })).toEqual([]);
    expect(size(embed)).toBeLessThanOrEqual(6000);
    expect(embed.fields!.at(-1)!.value).toContain('minutes.md');
  });

  it('keeps short minutes whole', () => {
    const embed = minutesEmbed('Standup', { summary: 'Fine.', decisions: [{ decision: 'Ship', rationale: '' }], action_items: [] } as never, (id) => id).toJSON();
    expect(embed.fields!.map((f) => f.name)).toEqual(['Decisions', 'Action items']);
    expect(embed.fields![1]!.value).toBe('—');
  });

  it('says who spoke with which model, by model', () => {
    const minutes = { summary: 'Fine.', decisions: [], action_items: [], models: { cto: ['qwen2.5'], qa_engineer: ['llama3.2', 'qwen2.5'] } };
    const embed = minutesEmbed('Two models', minutes as never, (id) => id.toUpperCase()).toJSON();
    expect(embed.fields!.at(-1)).toEqual({ name: 'Models', value: '• qwen2.5: CTO, QA_ENGINEER\n• llama3.2: QA_ENGINEER' });
  });
});
