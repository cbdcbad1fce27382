import { describe, expect, it } from 'vitest';
import { meetingModels, modelsBySpeaker, parseModelChoices, speakerModel } from './meetingModels.js';

describe('parseModelChoices', () => {
  it('reads repeated pairs and comma-separated ones alike', () => {
    expect(parseModelChoices(['alex=llama3.2', 'sam = qwen2.5:7b'])).toEqual({ alex: 'llama3.2', sam: 'qwen2.5:7b' });
    expect(parseModelChoices(['alex=llama3.2,sam=qwen2.5, '])).toEqual({ alex: 'llama3.2', sam: 'qwen2.5' });
    expect(parseModelChoices(['Sofia Rossi=qwen2.5'])).toEqual({ 'Sofia Rossi': 'qwen2.5' });
  });

  it.each([['alex'], ['alex='], ['=llama3.2'], ['alex=llama 3'], ['alex=a=b'], ['=']])('refuses %j in one line naming it', (part) => {
    expect(() => parseModelChoices([`sam=qwen2.5,${part}`])).toThrow(`models: "${part.trim()}" is not agent=model`);
  });

  it('refuses a colleague given two models', () => {
    expect(() => parseModelChoices(['alex=llama3.2', 'alex=qwen2.5'])).toThrow('models: alex is given a model twice');
  });
});

describe('meeting model precedence', () => {
  it('takes the meeting choice over the place, the place over the role, the role over the default', () => {
    const models = meetingModels(['a', 'b', 'c', 'd'], { a: 'chosen' }, (id) => (id === 'a' || id === 'b' ? 'place' : null));
    expect(models).toEqual({ a: 'chosen', b: 'place' });
    expect(speakerModel(models, { id: 'a', model: 'role' })).toBe('chosen');
    expect(speakerModel(models, { id: 'b', model: 'role' })).toBe('place');
    expect(speakerModel(models, { id: 'c', model: 'role' })).toBe('role');
    expect(speakerModel(models, { id: 'd' })).toBeUndefined();
  });
});

describe('modelsBySpeaker', () => {
  it('lists each colleague\'s models once, people and unstated models left out', () => {
    const turns = [
      { agentId: 'a', model: 'qwen2.5' },
      { agentId: null, model: null },
      { agentId: 'a', model: 'llama3.2' },
      { agentId: 'a', model: 'qwen2.5' },
      { agentId: 'b', model: null },
    ];
    expect(modelsBySpeaker(turns)).toEqual({ a: ['qwen2.5', 'llama3.2'] });
  });
});
