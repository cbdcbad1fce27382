import { toUserMessage } from '../errors.js';

export interface Check {
  name: string;
  ok: boolean;
  problem?: string;
  /** The models check: every model in use, with what uses it. */
  models?: string[];
  /** Working without this part (a tool server down): reported, but Council stays ready. */
  degraded?: boolean;
}

/**
 * Runs one readiness check with its own time limit, so a database in the
 * middle of a restart cannot hold the whole probe (or the other checks) hostage.
 */
export async function checkWithin(name: string, ms: number, run: () => Promise<void>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve({ name, ok: false, problem: `no answer within ${ms} ms` }), ms);
  });
  const attempt = run().then(
    (): Check => ({ name, ok: true }),
    (error: unknown): Check => ({ name, ok: false, problem: toUserMessage(error) }),
  );
  try {
    return await Promise.race([attempt, late]);
  } finally {
    clearTimeout(timer);
  }
}
