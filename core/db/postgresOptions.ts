import type { Options, PostgresType } from 'postgres';

/**
 * Connection options every postgres.js pool of Council shares. The driver's
 * default reconnect backoff grows to (0.5-1) x 20 s across the pool, so a
 * Postgres restart stalled chats 20-47 s; capped at 1 s, a restart costs about
 * its own duration (bench/faults.ts). connect_timeout 2 s: an unreachable server
 * answers 503 quickly instead of after the driver's 30 s.
 */
export const postgresOptions = {
  onnotice: () => {},
  connect_timeout: 2,
  backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(3 ** retries / 100, 1),
} satisfies Options<Record<string, PostgresType>>;
