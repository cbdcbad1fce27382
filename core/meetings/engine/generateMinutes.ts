import { CouncilError } from '../../errors.js';
import type { LlmMessage } from '../../llm/types.js';
import type { MeetingType } from '../meetingTypeSchema.js';
import { minutesJsonSchema, minutesSchema, repairMinutes, type Minutes } from './minutesSchema.js';
import type { MeetingModel } from './ports.js';

/**
 * Minutes through Ollama structured output, validated with zod. Invalid output
 * is retried once with the validation error, then repaired if it can be; never
 * stored as garbage.
 */
export async function generateMinutes(
  model: MeetingModel,
  input: {
    type: MeetingType;
    title: string;
    /** Who may own an action item: persona ids and the speaker ids of people who spoke. */
    attendees: string[];
    /** Display names of the attendees, so the model can map "Ana" to her id. */
    names?: Record<string, string>;
    transcript: string;
    signal: AbortSignal;
  },
): Promise<Minutes> {
  const sections = Object.keys(input.type.minutes.sections);
  const schema = minutesSchema(input.attendees, sections);
  const format = minutesJsonSchema(input.attendees, sections);
  const sectionHelp = Object.entries(input.type.minutes.sections).map(([key, help]) => `- sections.${key}: ${help}`);
  const messages: LlmMessage[] = [
    {
      role: 'system',
      content: [
        `You write the minutes of a ${input.type.name} meeting titled "${input.title}". Answer with JSON only, matching the schema.`,
        `Action item owners must be one of these ids: ${input.attendees.map((id) => (input.names?.[id] ? `${id} (${input.names[id]})` : id)).join(', ')}. An owner is whoever agreed to do it, a person included.`,
        'Every decision and action item lists in source_turns the turn numbers (the #n before each line of the transcript) it comes from.',
        `This kind of meeting must record: ${input.type.minutes.requires.join(', ') || 'a summary'}.`,
        ...(sectionHelp.length > 0 ? ['Fill in these sections:', ...sectionHelp] : []),
        'Only record decisions and action items that were actually agreed in the transcript. For each decision list in supporters the ids of those who argued for it.',
        'Record in dissent who disagreed and on what (citing turns), including a strongest case against that was made; record unresolved questions in open_questions.',
      ].join('\n'),
    },
    { role: 'user', content: `Transcript:\n\n${input.transcript}` },
  ];
  let lastRaw: unknown = null;
  for (let attempt = 0; attempt < 2; attempt++) {
    const content = await model.minutes({ messages: [...messages], format, attendees: input.attendees }, input.signal);
    let problem: string;
    try {
      lastRaw = JSON.parse(content);
      const parsed = schema.safeParse(lastRaw);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      problem = `${issue?.path.join('.') || 'the answer'}: ${issue?.message}`;
    } catch {
      problem = 'the answer was not valid JSON';
    }
    messages.push({ role: 'assistant', content }, { role: 'user', content: `That was invalid (${problem}). Answer again with JSON that matches the schema exactly.` });
  }
  const repaired = repairMinutes(lastRaw, input.attendees, sections, input.names);
  if (repaired) return repaired;
  throw new CouncilError('bad_structured_output', `the model did not produce valid minutes twice; try again or use a larger model than ${model.name}`);
}
