/**
 * Every name a background failure is counted under
 * (council_background_failures_total{task}): ownTask takes only these, and
 * each series is exported at 0 from start, so the first failure fires
 * BackgroundTaskFailing.
 */
export const coreTasks = ['probe-ollama', 'meeting-supervisor', 'meeting-run', 'meeting-sink', 'meeting-signal', 'meeting-finish', 'job-last-success', 'settings-signal', 'memory-extraction', 'tool-approval-signal', 'tool-approval-relay'] as const;

/** Tasks only a process that runs the bot has (exported at 0 when the bot starts). */
export const botTasks = ['discord-interaction', 'discord-message', 'bot-meeting-supervisor', 'discord-stream-flush', 'discord-stream-finish', 'discord-leave-guild', 'discord-message-deleted'] as const;

/** A maintenance job's scheduled run and its heartbeat, per job name (exported at 0 when the jobs are created). */
export const jobTasks = (job: string): JobTask[] => [`job:${job}`, `job-heartbeat:${job}`];

type JobTask = `job:${string}` | `job-heartbeat:${string}`;
export type BackgroundTask = (typeof coreTasks)[number] | (typeof botTasks)[number] | JobTask;
