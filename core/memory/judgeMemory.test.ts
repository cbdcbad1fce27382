import { describe, expect, it } from 'vitest';
import { judgeMemory } from './judgeMemory.js';

describe('judgeMemory', () => {
  it('keeps statements about the team and preferences', () => {
    expect(judgeMemory('We use Redis for the session cache')).toEqual({ kind: 'fact', importance: 0.6 });
    expect(judgeMemory('I prefer tables over bullet lists')).toEqual({ kind: 'preference', importance: 0.7 });
    expect(judgeMemory('Remember that the freeze starts Monday')).toEqual({ kind: 'fact', importance: 0.9 });
  });

  it('keeps no question, even one worded like a statement', () => {
    expect(judgeMemory('What do we use for the session cache?')).toBeNull();
    expect(judgeMemory('do we use Redis for sessions')).toBeNull();
    expect(judgeMemory(`Why do we run our database on ${'very '.repeat(40)}old hardware?`)).toBeNull();
  });

  it('a question that asks to remember something is still kept', () => {
    expect(judgeMemory('Can you remember that we deploy on Tuesdays?')?.kind).toBe('fact');
  });
});
