import type { AgentRegistry } from '../agents/agentRegistry.js';
import type { LlmMessage } from '../llm/types.js';
import type { Role } from '../roles/roleSchema.js';
import type { MeetingType } from './meetingTypeSchema.js';
import type { MeetingRow, TurnKind } from './meetingStore.js';

const instructions: Record<Exclude<TurnKind, 'pass' | 'closing' | 'human' | 'question'>, (type: MeetingType) => string> = {
  opening: () =>
    'You are the facilitator. Open the current topic: frame the question in two or three sentences, say what a good outcome looks like, and invite views.',
  contribution: (type) =>
    `Give your view on the current topic in at most ${type.maxTurnWords} words. Build on what colleagues said, name who you agree or disagree with, and be concrete. If you have nothing useful to add, answer with the single word PASS.`,
  topic_summary: () =>
    'You are the facilitator. Close the current topic: summarise it in three to five bullet points (agreements, disagreements, decisions, next steps with owners).',
};

/** Persona + meeting context + the transcript so far + what this turn must do. */
export function buildTurnPrompt(input: {
  role: Role;
  meeting: MeetingRow;
  type: MeetingType;
  agents: AgentRegistry;
  topicIndex: number;
  kind: Exclude<TurnKind, 'pass' | 'closing' | 'human' | 'question'>;
  transcript: string;
}): LlmMessage[] {
  const { meeting, type, agents } = input;
  const name = (id: string) => {
    const role = agents.find(id);
    return role ? `${role.name} (${role.title}, ${id})` : id;
  };
  const context = [
    `You are in a ${type.name} meeting titled "${meeting.title}". ${type.description}`,
    meeting.description ? `Background: ${meeting.description}` : '',
    `How to contribute: ${type.guidance}`,
    `Facilitator: ${name(meeting.facilitator)}. Attendees: ${meeting.participants.map(name).join('; ')}.`,
    `Agenda:\n${meeting.agenda.map((topic, i) => `${i + 1}. ${topic}`).join('\n')}`,
    `Current topic: ${input.topicIndex + 1}. ${meeting.agenda[input.topicIndex]}`,
    'Write plain Markdown. Do not write other people\'s lines and do not prefix your answer with your name.',
  ].filter(Boolean);
  const transcript = input.transcript.trim() === '' ? 'Nothing has been said yet.' : input.transcript;
  return [
    { role: 'system', content: `${input.role.prompt}\n\n${context.join('\n\n')}` },
    { role: 'user', content: `Transcript so far:\n\n${transcript}\n\nYour turn. ${instructions[input.kind](type)}` },
  ];
}

/** A participant who answers PASS (or nearly only that) passes their turn. */
export function isPass(content: string): boolean {
  const text = content.trim().replace(/[*_.!`"]/g, '');
  return /^pass\b/i.test(text) && text.length <= 40;
}
