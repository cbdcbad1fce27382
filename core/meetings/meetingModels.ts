import { CouncilError } from '../errors.js';

const modelName = /^[^\s=,]{1,200}$/;

/**
 * A meeting's per-participant models as people type them: `agent=model`
 * pairs, given one by one (the CLI's repeated --model) or comma-separated
 * (Discord's `models:` option, "alex=llama3.2,sam=qwen2.5"). Strict: a part
 * that is not exactly one name, one `=` and one model name is refused in one
 * line naming it, and so is a colleague named twice. A colleague may be
 * named by id, alias or full name ("Sofia Rossi=qwen2.5"). Keys stay as typed;
 * the meeting resolves them to colleague ids.
 */
export function parseModelChoices(parts: readonly string[]): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const part of parts.flatMap((text) => text.split(','))) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const [agent, model, extra] = trimmed.split('=').map((side) => side.trim());
    if (extra !== undefined || !agent || !model || !modelName.test(model)) {
      throw new CouncilError('bad_usage', `models: "${trimmed.slice(0, 80)}" is not agent=model (e.g. backend_developer=qwen2.5:7b)`);
    }
    if (chosen[agent] !== undefined) throw new CouncilError('bad_usage', `models: ${agent.slice(0, 80)} is given a model twice`);
    chosen[agent] = model;
  }
  return chosen;
}

/**
 * The models a meeting stores per attendee, by precedence: the meeting's own
 * choice for a participant, then the place's model for that colleague (a
 * Discord place setting). An attendee left out speaks with its role's model,
 * else MODEL_NAME (speakerModel).
 */
export function meetingModels(attendees: readonly string[], chosen: Readonly<Record<string, string>>, placeModel: (agentId: string) => string | null = () => null): Record<string, string> {
  const models: Record<string, string> = {};
  for (const id of attendees) {
    const model = chosen[id] ?? placeModel(id);
    if (model) models[id] = model;
  }
  return models;
}

/** The model one attendee speaks with: the meeting's, else its role's; undefined means MODEL_NAME. */
export function speakerModel(models: Readonly<Record<string, string>>, role: { id: string; model?: string | undefined }): string | undefined {
  return models[role.id] ?? role.model;
}

/** Who spoke with which model, from the stored turns: each colleague's models in the order first used. */
export function modelsBySpeaker(turns: ReadonlyArray<{ agentId: string | null; model: string | null }>): Record<string, string[]> {
  const models: Record<string, string[]> = {};
  for (const turn of turns) {
    if (!turn.agentId || !turn.model) continue;
    const used = (models[turn.agentId] ??= []);
    if (!used.includes(turn.model)) used.push(turn.model);
  }
  return models;
}
