import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores, so CI's 2 cores ran one file at a time (1152 s). Most of the
    // time goes to e2e files waiting on real brokers' timers, so two at a time is safe there and took 780 s, all green.
    maxWorkers: Math.max(2, availableParallelism()),
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests start real broker processes; they get their own, longer bounds per file.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests are quiet by default; set KACTOR_LOG_LEVEL=debug to see actor logs.
    env: { KACTOR_LOG_LEVEL: process.env.KACTOR_LOG_LEVEL ?? 'silent' },
  },
});
