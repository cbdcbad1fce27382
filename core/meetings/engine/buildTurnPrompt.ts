import type { AgentRegistry } from '../../agents/agentRegistry.js';
import type { LlmMessage } from '../../llm/types.js';
import type { Role } from '../../roles/roleSchema.js';
import type { TurnKind } from '../store/meetingStore.js';
import type { MeetingType } from '../meetingTypeSchema.js';
import type { MeetingPlan, SpokenKind } from './ports.js';

export type { SpokenKind };


const instructions: Record<SpokenKind, (type: MeetingType) => string> = {
  opening: () =>
    'You are the facilitator. Open the current topic: frame the question in two or three sentences, say what a good outcome looks like, and invite views.',
  position: (type) =>
    `Before hearing your colleagues, state your own position on the current topic in at most ${type.maxTurnWords} words: what you recommend, the main reason from your own expertise, and what would change your mind. Do not guess what others will say.`,
  contribution: (type) =>
    `Give your view on the current topic in at most ${type.maxTurnWords} words. Build on what colleagues said, name who you agree or disagree with, and be concrete. When your expertise says the room is wrong, disagree plainly and say what would change your mind; do not agree just because others did. If you have nothing useful to add, answer with the single word PASS.`,
  dissent: (type) =>
    `The room seems to agree. Make the strongest case against that agreement in at most ${type.maxTurnWords} words, from your own expertise: what could go wrong, what was not considered, what evidence would change the conclusion. Argue it even if you lean the same way.`,
  question: () =>
    'You are the facilitator. Ask the people in the meeting one short, specific question that would move the current topic forward (a fact only they know, a preference, a go-ahead). Address them directly; do not answer it yourself.',
  topic_summary: () =>
    'You are the facilitator. Close the current topic: summarise it in three to five bullet points (agreements, disagreements, decisions, next steps with owners).',
};

/** Persona + meeting context + the transcript so far + what this turn must do. */
export function buildTurnPrompt(input: {
  role: Role;
  meeting: MeetingPlan;
  type: MeetingType;
  agents: AgentRegistry;
  topicIndex: number;
  kind: SpokenKind;
  transcript: string;
  /** Open action items of earlier meetings of the same place, one line each. */
  carried?: readonly string[];
  /** A person who spoke to this speaker by name: the turn answers them first. */
  answering?: string | null;
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
    input.carried?.length ? `Open action items from earlier meetings (the facilitator asks about them first):\n${input.carried.map((line) => `- ${line}`).join('\n')}` : '',
    `Current topic: ${input.topicIndex + 1}. ${meeting.agenda[input.topicIndex]}`,
    'People may speak in this meeting too; their lines are marked "person in the meeting". Take what they say seriously and answer them when they ask you something.',
    'Write plain Markdown. Do not write other people\'s lines and do not prefix your answer with your name.',
  ].filter(Boolean);
  const transcript = input.transcript.trim() === '' ? 'Nothing has been said yet.' : input.transcript;
  return [
    { role: 'system', content: `${input.role.prompt}\n\n${context.join('\n\n')}` },
    { role: 'user', content: `Transcript so far:\n\n${transcript}\n\nYour turn. ${instructions[input.kind](type)}${extra(input)}` },
  ];
}

function extra(input: { kind: SpokenKind; topicIndex: number; carried?: readonly string[]; answering?: string | null }): string {
  if (input.answering) return ` ${input.answering} spoke to you by name: answer them first, directly.`;
  if (input.kind === 'opening' && input.topicIndex === 0 && input.carried?.length) return ' Before framing the topic, ask about the open action items from earlier meetings listed above: are they done, and what blocks them?';
  return '';
}

/** A participant who answers PASS (or nearly only that) passes their turn. */
export function isPass(content: string): boolean {
  const text = content.trim().replace(/[*_.!`"]/g, '');
  return /^pass\b/i.test(text) && text.length <= 40;
}
