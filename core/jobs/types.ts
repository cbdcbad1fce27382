import type { Council } from '../council.js';
import type { Logger } from '../log.js';

export type JobTrigger = 'schedule' | 'manual' | 'startup';

export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression (croner syntax). */
  schedule: string;
  run(input: { council: Council; log: Logger; now: Date }): Promise<Record<string, unknown>>;
}
