import type { Command } from '../runtime.js';
import { agents } from './agents.js';
import { ask } from './ask.js';
import { chat } from './chat.js';
import { consult } from './consult.js';
import { demo } from './demo.js';
import { exportCommand } from './exportData.js';
import { importCommand } from './importData.js';
import { meeting } from './meeting.js';
import { memory } from './memory.js';

export const commands: Record<string, Command> = {
  agents,
  ask,
  consult,
  chat,
  meeting,
  memory,
  export: exportCommand,
  import: importCommand,
  demo,
};
