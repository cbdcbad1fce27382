import { describe, expect, it } from 'vitest';
import { rankMemories } from './rankMemories.js';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe('rankMemories', () => {
  it('prefers the recent of two equally relevant, equally important memories', () => {
    const old = { id: 'old', score: 0.8, importance: 0.6, lastSeenAt: daysAgo(90) };
    const fresh = { id: 'fresh', score: 0.8, importance: 0.6, lastSeenAt: daysAgo(1) };
    expect(rankMemories([old, fresh], { limit: 2, halfLifeDays: 30, now }).map((m) => m.id)).toEqual(['fresh', 'old']);
  });

  it('prefers the important of two equally relevant, equally recent memories', () => {
    const minor = { id: 'minor', score: 0.7, importance: 0.2, lastSeenAt: daysAgo(3) };
    const major = { id: 'major', score: 0.7, importance: 0.9, lastSeenAt: daysAgo(3) };
    expect(rankMemories([minor, major], { limit: 1, halfLifeDays: 30, now }).map((m) => m.id)).toEqual(['major']);
  });

  it('keeps a much closer match ahead of a fresh, important but barely related one', () => {
    const close = { id: 'close', score: 0.9, importance: 0.3, lastSeenAt: daysAgo(365) };
    const loose = { id: 'loose', score: 0.3, importance: 1, lastSeenAt: daysAgo(0) };
    expect(rankMemories([loose, close], { limit: 2, halfLifeDays: 30, now })[0]!.id).toBe('close');
  });

  it('halves recency every half-life: a shorter half-life lets the fresh one overtake a closer old one', () => {
    const old = { id: 'old', score: 0.8, importance: 0.5, lastSeenAt: daysAgo(60) };
    const fresh = { id: 'fresh', score: 0.7, importance: 0.5, lastSeenAt: daysAgo(0) };
    expect(rankMemories([old, fresh], { limit: 1, halfLifeDays: 365, now })[0]!.id).toBe('old');
    expect(rankMemories([old, fresh], { limit: 1, halfLifeDays: 7, now })[0]!.id).toBe('fresh');
  });
});
