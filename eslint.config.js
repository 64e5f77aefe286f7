// ESLint enforces the determinism rule (DEVELOPERS.md, rule 2): actor and protocol code reads time,
// randomness and the network only through the injected clock, random source and transport.
// Only the runtime modules that implement those ports may touch the real things.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const determinismMessage =
  'breaks deterministic simulation: use the injected clock / random / id generator / transport from @kactor/runtime';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.kactor/**', 'test-artifacts/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'packages/runtime/src/clock/**',
      'packages/runtime/src/random/**',
      'packages/runtime/src/transport/**',
      'packages/runtime/src/stream/tcp-listener.ts',
      'packages/runtime/src/ids/**',
    ],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: `setTimeout ${determinismMessage}` },
        { name: 'setInterval', message: `setInterval ${determinismMessage}` },
        { name: 'setImmediate', message: `setImmediate ${determinismMessage}` },
        { name: 'clearTimeout', message: `clearTimeout ${determinismMessage}` },
        { name: 'clearInterval', message: `clearInterval ${determinismMessage}` },
        { name: 'WebSocket', message: `a direct socket ${determinismMessage}` },
        { name: 'performance', message: `performance.now ${determinismMessage}` },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: `Date.now ${determinismMessage}` },
        { object: 'Math', property: 'random', message: `Math.random ${determinismMessage}` },
        { object: 'crypto', property: 'randomUUID', message: `crypto.randomUUID ${determinismMessage}` },
        { object: 'globalThis', property: 'setTimeout', message: `setTimeout ${determinismMessage}` },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `new Date() ${determinismMessage}` },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'ws', message: `ws is a direct socket: ${determinismMessage}` },
            { name: 'net', message: determinismMessage },
            { name: 'node:net', message: determinismMessage },
            { name: 'dgram', message: determinismMessage },
            { name: 'node:dgram', message: determinismMessage },
            { name: 'node:timers', message: determinismMessage },
            { name: 'timers', message: determinismMessage },
            { name: 'node:timers/promises', message: determinismMessage },
            { name: 'timers/promises', message: determinismMessage },
            { name: 'nanoid', importNames: ['nanoid'], message: `nanoid() ${determinismMessage}` },
          ],
        },
      ],
    },
  },
);
