import { contextOf } from '../contextOf.js';
import { cleanupRuns } from './cleanupRuns.js';
import { compactHistory } from './compactHistory.js';
import { pruneMemories } from './pruneMemories.js';
import type { JobDefinition } from './types.js';
import type { Config } from '../config/index.js';

/** The maintenance jobs, their schedules from the environment. */
export function jobDefinitions(config: Config): JobDefinition[] {
  return [
    {
      name: 'memory-prune',
      description: 'Drop unimportant memories unused for MEMORY_RETENTION_DAYS and compact history older than HISTORY_COMPACT_AFTER_DAYS into summaries',
      schedule: config.JOB_MEMORY_PRUNE_CRON,
      async run({ council, log, now }) {
        const { database, llm, memories } = contextOf(council);
        const memoriesDeleted = await pruneMemories(database.db, { minImportance: config.MEMORY_MIN_IMPORTANCE, retentionDays: config.MEMORY_RETENTION_DAYS, now });
        const compacted = await compactHistory(database.db, llm, log, { olderThanDays: config.HISTORY_COMPACT_AFTER_DAYS, now });
        await memories.analyze();
        return { memoriesDeleted, conversationsCompacted: compacted.conversations, messagesCompacted: compacted.messages };
      },
    },
    {
      name: 'cleanup',
      description: 'Delete maintenance run records older than JOB_RUN_RETENTION_DAYS',
      schedule: config.JOB_CLEANUP_CRON,
      async run({ council, now }) {
        return { runsDeleted: await cleanupRuns(contextOf(council).database.db, { retentionDays: config.JOB_RUN_RETENTION_DAYS, now }) };
      },
    },
  ];
}
