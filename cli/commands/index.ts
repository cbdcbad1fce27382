import type { Command } from '../runtime.js';

/** Each command's module is imported only when it runs, so a quick command never loads the database code. */
export const commands: Record<string, (args: readonly string[]) => Promise<Command>> = {
  agents: async () => (await import('./agents.js')).agents,
  ask: async () => (await import('./ask.js')).ask,
  consult: async () => (await import('./consult.js')).consult,
  chat: async () => (await import('./chat.js')).chat,
  meeting: async (args) => (args[0] === 'types' ? (await import('./meetingTypes.js')).meetingTypes : (await import('./meeting.js')).meeting),
  actions: async () => (await import('./actions.js')).actions,
  memory: async () => (await import('./memory.js')).memory,
  export: async () => (await import('./exportData.js')).exportCommand,
  import: async () => (await import('./importData.js')).importCommand,
  demo: async () => (await import('./demo.js')).demo,
  keys: async () => (await import('./keys.js')).keys,
  settings: async () => (await import('./settings.js')).settings,
  tools: async () => (await import('./tools.js')).tools,
};

/** Commands that read only the personas or the meeting catalogue: they never open the database, nor forward to a server. */
export function needsDatabase(name: string, args: readonly string[]): boolean {
  if (name === 'agents' || name === 'tools') return false;
  if (name === 'meeting' && args[0] === 'types') return false;
  return true;
}
