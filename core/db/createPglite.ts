/**
 * Child-process entry: `node createPglite.js <folder> <dataDir>` creates the
 * embedded database (initdb and every migration), then exits. On failure it
 * prints one JSON line, {noSpace, reason}, for createPgliteInChild to turn
 * into the same error the server would give.
 */
import { isNoSpace, reasonOf } from './noSpace.js';
import { ownerOnlyUmask } from './ownerOnly.js';
import { startPglite } from './startPglite.js';

ownerOnlyUmask();
const [folder, dataDir] = process.argv.slice(2);
try {
  if (!folder || !dataDir) throw new Error('usage: createPglite.js <folder> <dataDir>');
  const { client } = await startPglite(folder, dataDir);
  await client.close();
} catch (error) {
  process.stderr.write(`${JSON.stringify({ noSpace: isNoSpace(error), reason: reasonOf(error) })}\n`);
  process.exitCode = 1;
}
