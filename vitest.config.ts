import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slowFirstSequencer.js';

/**
 * Three layers, one run (`npm test`, which CI runs):
 * - `unit`: pure logic beside its file (core/**, bot/**, control/**, cli/**) and the architecture checks: no build,
 *   no database, seconds (`npm run test:unit`);
 * - `integration`: the faces and the core on real parts (PGlite, the throwaway Postgres, the Ollama and Discord
 *   stand-ins); `npm run test:fast` runs it with `unit`, the loop a developer runs while working;
 * - `slow`: the soak, Postgres restarts, full disks, clusters, cross-scope recall and process spawns (`npm run test:slow`).
 */
const beside = ['core/**/*.test.ts', 'bot/**/*.test.ts', 'control/**/*.test.ts', 'cli/**/*.test.ts', 'test/architecture/**/*.test.ts'];
const slow = ['test/faults/**/*.test.ts', 'test/cluster/**/*.test.ts', 'test/process/**/*.test.ts', 'test/bot/discordSoak.test.ts', 'test/security/crossScope.test.ts', 'test/cli/firstMinutes.test.ts'];
const realParts = { globalSetup: ['test/support/globalSetup.ts'] };

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summaryReporter.ts'],
    // Generous on purpose: a busy 2-core machine (scripts/test-under-load) makes each PGlite open take seconds; tests wait for conditions, not times.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    env: { LOG_LEVEL: 'silent' },
    projects: [
      { extends: true, test: { name: 'unit', include: beside } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: [...slow, 'test/architecture/**'], ...realParts } },
      // Process spawns start a whole Council (a PGlite open, discord.js): at a load of 10+ on 2 cores that alone took over 60 s.
      { extends: true, test: { name: 'slow', include: slow, testTimeout: 300_000, hookTimeout: 300_000, ...realParts } },
    ],
  },
});
