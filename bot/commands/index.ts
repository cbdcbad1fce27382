import { actions } from './actions.js';
import { admin } from './admin.js';
import { agents } from './agents.js';
import { ask } from './ask.js';
import type { BotCommand, BotMessageCommand } from './command.js';
import { consult } from './consult.js';
import { council } from './council.js';
import { meeting } from './meeting.js';
import { memory } from './memory.js';
import { whyDidYouSayThis } from './whyDidYouSayThis.js';

export const commands: ReadonlyMap<string, BotCommand> = new Map([ask, consult, agents, meeting, actions, memory, admin, council].map((command) => [command.data.name, command]));

/** Commands in a message's Apps menu, by their registered name. */
export const messageCommands: ReadonlyMap<string, BotMessageCommand> = new Map([whyDidYouSayThis].map((command) => [command.data.name, command]));
