import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slowFirstSequencer.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'core/**/*.test.ts', 'bot/**/*.test.ts', 'control/**/*.test.ts', 'cli/**/*.test.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    // Generous on purpose: a busy 2-core machine (scripts/test-under-load) makes each PGlite open take seconds; tests wait for conditions, not times.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    env: { LOG_LEVEL: 'silent' },
  },
});
