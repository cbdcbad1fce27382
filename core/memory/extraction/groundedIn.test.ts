import { describe, expect, it } from 'vitest';
import { groundedIn } from './groundedIn.js';

describe('groundedIn', () => {
  it('accepts a restatement of what the person said', () => {
    expect(groundedIn('Ana prefers short answers without emojis', 'I prefer short answers, no emojis please', 'Ana')).toBe(true);
    expect(groundedIn('The team moved the database from Postgres 14 to 16', 'we moved from Postgres 14 to 16 last week', 'Ana')).toBe(true);
  });

  it("rejects the colleague's advice, a recalled note and made-up facts", () => {
    const said = 'what should we do about the slow deploys?';
    expect(groundedIn('Ship it behind a flag and watch the error rate for a week', said, 'Ana')).toBe(false);
    expect(groundedIn('The team runs Kubernetes on bare metal', said, 'Ana')).toBe(false);
    expect(groundedIn('the', said, 'Ana')).toBe(false);
  });
});
