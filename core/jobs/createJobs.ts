import { Cron } from 'croner';
import { desc, eq } from 'drizzle-orm';
import type { Council } from '../council.js';
import { jobRuns } from '../db/schema.js';
import { CouncilError } from '../errors.js';
import type { Logger } from '../log.js';
import { metrics } from '../metrics.js';
import { jobDefinitions } from './definitions.js';
import type { JobDefinition, JobTrigger } from './types.js';

export interface JobRun {
  id: string;
  name: string;
  trigger: JobTrigger;
  status: 'running' | 'ok' | 'failed' | 'skipped';
  detail: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface Jobs {
  list(now?: Date): Promise<Array<{ name: string; description: string; schedule: string; nextRun: Date | null; running: boolean; lastRuns: JobRun[] }>>;
  run(name: string, trigger: JobTrigger): Promise<JobRun>;
  start(): void;
  stop(): void;
}

/**
 * Maintenance jobs on croner. A job never overlaps itself, whether started by
 * its schedule or on demand (a second start is recorded as skipped); every run
 * is a job_runs row, a log line and metrics.
 */
export function createJobs(input: { council: Council; log: Logger; definitions?: JobDefinition[]; clock?: () => Date }): Jobs {
  const { council, log } = input;
  const clock = input.clock ?? (() => new Date());
  const definitions = input.definitions ?? jobDefinitions(council.config);
  const running = new Set<string>();
  const crons: Cron[] = [];
  const db = () => council.ctx.database.db;

  const find = (name: string) => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new CouncilError('unknown_job', `unknown job "${name}"; jobs: ${definitions.map((d) => d.name).join(', ')}`);
    return definition;
  };

  async function run(name: string, trigger: JobTrigger): Promise<JobRun> {
    const definition = find(name);
    if (running.has(name)) {
      const [skipped] = await db().insert(jobRuns).values({ name, trigger, status: 'skipped', detail: { reason: 'already running' }, finishedAt: new Date() }).returning();
      metrics.jobRuns.inc({ job: name, outcome: 'skipped' });
      log.info({ job: name, trigger }, 'job skipped: already running');
      return skipped as JobRun;
    }
    running.add(name);
    const [row] = await db().insert(jobRuns).values({ name, trigger, status: 'running' }).returning();
    const started = performance.now();
    try {
      const detail = await definition.run({ council, log: log.child({ job: name }), now: clock() });
      const [done] = await db().update(jobRuns).set({ status: 'ok', detail, finishedAt: new Date() }).where(eq(jobRuns.id, row!.id)).returning();
      metrics.jobRuns.inc({ job: name, outcome: 'ok' });
      metrics.jobLastSuccess.set({ job: name }, Date.now() / 1000);
      log.info({ job: name, trigger, ms: Math.round(performance.now() - started), ...detail }, 'job done');
      return done as JobRun;
    } catch (error) {
      const message = (error as Error).message?.split('\n', 1)[0] ?? String(error);
      const [failed] = await db().update(jobRuns).set({ status: 'failed', error: message, finishedAt: new Date() }).where(eq(jobRuns.id, row!.id)).returning();
      metrics.jobRuns.inc({ job: name, outcome: 'failed' });
      log.error({ job: name, trigger, err: message }, 'job failed');
      return failed as JobRun;
    } finally {
      metrics.jobDuration.observe({ job: name }, (performance.now() - started) / 1000);
      running.delete(name);
    }
  }

  return {
    async list(now = clock()) {
      return Promise.all(
        definitions.map(async (definition) => ({
          name: definition.name,
          description: definition.description,
          schedule: definition.schedule,
          nextRun: new Cron(definition.schedule, { paused: true }).nextRun(now),
          running: running.has(definition.name),
          lastRuns: (await db().select().from(jobRuns).where(eq(jobRuns.name, definition.name)).orderBy(desc(jobRuns.startedAt)).limit(5)) as JobRun[],
        })),
      );
    },
    run,
    start() {
      for (const definition of definitions) {
        crons.push(new Cron(definition.schedule, { protect: true, name: `council:${definition.name}` }, async () => void (await run(definition.name, 'schedule'))));
      }
    },
    stop() {
      for (const cron of crons.splice(0)) cron.stop();
    },
  };
}
