/** The library: `import { Council } from 'council'` (package.json `exports`). */
export { Council, type AgentReply, type ConsultReply, type NewMeeting, type OpenOptions } from './council.js';
export { CouncilError, isCouncilError, type ErrorCode } from './errors.js';
export { loadConfig, type Config } from './config/index.js';
export type { CallStats, CouncilEvent, MeetingEvent } from './events.js';
export type { MeetingSummary, MeetingView } from './meetings/meetingView.js';
export type { Minutes } from './meetings/engine/minutesSchema.js';
export type { AgentSummary } from './agents/agentRegistry.js';
export type { Caller } from './memory/scope.js';
