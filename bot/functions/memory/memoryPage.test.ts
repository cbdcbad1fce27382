import { describe, expect, it } from 'vitest';
import type { MemoryView } from '../../../core/memory/memoryAccess.js';
import { memoryPage, parseMemoryPageButton } from './memoryPage.js';

const memory = (n: number): MemoryView => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  agentId: 'cto',
  kind: 'fact',
  content: `fact number ${n} ${'x'.repeat(400)}`,
  subject: null,
  ownerId: 'discord:111111111111111111',
  source: 'Ana in this channel',
  guildId: 'g',
  placeId: '222222222222222222',
  visibility: 'place',
  createdAt: new Date('2026-11-30T10:00:00Z'),
  validTo: null,
  supersededBy: null,
  expiresAt: null,
  seenCount: 3,
  lastSeenAt: new Date('2026-11-30T10:00:00Z'),
  sourceMessageId: null,
});

describe('memoryPage', () => {
  it('numbers lines across pages, names who said each, where and when, and stays inside the embed limit', () => {
    const page = memoryPage({ of: 'channel', page: 2, hasMore: false, memories: Array.from({ length: 10 }, (_, i) => memory(i + 11)) });
    const description = page.embeds[0]!.description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    expect(description).toContain('**11.** fact number 11');
    expect(description).toContain('<@111111111111111111> in <#222222222222222222>, <t:1796032800:R> · said 3×');
    expect(description).toContain('`00000000-0000-4000-8000-000000000011`');
    expect(page.components[0]!.components.map((b) => ('custom_id' in b ? b.custom_id : ''))).toEqual(['memory:list:channel:1']);
  });

  it('offers Next only when there is more, and reads its own buttons back', () => {
    const first = memoryPage({ of: 'me', page: 1, hasMore: true, memories: [memory(1)] });
    expect(first.components[0]!.components.map((b) => ('label' in b ? b.label : ''))).toEqual(['Next']);
    expect(memoryPage({ of: 'me', page: 1, hasMore: false, memories: [] }).components).toEqual([]);
    expect(parseMemoryPageButton('memory:list:me:2')).toEqual({ of: 'me', page: 2 });
    expect(parseMemoryPageButton('memory:list:everyone:2')).toBeNull();
    expect(parseMemoryPageButton('meeting:stop:x')).toBeNull();
  });
});
