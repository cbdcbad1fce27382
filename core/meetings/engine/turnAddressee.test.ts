import { describe, expect, it } from 'vitest';
import { agents, participants } from '../../../test/meetings/support/engineDoubles.js';
import { turnAddressee } from './turnAddressee.js';

const [backend, qa, frontend] = participants as [string, string, string];

// Felix (frontend) speaks in every case.
describe('turnAddressee', () => {
  it.each([
    ['a first name opening the turn, before a comma', 'Quinn, how would you test the eviction?', qa],
    ['a full name opening a later sentence, before a colon', 'Caching helps. Priya Raman: can the schema take it?', backend],
    ['a question closing on the name', 'The rollback is the risk. What breaks first, Quinn?', qa],
    ['an @ mention by alias', 'I would leave the schema to @backend here.', backend],
    ['the earliest call of two', 'Priya, and then Quinn, please weigh in.', backend],
    ['a mention in passing is no call', 'As Quinn said, the eviction needs a test.', null],
    ['a name inside a sentence before a comma is no call', 'I agree with Quinn, mostly.', null],
    ['the speaker naming themselves', 'Felix, that is me: I will take the UI.', null],
    ['someone outside the colleagues (the facilitator)', 'Sam, should we close?', null],
    ['not inside a longer word', 'Quinnton, over to you.', null],
  ])('%s', (_name, text, expected) => {
    expect(turnAddressee(text, frontend, participants, agents)).toBe(expected);
  });
});
