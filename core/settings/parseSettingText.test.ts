import { describe, expect, it } from 'vitest';
import { parseSettingText } from './parseSettingText.js';
import type { SettingKey } from './settingsSchema.js';

describe('parseSettingText', () => {
  const cases: Array<[SettingKey, string, unknown]> = [
    ['replyMode', ' Ambient ', 'ambient'],
    ['listening', 'on', true],
    ['listening', 'No', false],
    ['listening', 'maybe', 'maybe'],
    ['colleagues', 'cto, Sofia Rossi,backend_developer', ['cto', 'Sofia Rossi', 'backend_developer']],
    ['colleagues', 'cto qa_engineer', ['cto', 'qa_engineer']],
    ['blockUsers', '<@123456789012345678>, <@!223456789012345678> 323456789012345678', ['123456789012345678', '223456789012345678', '323456789012345678']],
    ['allowRoles', '<@&123456789012345678>', ['123456789012345678']],
    ['models', '{"qa_engineer": "qwen3:14b"}', { qa_engineer: 'qwen3:14b' }],
    ['models', 'qa_engineer=qwen3:14b, cto = llama3.2', { qa_engineer: 'qwen3:14b', cto: 'llama3.2' }],
    ['maxPerChannel', '4', 4],
    ['queuePerUser', 'four', 'four'],
    ['model', ' qwen3:14b ', 'qwen3:14b'],
  ];
  for (const [key, text, expected] of cases) it(`${key} "${text}"`, () => expect(parseSettingText(key, text)).toEqual(expected));
});
