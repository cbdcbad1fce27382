import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { isAlive, lockHolder } from './dataDirLock.js';

/**
 * Embedded PGlite is one process. While a server holds a data folder, it
 * publishes a local endpoint there (control.json: URL, per-start token, pid;
 * readable by its user only) so that CLI commands run inside it instead of
 * failing on the lock.
 */
export interface LocalEndpoint {
  url: string;
  token: string;
  pid: number;
}

const endpointSchema = z.object({ url: z.url(), token: z.string().min(32), pid: z.number().int().positive() });

export function endpointFile(dataDir: string): string {
  return join(resolve(dataDir), 'control.json');
}

export function newEndpointToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Writes control.json (mode 0600, atomically); the returned function removes it if it is still ours. */
export function publishLocalEndpoint(dataDir: string, url: string, token: string): () => void {
  const file = endpointFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ url, token, pid: process.pid } satisfies LocalEndpoint), { mode: 0o600 });
  renameSync(temp, file);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    if (readEndpoint(dataDir)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', remove);
  return remove;
}

/** The endpoint of the live process that holds the data folder, or null (no server, or it died). */
export function findLocalEndpoint(dataDir: string): LocalEndpoint | null {
  const endpoint = readEndpoint(dataDir);
  if (!endpoint || !isAlive(endpoint.pid) || lockHolder(resolve(dataDir)) !== endpoint.pid) return null;
  return endpoint;
}

function readEndpoint(dataDir: string): LocalEndpoint | null {
  try {
    const parsed = endpointSchema.safeParse(JSON.parse(readFileSync(endpointFile(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
