import { describe, expect, it } from 'vitest';
import { mentionChoices } from './mentionChoices.js';

const roles = [
  { id: '300000000000000001', name: 'Engineers' },
  { id: '300000000000000002', name: 'Site Reliability' },
  { id: '300000000000000003', name: 'Guests' },
];

describe('mentionChoices', () => {
  it('completes the last item by name as a mention, those starting with it first, and keeps the items before', () => {
    expect(mentionChoices('eng', roles, 'role')).toEqual([{ name: '@Engineers', value: '<@&300000000000000001>' }]);
    expect(mentionChoices('<@&300000000000000001>, @e', roles, 'role').map((c) => c.value)).toEqual(['<@&300000000000000001>, <@&300000000000000002>', '<@&300000000000000001>, <@&300000000000000003>']);
    expect(mentionChoices('', roles, 'user').map((c) => c.value)).toEqual(['<@300000000000000001>', '<@300000000000000002>', '<@300000000000000003>']);
  });

  it('offers nothing already listed, nothing unknown, and no value longer than Discord takes', () => {
    expect(mentionChoices('<@&300000000000000001> 300000000000000003 e', roles, 'role').map((c) => c.value)).toEqual(['<@&300000000000000001> 300000000000000003 <@&300000000000000002>']);
    expect(mentionChoices('nobody', roles, 'role')).toEqual([]);
    const long = `${'<@&300000000000000009> '.repeat(4)}`;
    expect(mentionChoices(long, roles, 'role')).toEqual([]);
  });
});
