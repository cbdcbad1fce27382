import { meetingTypes as catalogue } from '../../core/meetings/catalogue.js';
import { writeJson, type Command } from '../runtime.js';

/** `council meeting types`: the catalogue is data, so this loads neither the database nor the meeting engine. */
export const meetingTypes: Command = async (ctx) => {
  const list = catalogue.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    participants: t.participants,
    facilitator: t.facilitator,
    roundsPerTopic: t.roundsPerTopic,
    independentPositions: t.independentPositions,
    minutes: t.minutes,
  }));
  if (ctx.json) return writeJson(ctx.io, list);
  for (const t of list) ctx.io.out.write(`${t.id.padEnd(22)} ${t.name}: ${t.description}${t.independentPositions ? ' (independent positions)' : ''}\n`);
};
