import type { AgentRegistry } from '../agents/agentRegistry.js';
import type { Config } from '../config/index.js';
import type { Database } from '../db/database.js';
import type { LlmClient } from '../llm/llmClient.js';
import type { Logger } from '../log.js';
import type { ConversationStore } from '../memory/conversationStore.js';
import type { MeetingSignals } from '../meetings/coordination/meetingSignals.js';
import type { MemoryStore } from '../memory/memoryStore.js';
import type { ToolsService } from '../tools/toolsService.js';

/** Everything an operation needs, built once by Council.open(). */
export interface CouncilContext {
  config: Config;
  log: Logger;
  database: Database;
  llm: LlmClient;
  agents: AgentRegistry;
  conversations: ConversationStore;
  memories: MemoryStore;
  /** Wakes the process running a meeting, and followers, when something about it was stored. */
  signals: MeetingSignals;
  /** Tools and who may call them; set once Council's services exist. */
  tools?: ToolsService;
}

export type { Caller } from '../memory/scope.js';

/** Who is speaking, when the face knows (Discord user, API caller). */
export interface Speaker {
  id: string;
  name: string;
}
