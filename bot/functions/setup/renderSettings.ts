import type { PlaceView } from '../../../core/settings/settingsService.js';
import type { SettingKey } from '../../../core/settings/settingsSchema.js';

const shown = (key: SettingKey, value: unknown): string => {
  if (value === null) return key === 'model' ? 'MODEL_NAME' : key === 'colleagues' ? 'all' : key === 'meetingParticipants' ? "the meeting type's" : 'none';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    // Tools show by name and the start of their pin; the whole sha256 is in the stored setting.
    if (key === 'tools') return value.map((entry: string) => entry.replace(/^(.*?)(?:@([0-9a-f]{8})[0-9a-f]{56})?$/, (_all, name: string, pin?: string) => `\`${name}\`${pin ? ` (pinned ${pin})` : ''}`)).join(', ');
    return key.endsWith('Roles') ? value.map((id) => `<@&${id}>`).join(' ') : key.endsWith('Users') ? value.map((id) => `<@${id}>`).join(' ') : value.join(', ');
  }
  if (typeof value === 'object') {
    const pairs = Object.entries(value as Record<string, string>);
    return pairs.length === 0 ? 'none' : pairs.map(([agent, model]) => `${agent}=${model}`).join(', ');
  }
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
};

/** The settings in force here, one line each with where the value comes from, within one Discord message. */
export function renderSettings(view: Pick<PlaceView, 'values' | 'sources'>, where: string, limit = 2000): string {
  const lines = (Object.keys(view.values) as SettingKey[]).map((key) => `• **${key}**: ${shown(key, view.values[key])} · ${view.sources[key].join(' + ')}`);
  let text = `Settings in force ${where} (value · where it is set):`;
  for (const line of lines) {
    if (text.length + 1 + line.length > limit) return `${text}\n…`;
    text += `\n${line}`;
  }
  return text;
}
