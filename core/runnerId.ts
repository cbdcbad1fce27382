import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process, as recorded on the meetings and job runs it holds
 * (host:pid:random): the random part tells a restarted process with a reused
 * pid from the one that died.
 */
export const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
