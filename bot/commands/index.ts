import { actions } from './actions.js';
import { admin } from './admin.js';
import { agents } from './agents.js';
import { ask } from './ask.js';
import type { BotCommand } from './command.js';
import { consult } from './consult.js';
import { council } from './council.js';
import { meeting } from './meeting.js';
import { memory } from './memory.js';

export const commands: ReadonlyMap<string, BotCommand> = new Map([ask, consult, agents, meeting, actions, memory, admin, council].map((command) => [command.data.name, command]));
