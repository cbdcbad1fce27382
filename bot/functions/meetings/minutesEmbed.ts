import { EmbedBuilder } from 'discord.js';
import type { StoredMinutes } from '../../../core/events.js';

/** Discord's embed limits (a message's embeds share the 6000 total). */
const limit = { title: 256, description: 4096, fieldName: 256, fieldValue: 1024, fields: 25, total: 6000 } as const;
const more = { name: 'More', value: 'The full minutes are in minutes.md.' };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Lines packed into field values of at most 1024 characters; a longer line is clipped. */
function pack(lines: string[]): string[] {
  const values: string[] = [];
  for (const line of lines.map((l) => clip(l, limit.fieldValue))) {
    const last = values.at(-1);
    if (last !== undefined && last.length + 1 + line.length <= limit.fieldValue) values[values.length - 1] = `${last}\n${line}`;
    else values.push(line);
  }
  return values;
}

/**
 * The minutes as one embed within every Discord limit: the summary, then
 * decisions and action items split over as many fields as they need. What
 * does not fit is left to minutes.md, which is always attached beside it.
 */
export function minutesEmbed(title: string, minutes: StoredMinutes, name: (id: string) => string, link: (turns: readonly number[]) => string = () => ''): EmbedBuilder {
  const heading = clip(`Minutes: ${title}`, limit.title);
  const description = clip(minutes.summary.trim() || '—', Math.min(limit.description, limit.total - heading.length - 1200));
  const sections: Array<[string, string[]]> = [
    ['Decisions', minutes.decisions.map((d) => `• ${d.decision}${link(d.source_turns ?? [])}`)],
    ['Action items', minutes.action_items.map((a) => `• ${a.task} (${name(a.owner)}${a.due ? `, ${a.due}` : ''})`)],
    // Who spoke with which model, grouped by model: a council of several models says so at a glance.
    ...(minutes.models && Object.keys(minutes.models).length > 0 ? [['Models', byModel(minutes.models).map(([model, who]) => `• ${model}: ${who.map(name).join(', ')}`)] as [string, string[]]] : []),
  ];
  const fields: Array<{ name: string; value: string }> = [];
  let used = heading.length + description.length;
  let cut = false;
  for (const [label, lines] of sections) {
    for (const [i, value] of (lines.length > 0 ? pack(lines) : ['—']).entries()) {
      const field = { name: i === 0 ? label : `${label} (continued)`, value };
      const room = limit.total - used - (more.name.length + more.value.length);
      if (cut || fields.length >= limit.fields - 1 || field.name.length + field.value.length > room) {
        cut = true;
        break;
      }
      fields.push(field);
      used += field.name.length + field.value.length;
    }
  }
  if (cut) fields.push(more);
  return new EmbedBuilder().setTitle(heading).setDescription(description).addFields(fields);
}

function byModel(models: Record<string, string[]>): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const [id, used] of Object.entries(models)) for (const model of used) grouped.set(model, [...(grouped.get(model) ?? []), id]);
  return [...grouped];
}
