import { describe, expect, it } from 'vitest';
import { missingModelsProblem, modelsInUse } from './modelsInUse.js';

describe('modelsInUse', () => {
  it('lists every model once with what uses it', () => {
    const uses = modelsInUse({
      defaultModel: 'llama3.2',
      embedModel: 'nomic-embed-text',
      facilitatorModel: 'llama3.2:1b',
      roles: [{ id: 'qa_engineer', model: 'qwen2.5' }, { id: 'cto' }, { id: 'sre', model: 'llama3.2:latest' }],
      places: [{ scope: 'channel', id: '42', values: { model: 'qwen2.5', models: { cto: 'mistral' } } }],
    });
    expect(uses).toEqual([
      { model: 'llama3.2', uses: ['default', 'role sre'] },
      { model: 'nomic-embed-text', uses: ['embedding'] },
      { model: 'llama3.2:1b', uses: ['facilitator'] },
      { model: 'qwen2.5', uses: ['role qa_engineer', 'channel 42'] },
      { model: 'mistral', uses: ['channel 42 (cto)'] },
    ]);
  });

  it('names each missing model with its pull line', () => {
    expect(missingModelsProblem('http://o:11434', [{ model: 'qwen2.5', uses: ['role qa_engineer'] }])).toBe('Ollama at http://o:11434 is missing qwen2.5 (role qa_engineer); run: ollama pull qwen2.5');
  });
});
