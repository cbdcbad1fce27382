import { z } from 'zod';

/**
 * The local CLI protocol: NDJSON frames both ways over one HTTP request.
 * The caller sends a start frame, then its stdin and Ctrl-C; the server sends
 * the command's stdout, stderr and finally its exit code.
 */
export const startFrame = z.object({ argv: z.array(z.string()).max(1000), cwd: z.string(), interactive: z.boolean() });
export const inputFrame = z.union([z.object({ stdin: z.string() }), z.object({ stdinEnd: z.literal(true) }), z.object({ signal: z.literal('SIGINT') })]);
export const outputFrame = z.union([z.object({ out: z.string() }), z.object({ err: z.string() }), z.object({ exit: z.number().int() })]);

export type StartFrame = z.infer<typeof startFrame>;
export type InputFrame = z.infer<typeof inputFrame>;
export type OutputFrame = z.infer<typeof outputFrame>;

/** Splits a byte stream into lines, keeping a partial last line for the next chunk. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let buffer = '';
  return {
    push(chunk) {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.trim()) onLine(line);
        newline = buffer.indexOf('\n');
      }
    },
    end() {
      if (buffer.trim()) onLine(buffer);
      buffer = '';
    },
  };
}
