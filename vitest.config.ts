import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end tests start real broker processes; they get their own, longer bounds per file.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Tests are quiet by default; set KACTOR_LOG_LEVEL=debug to see actor logs.
    env: { KACTOR_LOG_LEVEL: process.env.KACTOR_LOG_LEVEL ?? 'silent' },
  },
});
