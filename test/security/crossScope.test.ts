import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../core/db/database.js';
import { MemoryStore, type MemoryKind } from '../../core/memory/memoryStore.js';
import { apiKeyCaller, cliCaller, discordCaller, memoryScopeForChat, memoryScopeForEveryone, memoryScopeForMeeting, type Caller, type MemoryScope } from '../../core/memory/scope.js';
import { fakeEmbedding } from '../fakes/ollama/index.js';
import { databaseBackends, openEmptyDatabase } from '../support/bothDatabases.js';

/**
 * 1,000 memories written by random owners in random places, then 1,000
 * recalls by random speakers per recall path: nothing recalled that the
 * speaker may not see (by the table in docs/security.md, written out again
 * here as the oracle), and every visible memory that matches is recalled.
 */

let seed = 20240601;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const places = [
  { guildId: 'g1', placeId: 'g1-general' },
  { guildId: 'g1', placeId: 'g1-ops' },
  { guildId: 'g1', placeId: 'g1-ops-thread' },
  { guildId: 'g2', placeId: 'g2-general' },
  { guildId: 'g2', placeId: 'g2-general-thread' },
];
const discordUsers = ['u1', 'u2', 'u3', 'u4'];
const keys = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'];
const agents = ['devops_engineer', 'cto'];

function randomCaller(): Caller {
  const roll = random();
  if (roll < 0.6) {
    const place = pick(places);
    const user = pick(discordUsers);
    return discordCaller({ userId: user, name: `User ${user}`, guildId: place.guildId, placeId: place.placeId });
  }
  if (roll < 0.85) return apiKeyCaller(pick(keys));
  return cliCaller('alice');
}

function randomScope(writer: Caller): MemoryScope {
  const roll = random();
  if (roll < 0.05) return memoryScopeForEveryone();
  if (roll < 0.15) return memoryScopeForMeeting({ ownerId: writer.ownerId, guildId: writer.guildId, title: 'Weekly sync' });
  return memoryScopeForChat(writer, pick<MemoryKind>(['fact', 'preference', 'note']));
}

/** The rules of docs/security.md, independently of core/memory/scope.ts's SQL. */
function maySee(speaker: Caller, agentId: string, memory: { agentId: string; scope: MemoryScope }): boolean {
  if (memory.agentId !== agentId) return false;
  const { scope } = memory;
  switch (scope.visibility) {
    case 'owner':
      return scope.ownerId === speaker.ownerId && scope.guildId === speaker.guildId;
    case 'place':
      return speaker.placeId !== null && scope.placeId === speaker.placeId && scope.guildId === speaker.guildId;
    case 'guild':
      return speaker.guildId !== null && scope.guildId === speaker.guildId;
    case 'everyone':
      return scope.ownerId === 'admin';
  }
}

describe.each(databaseBackends)('recall across scopes on $name', ({ name, enabled }) => {
  let database: Database;
  let store: MemoryStore;
  let cleanup: () => Promise<void>;
  const written = new Map<string, { agentId: string; scope: MemoryScope; content: string }>();

  beforeAll(async () => {
    if (!enabled) return;
    ({ database, dispose: cleanup } = await openEmptyDatabase(name));
    store = new MemoryStore(database.db, database.vector);
    for (let i = 0; i < 1000; i++) {
      const writer = randomCaller();
      const scope = randomScope(writer);
      const agentId = pick(agents);
      // Words of its own besides the shared ones: distinct memories, not near-duplicates that the store would merge (cosine >= 0.92).
      const content = `deploy note zq${i}x about pipeline ${pick(['alpha', 'beta', 'gamma'])} squad s${i} sprint p${i}`;
      const id = await store.add({ agentId, content, kind: 'fact', importance: 0.5, scope, embedding: fakeEmbedding(content, 64), embeddingModel: 'fake' });
      if (!id) throw new Error(`memory ${i} was not stored`);
      written.set(id, { agentId, scope, content });
    }
    await store.analyze();
  }, 300_000);
  afterAll(async () => {
    if (enabled) await cleanup();
  });

  const paths = [
    { path: 'full-text', vector: false },
    { path: 'vector', vector: true },
  ];

  it.runIf(enabled).each(paths)('$path: 1,000 random recalls see only what they may, and all of it that matches', async ({ vector }) => {
    // Postgres without pgvector (Debian 12) has only the full-text path.
    if (vector && !database.vector) return expect(database.kind).toBe('postgres');
    const all = [...written.entries()];
    let leaks = 0;
    let missed = 0;
    let visibleTargets = 0;
    let recalled = 0;
    for (let i = 0; i < 1000; i++) {
      const speaker = randomCaller();
      const agentId = pick(agents);
      const [targetId, target] = pick(all);
      // Every third recall asks broadly ("deploy" is in every memory), the others ask for one memory.
      const broad = i % 3 === 0;
      const text = broad ? 'deploy pipeline' : target.content;
      const rows = await store.recall({
        agentId,
        caller: speaker,
        text,
        embedding: vector ? fakeEmbedding(text, 64) : null,
        limit: broad ? 200 : 20,
      });
      recalled += rows.length;
      for (const row of rows) {
        const memory = written.get(row.id);
        if (!memory || !maySee(speaker, agentId, memory)) leaks++;
      }
      if (!broad && maySee(speaker, agentId, target)) {
        visibleTargets++;
        if (!rows.some((row) => row.id === targetId)) missed++;
      }
    }
    expect({ leaks, missed }).toEqual({ leaks: 0, missed: 0 });
    // The run must have exercised both sides: visible targets found, and plenty recalled.
    expect(visibleTargets).toBeGreaterThan(50);
    expect(recalled).toBeGreaterThan(1000);
  }, 300_000);
});
