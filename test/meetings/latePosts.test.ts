import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouncilEvent } from '../../core/events.js';
import { startFakeOllama } from '../fakes/ollama/index.js';
import { openTestCouncil, type TestCouncil } from '../support/openTestCouncil.js';
import { chatBodies, choicesOf, consume, emptyMinutes, isMinutes, isPick } from './support/meetingHarness.js';

let fake: Awaited<ReturnType<typeof startFakeOllama>>;
let tc: TestCouncil;

beforeAll(async () => {
  fake = await startFakeOllama();
  tc = await openTestCouncil({ ollamaUrl: fake.url });
});
afterAll(async () => {
  await tc.dispose();
  await fake.stop();
});

const participants = ['backend_developer', 'qa_engineer', 'frontend_developer'];
const ana = { ownerId: 'cli:ana', name: 'Ana', guildId: null, placeId: null };

describe('nothing a person says is lost', () => {
  it('a post during the opening, a turn, a topic summary, the last summary and the minutes is a turn of the record; one after the end is refused with a reason', async () => {
    const posts = new Map<string, Promise<unknown>>();
    let meetingId = '';
    const post = (text: string) => {
      posts.set(text, tc.council.meetings.post(meetingId, text, ana));
    };
    fake.setResponder((req) => {
      if (isMinutes(req)) {
        post('during the minutes: check the invoices');
        return emptyMinutes();
      }
      if (isPick(req)) return JSON.stringify({ next: choicesOf(req).find((c) => c !== 'humans'), reason: 'go' });
      return 'a remark';
    });
    const meeting = await tc.council.createMeeting({ type: 'design_review', independent: false, title: 'Late posts', topics: ['First', 'Last'], participants });
    meetingId = meeting.id;
    fake.setLatency({ tokenMs: 5 });
    const seen = new Set<string>();
    const once = (key: string, text: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      post(text);
    };
    const run = consume(tc.council.runMeeting(meeting.id), (event: CouncilEvent) => {
      if (event.type !== 'turn_started') return;
      if (event.kind === 'opening' && event.topicIndex === 0) once('opening', 'during the opening: mind the budget');
      if (event.kind === 'contribution' && event.topicIndex === 0) once('turn', 'during a turn: what about retries');
      if (event.kind === 'topic_summary' && event.topicIndex === 0) once('summary', 'during a summary: log it');
      if (event.kind === 'topic_summary' && event.topicIndex === 1) once('last', 'during the last summary: ship friday');
    });
    const events = await run.done;
    fake.setLatency({ tokenMs: 0 });
    expect(events.at(-1)).toMatchObject({ type: 'meeting_ended', status: 'completed' });
    const during = 'during the minutes: check the invoices';
    const duringMinutes = await Promise.allSettled([posts.get(during)]);
    await Promise.all([...posts].filter(([text]) => text !== during).map(([, p]) => p));
    const view = await tc.council.getMeeting(meeting.id);
    const human = view.turns.filter((t) => t.kind === 'human').map((t) => t.content);
    const texts = ['during the opening', 'during a turn', 'during a summary', 'during the last summary'];
    for (const text of texts) expect(human.some((h) => h.startsWith(text))).toBe(true);
    // The minutes heard everything said before they were asked for; what came while they were written is listed after them.
    const minutesPrompt = chatBodies(fake).find(isMinutes)!.messages.at(-1)!.content;
    for (const text of texts) expect(minutesPrompt).toContain(text);
    // The post while the minutes were written either made it into the record (listed after the minutes) or its author was told the meeting had ended.
    const stored = view.minutes as { after_meeting?: Array<{ text: string }> } | null;
    if (duringMinutes[0]?.status === 'fulfilled') {
      expect(human).toContain(during);
      expect(stored?.after_meeting?.map((p) => p.text)).toEqual([during]);
      const markdown = events.find((e) => e.type === 'minutes');
      expect(markdown && 'markdown' in markdown ? markdown.markdown : '').toContain('## After the meeting');
    } else {
      expect(String((duringMinutes[0] as PromiseRejectedResult).reason)).toMatch(/had ended/);
      expect(human).not.toContain(during);
    }

    await expect(tc.council.meetings.post(meeting.id, 'after the end: one more thing', ana)).rejects.toThrow(/had ended/);
    expect((await tc.council.getMeeting(meeting.id)).turns.some((t) => t.content.startsWith('after the end'))).toBe(false);
  });
});
