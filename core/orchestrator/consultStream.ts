import { CouncilError, toCouncilError } from '../errors.js';
import type { CouncilEvent } from '../events.js';
import { exportAtZero, metrics } from '../metrics.js';
import { chatStream, type ChatOptions } from './chatStream.js';
import type { CouncilContext } from './context.js';
import { mergeStreams } from './mergeStreams.js';

export type ConsultOptions = Omit<ChatOptions, 'agent' | 'lane'> & { agents: string[] };

/** council_consults_total{outcome}: every agent answered, some failed, or all failed. */
export const consultOutcomes = ['ok', 'partial', 'error'] as const;
exportAtZero(metrics.consults, { outcome: consultOutcomes });
const countConsult = (outcome: (typeof consultOutcomes)[number]) => metrics.consults.inc({ outcome });

/**
 * Several agents answer the same message in parallel, each in its own
 * conversation, their tokens interleaved. One agent failing is an `error`
 * event for that agent; the others carry on.
 */
export async function* consultStream(ctx: CouncilContext, options: ConsultOptions): AsyncGenerator<CouncilEvent> {
  const ids = [...new Set(options.agents.map((agent) => ctx.agents.get(agent).id))];
  if (ids.length === 0) throw new CouncilError('bad_usage', 'name at least one agent to consult, e.g. --agents solutions_architect,backend_developer');
  let failures = 0;
  const perAgent = ids.map((agent) =>
    (async function* (): AsyncGenerator<CouncilEvent> {
      try {
        yield* chatStream(ctx, { ...options, agent });
      } catch (error) {
        failures++;
        const failure = toCouncilError(error);
        yield { type: 'error', agent, code: failure.code, message: failure.message };
      }
    })(),
  );
  yield* mergeStreams(perAgent);
  countConsult(failures === 0 ? 'ok' : failures === ids.length ? 'error' : 'partial');
}
