import type { Minutes } from './minutesSchema.js';

export interface MinutesDocument {
  title: string;
  typeName: string;
  date: Date;
  participants: string[];
  minutes: Minutes;
  agentNames?: Record<string, string>;
}

const heading = (key: string) => key.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

/** The minutes as a Markdown document people can paste into a wiki or a ticket. */
export function renderMinutesMarkdown(doc: MinutesDocument): string {
  const who = (id: string) => (doc.agentNames?.[id] ? `${doc.agentNames[id]} (${id})` : id);
  const { minutes } = doc;
  const lines = [
    `# ${doc.title}`,
    '',
    `*${doc.typeName}, ${doc.date.toISOString().slice(0, 10)}. Attendees: ${doc.participants.map(who).join(', ')}.*`,
    '',
    '## Summary',
    '',
    minutes.summary,
  ];
  for (const [key, text] of Object.entries(minutes.sections)) {
    if (text.trim()) lines.push('', `## ${heading(key)}`, '', text);
  }
  lines.push('', '## Decisions', '');
  if (minutes.decisions.length === 0) lines.push('None recorded.');
  minutes.decisions.forEach((d, i) => lines.push(`${i + 1}. **${d.decision}**${d.rationale ? `: ${d.rationale}` : ''}`));
  lines.push('', '## Action items', '');
  if (minutes.action_items.length === 0) lines.push('None recorded.');
  for (const item of minutes.action_items) lines.push(`- [ ] ${item.task} (owner: ${who(item.owner)}${item.due ? `, due ${item.due}` : ''})`);
  if (minutes.open_questions.length > 0) {
    lines.push('', '## Open questions', '');
    for (const question of minutes.open_questions) lines.push(`- ${question}`);
  }
  if (minutes.risks.length > 0) {
    lines.push('', '## Risks', '');
    for (const risk of minutes.risks) lines.push(`- ${risk.risk}${risk.mitigation ? ` (mitigation: ${risk.mitigation})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
