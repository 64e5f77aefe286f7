import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/** Files that replace a module for their own tests (vi.mock): they need a module registry of their own. */
const replacesModules = ['packages/client/src/consumer/group/consumer-inspection.test.ts', 'packages/runtime/src/logging/logger.test.ts'];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores, so CI's 2 cores ran one file at a time (1152 s). Most of the
    // time goes to e2e files waiting on real brokers' timers, so two at a time is safe there and took 780 s, all green.
    maxWorkers: Math.max(2, availableParallelism()),
    // End-to-end tests start real broker processes; they get their own, longer bounds per file.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests are quiet by default; set KACTOR_LOG_LEVEL=debug to see actor logs.
    env: { KACTOR_LOG_LEVEL: process.env.KACTOR_LOG_LEVEL ?? 'silent' },
    projects: [
      {
        // The pure and machine tiers share one module registry per worker: importing the packages anew for each of
        // ~430 files cost 264 s of the tier's 273 s on 2 cores; shared, the tier takes about 55 s. These tests keep
        // no state in modules (each builds its own clock, network and actors), which this relies on.
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts'], exclude: replacesModules, isolate: false },
      },
      {
        // End-to-end, simulation, fuzz and README tests, and files that mock modules, each in a fresh registry.
        extends: true,
        test: { name: 'isolated', include: ['test/**/*.test.ts', ...replacesModules] },
      },
    ],
  },
});
