import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that take minutes whatever the machine (twenty Postgres restarts, a
 * Discord soak, a thousand random recalls) start first, so the rest of the
 * suite runs beside them instead of after them: a clean CI run has no timing
 * cache to learn this from.
 */
const slowFiles = ['test/faults/postgresRestart.test.ts', 'test/bot/discordSoak.test.ts', 'test/security/crossScope.test.ts'];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = slowFiles.findIndex((slow) => file.moduleId.endsWith(slow));
      return index < 0 ? slowFiles.length : index;
    };
    return sorted.map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}
