import { describe, expect, it } from 'vitest';
import { participants } from '../../../test/meetings/support/engineDoubles.js';
import { addressDecides } from './addressDecides.js';

const [backend, qa, frontend] = participants as [string, string, string];
const everyoneOnce = { [backend]: 1, [qa]: 1, [frontend]: 1 };
const state = (calledOn: string | null, counts: Record<string, number>, lastSpeaker: string | null = backend) => ({
  calledOn,
  lastSpeaker,
  heard: new Map(participants.map((id) => [id, counts[id] ?? 0])),
});

describe('addressDecides', () => {
  it.each([
    ['everyone heard: the one called on', state(qa, everyoneOnce), qa],
    ['first round: an unheard colleague called on comes before the invitation order', state(frontend, { [backend]: 1 }), frontend],
    ['first round: a colleague already heard waits for the unheard', state(backend, { [backend]: 1, [qa]: 1 }, qa), null],
    ['nobody called on', state(null, everyoneOnce), null],
    ['the last speaker is not called again', state(backend, everyoneOnce, backend), null],
    ['someone not attending', state('data_scientist', everyoneOnce), null],
  ])('%s', (_name, s, expected) => {
    expect(addressDecides(participants, s)).toBe(expected);
  });
});
