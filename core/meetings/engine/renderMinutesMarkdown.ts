import type { Minutes } from './minutesSchema.js';

export interface MinutesDocument {
  title: string;
  typeName: string;
  date: Date;
  participants: string[];
  /** Speaker ids of the people who spoke in the meeting. */
  people?: string[];
  /** `after_meeting`: people's posts that arrived after the minutes were written. */
  minutes: Minutes & { after_meeting?: Array<{ seq: number; speaker: string; text: string }> | undefined; models?: Record<string, string[]> | undefined };
  /** Display names by persona id or speaker id. */
  agentNames?: Record<string, string>;
  /** How each topic ended, who had the floor on it and who was not heard and why. */
  topics?: Array<{ topic: string; closedBy: string; reason: string | null; spoke?: string[]; unheard?: Array<{ id: string; why: string }> }>;
}

const heading = (key: string) => key.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
const cites = (turns: readonly number[] | undefined) => (turns?.length ? ` [turn${turns.length > 1 ? 's' : ''} ${turns.map((n) => `#${n}`).join(', ')}]` : '');
const closedBy: Record<string, string> = { facilitator: 'closed by the facilitator', passes: 'everyone passed', budget: 'turn budget spent', humans: 'closed at the people\'s request' };

/** The minutes as a Markdown document people can paste into a wiki or a ticket; each decision and action item cites its turns. */
export function renderMinutesMarkdown(doc: MinutesDocument): string {
  const who = (id: string) => (doc.agentNames?.[id] ? `${doc.agentNames[id]} (${id})` : id);
  const { minutes } = doc;
  const lines = [
    `# ${doc.title}`,
    '',
    `*${doc.typeName}, ${doc.date.toISOString().slice(0, 10)}. Attendees: ${doc.participants.map(who).join(', ')}.${doc.people?.length ? ` People: ${doc.people.map((id) => doc.agentNames?.[id] ?? id).join(', ')}.` : ''}*`,
    '',
    '## Summary',
    '',
    minutes.summary,
  ];
  if (doc.topics?.length) {
    lines.push('', '## Topics', '');
    for (const topic of doc.topics) {
      lines.push(`- ${topic.topic}: ${closedBy[topic.closedBy] ?? topic.closedBy}${topic.reason ? ` (${topic.reason})` : ''}`);
      if (topic.spoke) lines.push(`  - Spoke: ${topic.spoke.map(who).join(', ') || 'nobody'}`);
      if (topic.unheard?.length) lines.push(`  - Not heard: ${topic.unheard.map((u) => `${who(u.id)} (${u.why})`).join('; ')}`);
    }
  }
  for (const [key, text] of Object.entries(minutes.sections)) {
    if (text.trim()) lines.push('', `## ${heading(key)}`, '', text);
  }
  lines.push('', '## Decisions', '');
  if (minutes.decisions.length === 0) lines.push('None recorded.');
  minutes.decisions.forEach((d, i) => lines.push(`${i + 1}. **${d.decision}**${d.rationale ? `: ${d.rationale}` : ''}${d.supporters?.length ? ` (supported by ${d.supporters.map(who).join(', ')})` : ''}${cites(d.source_turns)}`));
  lines.push('', '## Action items', '');
  if (minutes.action_items.length === 0) lines.push('None recorded.');
  for (const item of minutes.action_items) lines.push(`- [ ] ${item.task} (owner: ${who(item.owner)}${item.due ? `, due ${item.due}` : ''})${cites(item.source_turns)}`);
  if (minutes.dissent?.length) {
    lines.push('', '## Dissent', '');
    for (const d of minutes.dissent) lines.push(`- ${who(d.who)}: ${d.on}${cites(d.source_turns)}`);
  }
  if (minutes.open_questions.length > 0) {
    lines.push('', '## Open questions', '');
    for (const question of minutes.open_questions) lines.push(`- ${question}`);
  }
  if (minutes.risks.length > 0) {
    lines.push('', '## Risks', '');
    for (const risk of minutes.risks) lines.push(`- ${risk.risk}${risk.mitigation ? ` (mitigation: ${risk.mitigation})` : ''}`);
  }
  const models = Object.entries(minutes.models ?? {});
  if (models.length > 0) {
    lines.push('', '## Models', '');
    for (const [id, used] of models) lines.push(`- ${who(id)}: ${used.join(', ')}`);
  }
  if (minutes.after_meeting?.length) {
    lines.push('', '## After the meeting', '', 'Posted after these minutes were written; kept in the record, not discussed:', '');
    for (const post of minutes.after_meeting) lines.push(`- #${post.seq} ${post.speaker}: ${post.text}`);
  }
  return `${lines.join('\n')}\n`;
}
