import { CouncilError } from '../errors.js';

/** Emscripten's errno for ENOSPC: PGlite's file system throws `ErrnoError { errno: 51 }`, an object with no message. */
const emscriptenNoSpace = 51;

/** True when `error`, or any cause under it, says the disk is full (SQLSTATE 53100, ENOSPC, PGlite's errno). */
export function isNoSpace(error: unknown): boolean {
  let current = error as { code?: unknown; errno?: unknown; name?: unknown; message?: unknown; cause?: unknown } | null;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    if (current.code === '53100' || current.code === 'ENOSPC') return true;
    if (current.name === 'ErrnoError' && current.errno === emscriptenNoSpace) return true;
    if (typeof current.message === 'string' && /no space left on device/i.test(current.message)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

export function noSpaceError(dataDir: string, cause: unknown): CouncilError {
  return new CouncilError(
    'database_error',
    `no space left in DATA_DIR ${dataDir}: the embedded database cannot write; free disk space there (reads keep working, writes resume by themselves)`,
    { cause },
  );
}

/** One line for a thrown value that may be an Error, an object without a message, or anything else. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error && error.message) return error.message.split('\n', 1)[0] ?? error.name;
  const fields = error as { name?: unknown; errno?: unknown; code?: unknown } | null;
  if (fields && typeof fields === 'object') {
    const name = typeof fields.name === 'string' ? fields.name : 'error';
    const detail = fields.code ?? fields.errno;
    return detail === undefined ? name : `${name} ${String(detail)}`;
  }
  return String(error);
}
