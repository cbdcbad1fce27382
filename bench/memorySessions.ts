/**
 * A scripted team conversation over 30 sessions for bench/memoryQuality.ts:
 * facts that change, preferences, decisions, pastes, small talk, and
 * questions about earlier sessions in LongMemEval's categories (single fact,
 * knowledge update, temporal, multi-session, abstention). `extract` is what a
 * good extraction model returns for the message (the fake plays it);
 * `replaces` names the `key` of the memory it contradicts.
 */
export interface ScriptedMessage {
  speaker: string;
  text: string;
  extract?: Array<{ key: string; text: string; kind: 'fact' | 'preference' | 'decision' | 'person'; replaces?: string }>;
}

export interface ScriptedQuestion {
  speaker: string;
  text: string;
  category: 'single' | 'update' | 'temporal' | 'multi' | 'abstention';
  /** Words the recalled memory that answers it holds; null for abstention (no memory should claim an answer). */
  expect: string[] | null;
  /** What a right answer says, for the judge of --base-url runs; null when it was never given (saying so is right). */
  answer: string | null;
  /** For updates: words of the superseded memory that must not come back. */
  stale?: string[];
}

export interface ScriptedSession {
  messages: ScriptedMessage[];
  questions: ScriptedQuestion[];
}

const smallTalk = ['good morning all', 'thanks, that helps', 'haha fair enough', 'brb, coffee', 'ok, makes sense', 'nice weekend everyone?'];
const trace = (n: number) => `Error: connection refused on worker-${n}\n    at connect (/srv/app/db.js:${10 + n}:5)\n    at pool (/srv/app/pool.js:4:2)\n    at main (/srv/app/index.js:9:1)`;
const code = (n: number) => `\`\`\`ts\nexport function retry${n}(fn: () => Promise<void>) {\n  return fn().catch(() => fn());\n}\n\`\`\``;

const facts: Array<[number, ScriptedMessage]> = [
  [0, { speaker: 'Ana', text: 'We run Postgres 14 for the billing service', extract: [{ key: 'pg', text: 'The billing service runs Postgres 14', kind: 'fact' }] }],
  [1, { speaker: 'Ben', text: 'I prefer short answers with code first', extract: [{ key: 'ben-style', text: 'Ben prefers short answers with code first', kind: 'preference' }] }],
  [2, { speaker: 'Ana', text: 'Our deploys happen on Fridays', extract: [{ key: 'deploy', text: 'The team deploys on Fridays', kind: 'fact' }] }],
  [3, { speaker: 'Cleo', text: 'Cleo here, I own the payments gateway', extract: [{ key: 'cleo', text: 'Cleo owns the payments gateway', kind: 'person' }] }],
  [4, { speaker: 'Ben', text: 'We decided to use Grafana for dashboards', extract: [{ key: 'grafana', text: 'The team decided to use Grafana for dashboards', kind: 'decision' }] }],
  [5, { speaker: 'Ana', text: 'The staging cluster lives in Frankfurt', extract: [{ key: 'staging', text: 'The staging cluster lives in Frankfurt', kind: 'fact' }] }],
  [7, { speaker: 'Dev', text: 'Our on-call rotation is weekly, handover on Mondays', extract: [{ key: 'oncall', text: 'The on-call rotation is weekly with handover on Mondays', kind: 'fact' }] }],
  [9, { speaker: 'Ana', text: 'We use Redis for the session cache', extract: [{ key: 'redis', text: 'The team uses Redis for the session cache', kind: 'fact' }] }],
  [11, { speaker: 'Ben', text: 'We moved billing from Postgres 14 to Postgres 16', extract: [{ key: 'pg16', text: 'The billing service runs Postgres 16 (moved from 14)', kind: 'fact', replaces: 'pg' }] }],
  [13, { speaker: 'Cleo', text: 'I prefer tables over bullet lists in reports', extract: [{ key: 'cleo-style', text: 'Cleo prefers tables over bullet lists in reports', kind: 'preference' }] }],
  [15, { speaker: 'Ana', text: 'Deploys move to Tuesdays from now on', extract: [{ key: 'deploy2', text: 'The team deploys on Tuesdays', kind: 'fact', replaces: 'deploy' }] }],
  [17, { speaker: 'Dev', text: 'The staging cluster moved to Dublin', extract: [{ key: 'staging2', text: 'The staging cluster lives in Dublin', kind: 'fact', replaces: 'staging' }] }],
  [19, { speaker: 'Ben', text: 'We decided to drop Grafana for Datadog dashboards', extract: [{ key: 'datadog', text: 'The team uses Datadog dashboards instead of Grafana', kind: 'decision', replaces: 'grafana' }] }],
  [21, { speaker: 'Ana', text: 'Our error budget is 99.9 percent monthly', extract: [{ key: 'slo', text: 'The error budget is 99.9 percent monthly', kind: 'fact' }] }],
  [23, { speaker: 'Ana', text: 'We run Postgres 14 for the billing service', extract: [{ key: 'pg-echo', text: 'The billing service runs Postgres 14', kind: 'fact' }] }],
  [25, { speaker: 'Ben', text: 'I prefer short answers with code first', extract: [{ key: 'ben-style-again', text: 'Ben prefers short answers with code first', kind: 'preference' }] }],
];

const questions: Array<[number, ScriptedQuestion]> = [
  [6, { speaker: 'Dev', text: 'Which Postgres version does billing run?', category: 'single', expect: ['postgres', '14'], answer: 'Postgres 14' }],
  [8, { speaker: 'Ben', text: 'Who owns the payments gateway?', category: 'single', expect: ['cleo', 'payments'], answer: 'Cleo' }],
  [10, { speaker: 'Dev', text: 'What do we use for the session cache?', category: 'single', expect: ['redis'], answer: 'Redis' }],
  [12, { speaker: 'Cleo', text: 'Which Postgres version does billing run now?', category: 'update', expect: ['postgres', '16'], stale: ['runs postgres 14'], answer: 'Postgres 16' }],
  [14, { speaker: 'Dev', text: 'When is the on-call handover?', category: 'temporal', expect: ['mondays'], answer: 'Mondays' }],
  [16, { speaker: 'Ben', text: 'Which day do we deploy?', category: 'update', expect: ['tuesdays'], stale: ['fridays'], answer: 'Tuesdays' }],
  [18, { speaker: 'Cleo', text: 'Where does the staging cluster live?', category: 'update', expect: ['dublin'], stale: ['frankfurt'], answer: 'Dublin' }],
  [20, { speaker: 'Dev', text: 'What do we use for dashboards?', category: 'update', expect: ['datadog'], stale: ['decided to use grafana'], answer: 'Datadog' }],
  [22, { speaker: 'Ben', text: 'How do I like my answers?', category: 'multi', expect: ['short', 'code'], answer: 'Short, with code first' }],
  [24, { speaker: 'Cleo', text: 'How should my reports look?', category: 'multi', expect: ['tables'], answer: 'Tables rather than bullet lists' }],
  [26, { speaker: 'Ben', text: 'What is our monthly error budget?', category: 'temporal', expect: ['99.9'], answer: '99.9 percent' }],
  [27, { speaker: 'Dev', text: 'Which Kubernetes version do we run?', category: 'abstention', expect: null, answer: null }],
  [28, { speaker: 'Cleo', text: 'What is the name of our CEO?', category: 'abstention', expect: null, answer: null }],
  [29, { speaker: 'Ana', text: 'Which cloud region hosts production?', category: 'abstention', expect: null, answer: null }],
  [29, { speaker: 'Ben', text: 'How often do we rotate on-call?', category: 'multi', expect: ['weekly'], answer: 'Weekly' }],
  [28, { speaker: 'Dev', text: 'Which day do deploys happen?', category: 'update', expect: ['tuesdays'], stale: ['fridays'], answer: 'Tuesdays' }],
];

/** 30 sessions: each has small talk, some have a fact, a paste or questions about earlier ones. */
export const memorySessions: ScriptedSession[] = Array.from({ length: 30 }, (_, index) => {
  const messages: ScriptedMessage[] = [{ speaker: ['Ana', 'Ben', 'Cleo', 'Dev'][index % 4]!, text: smallTalk[index % smallTalk.length]! }];
  for (const [at, message] of facts) if (at === index) messages.push(message);
  if (index % 5 === 4) messages.push({ speaker: 'Dev', text: trace(index) });
  if (index % 7 === 3) messages.push({ speaker: 'Ben', text: code(index) });
  messages.push({ speaker: 'Cleo', text: 'what do you think we should look at first?' });
  return { messages, questions: questions.filter(([at]) => at === index).map(([, question]) => question) };
});
