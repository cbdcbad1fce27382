import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The path of an operations tool (nginx, promtool) that checks a config file
 * the project ships, or null when this machine lacks it. In CI a missing tool
 * is an error, never a skip: .ci/run installs Debian's package.
 */
export function findTool(name: string, debianPackage: string): string | null {
  // nginx lives in /usr/sbin, which a non-root PATH often leaves out.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].filter(Boolean);
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  if (process.env.CI) throw new Error(`CI must have ${name} (.ci/run installs Debian's ${debianPackage} package)`);
  return null;
}
