import { Cron } from 'croner';
import { desc, eq } from 'drizzle-orm';
import type { Council } from '../council.js';
import { jobRuns } from '../db/schema.js';
import { CouncilError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { exportAtZero, metrics } from '../metrics.js';
import { runnerId as thisProcess } from '../runnerId.js';
import { contextOf } from '../contextOf.js';
import { ownTask } from '../tasks/ownTask.js';
import { jobTasks } from '../tasks/backgroundTasks.js';
import { jobDefinitions } from './definitions.js';
import { beatJobRun, claimJobRun, jobHeartbeatMs, lastSuccesses, type JobRunRow } from './jobSlots.js';
import type { JobDefinition, JobTrigger } from './types.js';

export type JobRun = Pick<JobRunRow, 'id' | 'name' | 'trigger' | 'status' | 'detail' | 'error' | 'runner' | 'scheduledFor' | 'startedAt' | 'finishedAt'>;

export interface Jobs {
  list(now?: Date): Promise<Array<{ name: string; description: string; schedule: string; nextRun: Date | null; running: boolean; lastRuns: JobRun[] }>>;
  /**
   * Runs a job now, or says why not: `skipped` with detail.runner when a run is
   * in progress here or on another process, or when another process already
   * took this schedule slot. Never rejects: a database that is down is a `failed` run.
   */
  run(name: string, trigger: JobTrigger, scheduledFor?: Date | null): Promise<JobRun>;
  start(): void;
  stop(): void;
}

/** council_job_runs_total{outcome}, exported at 0 for every job. */
export const jobOutcomes = ['ok', 'failed', 'skipped', 'elsewhere', 'unrecorded'] as const;

/**
 * Maintenance jobs on croner, once per schedule across every process sharing
 * the database: a run claims its slot in job_runs (see claimJobRun), keeps a
 * heartbeat while it runs, and never overlaps itself anywhere. Every run is a
 * job_runs row, a log line and metrics; a run that cannot even be recorded
 * (database down) is counted as `unrecorded`.
 */
export function createJobs(input: { council: Council; log: Logger; definitions?: JobDefinition[]; clock?: () => Date; runner?: string }): Jobs {
  const { council, log } = input;
  const clock = input.clock ?? (() => new Date());
  const runner = input.runner ?? thisProcess;
  const definitions = input.definitions ?? jobDefinitions(council.config);
  const running = new Set<string>();
  const crons: Cron[] = [];
  const db = () => contextOf(council).database.db;

  // Every series exists from the start at 0, so increase() sees the first failure.
  for (const { name } of definitions) {
    exportAtZero(metrics.jobRuns, { job_name: [name], outcome: jobOutcomes });
    exportAtZero(metrics.backgroundFailures, { task: jobTasks(name) });
  }

  const find = (name: string) => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new CouncilError('unknown_job', `unknown job "${name}"; jobs: ${definitions.map((d) => d.name).join(', ')}`);
    return definition;
  };

  const synthetic = (name: string, trigger: JobTrigger, status: JobRun['status'], extra: Partial<JobRun>): JobRun => ({
    id: '',
    name,
    trigger,
    status,
    detail: null,
    error: null,
    runner,
    scheduledFor: null,
    startedAt: new Date(),
    finishedAt: new Date(),
    ...extra,
  });

  async function skip(name: string, trigger: JobTrigger, holder: JobRunRow | undefined): Promise<JobRun> {
    const detail = { reason: holder?.status === 'running' ? `already running on ${holder.runner ?? 'another process'}` : 'this schedule slot already ran', runner: holder?.runner ?? null, since: holder?.startedAt ?? null };
    metrics.jobRuns.inc({ job_name: name, outcome: holder?.runner === runner && holder.status === 'running' ? 'skipped' : 'elsewhere' });
    log.info({ job: name, trigger, ...detail }, 'job skipped');
    if (trigger === 'schedule' && holder?.status !== 'running') return synthetic(name, trigger, 'skipped', { detail });
    const [row] = await db().insert(jobRuns).values({ name, trigger, status: 'skipped', detail, runner, finishedAt: new Date() }).returning();
    return row as JobRun;
  }

  async function execute(definition: JobDefinition, row: JobRunRow, trigger: JobTrigger): Promise<JobRun> {
    const name = definition.name;
    const beat = setInterval(() => void ownTask(log, `job-heartbeat:${name}`, () => beatJobRun(db(), row.id)), jobHeartbeatMs);
    beat.unref();
    const started = performance.now();
    try {
      const detail = await definition.run({ council, log: log.child({ job: name }), now: clock() });
      const [done] = await db().update(jobRuns).set({ status: 'ok', detail, finishedAt: new Date() }).where(eq(jobRuns.id, row.id)).returning();
      metrics.jobRuns.inc({ job_name: name, outcome: 'ok' });
      metrics.jobLastSuccess.set({ job_name: name }, Date.now() / 1000);
      log.info({ job: name, trigger, ms: Math.round(performance.now() - started), ...detail }, 'job done');
      return done as JobRun;
    } catch (error) {
      const cause = describeError(error);
      metrics.jobRuns.inc({ job_name: name, outcome: 'failed' });
      log.error({ job: name, trigger, err: cause }, 'job failed');
      const failed = await db()
        .update(jobRuns)
        .set({ status: 'failed', error: cause.message, finishedAt: new Date() })
        .where(eq(jobRuns.id, row.id))
        .returning()
        .catch(() => {
          // Left `running`: its heartbeat stops, and the next claim marks it failed.
          metrics.jobRuns.inc({ job_name: name, outcome: 'unrecorded' });
          return [];
        });
      return (failed[0] as JobRun | undefined) ?? synthetic(name, trigger, 'failed', { id: row.id, error: cause.message });
    } finally {
      clearInterval(beat);
      metrics.jobDuration.observe({ job_name: name }, (performance.now() - started) / 1000);
    }
  }

  async function run(name: string, trigger: JobTrigger, scheduledFor: Date | null = null): Promise<JobRun> {
    const definition = find(name);
    if (running.has(name)) {
      return skip(name, trigger, { runner, status: 'running' } as JobRunRow).catch((error: unknown) => synthetic(name, trigger, 'skipped', { error: describeError(error).message }));
    }
    running.add(name);
    try {
      const claim = await claimJobRun(db(), { name, trigger, runner, scheduledFor });
      if ('busy' in claim) return await skip(name, trigger, claim.busy);
      if ('slotTaken' in claim) return await skip(name, trigger, claim.slotTaken);
      return await execute(definition, claim.row, trigger);
    } catch (error) {
      // The run could not even be claimed or recorded: the database is down. Counted, logged, never thrown.
      const cause = describeError(error);
      metrics.jobRuns.inc({ job_name: name, outcome: 'unrecorded' });
      log.error({ job: name, trigger, err: cause }, 'job could not run: the database did not answer; the next schedule tries again');
      return synthetic(name, trigger, 'failed', { error: `the database did not answer: ${cause.message}` });
    } finally {
      running.delete(name);
    }
  }

  return {
    async list(now = clock()) {
      return Promise.all(
        definitions.map(async (definition) => {
          const lastRuns = (await db().select().from(jobRuns).where(eq(jobRuns.name, definition.name)).orderBy(desc(jobRuns.startedAt)).limit(5)) as JobRun[];
          return {
            name: definition.name,
            description: definition.description,
            schedule: definition.schedule,
            nextRun: new Cron(definition.schedule, { paused: true }).nextRun(now),
            running: running.has(definition.name) || lastRuns.some((r) => r.status === 'running'),
            lastRuns,
          };
        }),
      );
    },
    run,
    start() {
      void ownTask(log, 'job-last-success', async () => {
        for (const { name, at } of await lastSuccesses(db())) if (at && definitions.some((d) => d.name === name)) metrics.jobLastSuccess.set({ job_name: name }, at.getTime() / 1000);
      });
      for (const definition of definitions) {
        const cron: Cron = new Cron(definition.schedule, { protect: true }, () => {
          // The slot is the scheduled time, not the moment this process's timer fired: every process names the same slot.
          const fired = cron.currentRun() ?? clock();
          const slot = cron.previousRuns(1, new Date(fired.getTime() + 1))[0] ?? fired;
          return ownTask(log, `job:${definition.name}`, () => run(definition.name, 'schedule', slot));
        });
        crons.push(cron);
      }
    },
    stop() {
      for (const cron of crons.splice(0)) cron.stop();
    },
  };
}
