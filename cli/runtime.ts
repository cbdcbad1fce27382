import { Council } from '../core/council.js';
import { loadConfig } from '../core/config/index.js';
import { createLogger } from '../core/log.js';

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  input: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** What a command gets: parsed flags, positionals, I/O, and a lazily opened Council. */
export interface CommandContext {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  json: boolean;
  io: CliIo;
  signal: AbortSignal;
  council(): Promise<Council>;
}

export type Command = (ctx: CommandContext) => Promise<void>;

/** Opens Council once per CLI run; logs go to stderr so stdout stays clean for --json. */
export function councilOpener(io: CliIo): { open: () => Promise<Council>; close: () => Promise<void> } {
  let opened: Promise<Council> | undefined;
  return {
    open() {
      opened ??= (async () => {
        const config = loadConfig(io.env);
        const log = createLogger(io.env.LOG_LEVEL ?? 'error', io.err);
        return Council.open({ config, log });
      })();
      return opened;
    },
    async close() {
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
