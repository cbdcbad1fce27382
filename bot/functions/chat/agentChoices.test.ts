import { describe, expect, it } from 'vitest';
import { agentListChoices } from './agentChoices.js';

const agents = Array.from({ length: 40 }, (_, i) => ({ id: `colleague_number_${String(i).padStart(2, '0')}`, name: `Person ${i}`, title: i === 7 ? 'Site Reliability Engineer' : 'Developer' }));
const council = { listAgents: () => agents } as unknown as Parameters<typeof agentListChoices>[0];

describe('agentListChoices', () => {
  it('completes the last item by id, name or title, keeps the ones before, and offers none twice', () => {
    const choices = agentListChoices(council, 'colleague_number_01, colleague_number_02,reliab');
    expect(choices).toEqual([{ name: 'colleague_number_01,colleague_number_02,colleague_number_07', value: 'colleague_number_01,colleague_number_02,colleague_number_07' }]);
    const again = agentListChoices(council, 'colleague_number_01,colleague_number_0');
    expect(again.map((c) => c.value.split(',').at(-1))).not.toContain('colleague_number_01');
    expect(again).toHaveLength(9);
  });

  it('gives at most 25 choices, and leaves out a list too long for one instead of cutting it', () => {
    expect(agentListChoices(council, '')).toHaveLength(25);
    const long = 'colleague_number_01,colleague_number_02,colleague_number_03,colleague_number_04,colleague_number_05,';
    const choices = agentListChoices(council, long);
    expect(choices).toEqual([]);
    const fits = agentListChoices(council, 'colleague_number_01,colleague_number_02,colleague_number_03,colleague_number_04,');
    expect(fits.length).toBeGreaterThan(0);
    expect(fits.every((c) => c.value.length <= 100 && c.value.split(',').every((id) => agents.some((a) => a.id === id)))).toBe(true);
  });
});
