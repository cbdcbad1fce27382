import { describe, expect, it } from 'vitest';
import { topicWords } from './topicWords.js';

describe('topicWords', () => {
  it('drops the generic verb a question shares with an unrelated memory', () => {
    expect(topicWords('Which Kubernetes version do we run?')).toBe('Which Kubernetes version we');
  });

  it('drops inflections and fillers, whatever their case', () => {
    expect(topicWords('Which day do deploys HAPPEN now?')).toBe('Which day deploys');
    expect(topicWords('How do I like my answers?')).toBe('How I my answers');
    expect(topicWords('Tell me what we run.')).toBe('me what we');
  });

  it('keeps versions, hyphenated and dotted words whole', () => {
    expect(topicWords('How often do we rotate on-call for Postgres 16.2?')).toBe('How we rotate on-call for Postgres 16.2');
  });

  it('leaves only stop words when the question names no topic', () => {
    expect(topicWords('What do we run?')).toBe('What we');
  });
});
