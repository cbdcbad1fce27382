import { describe, expect, it } from 'vitest';
import { parseExtraction } from './parseExtraction.js';

const known = new Set(['11111111-1111-1111-1111-111111111111']);

describe('parseExtraction', () => {
  it('reads a well-formed answer and keeps a relation to a known memory', () => {
    const raw = JSON.stringify({ memories: [{ text: 'The team runs Postgres 16', kind: 'fact', subject: 'database', relation: 'contradicts', relatedId: '11111111-1111-1111-1111-111111111111' }] });
    expect(parseExtraction(raw, known)).toEqual({
      outcome: 'extracted',
      memories: [{ text: 'The team runs Postgres 16', kind: 'fact', subject: 'database', relation: 'contradicts', relatedId: '11111111-1111-1111-1111-111111111111' }],
    });
  });

  it('takes JSON out of code fences and trailing prose, and a bare array', () => {
    expect(parseExtraction('```json\n{"memories":[{"text":"Ana prefers tea","kind":"preference"}]}\n```', known).outcome).toBe('extracted');
    expect(parseExtraction('Sure! {"memories":[{"text":"Ana prefers tea","kind":"preference"}]} Hope this helps.', known).outcome).toBe('extracted');
    expect(parseExtraction('[{"text":"Ana prefers tea","kind":"preference"}]', known).outcome).toBe('extracted');
  });

  it('calls blank output or an empty list empty, and broken JSON or a wrong shape invalid', () => {
    expect(parseExtraction('', known)).toEqual({ outcome: 'empty' });
    expect(parseExtraction('{"memories": []}', known)).toEqual({ outcome: 'empty' });
    expect(parseExtraction('{"memories": [{"text": "Ana pref', known).outcome).toBe('invalid');
    expect(parseExtraction('{"memories": [{"text": "Ana prefers tea", "kind": "opinion"}]}', known).outcome).toBe('invalid');
    expect(parseExtraction('I could not find anything to remember.', known).outcome).toBe('invalid');
  });

  it('treats a relation to an id it was not shown as a new memory', () => {
    const parsed = parseExtraction('{"memories":[{"text":"We deploy on Fridays","kind":"fact","relation":"updates","relatedId":"made-up"}]}', known);
    expect(parsed).toMatchObject({ outcome: 'extracted', memories: [{ relation: 'new', relatedId: null }] });
  });
});
