import { pino, type Logger } from 'pino';
import { describeError } from './errors.js';

/**
 * JSON logs to stdout. Known secret-bearing fields are redacted wherever they
 * appear, so a careless `log.info({ config })` never leaks a token.
 */
export const redactPaths = [
  'DISCORD_TOKEN',
  'ADMIN_TOKEN',
  'DATABASE_URL',
  'METRICS_TOKEN',
  '*.METRICS_TOKEN',
  '*.DISCORD_TOKEN',
  '*.ADMIN_TOKEN',
  '*.DATABASE_URL',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'password',
  '*.password',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'council' },
    redact: { paths: redactPaths, censor: '[redacted]' },
    // An `err` is logged as its code and first line: drizzle's "Failed query" carries parameters (user text, embeddings) further down.
    serializers: { err: describeError },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination as never) : pino(options);
}

export type { Logger };
