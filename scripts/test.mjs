#!/usr/bin/env node
// The project's test command: type-check the whole workspace, lint it (the lint enforces the
// determinism rule), then run every vitest tier. It ends with the line CI reads: "N passed, N failed".
// Type-check and lint count as one check each in that line, so a red check is never hidden.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
const run = (label, command, args) => {
  process.stdout.write(`\n> ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
};

let passed = 0;
let failed = 0;
for (const [label, args] of [
  ['typecheck (tsc --noEmit)', [bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']]],
  ['lint (eslint)', [bin('eslint'), ['--max-warnings', '0', '.']]],
]) {
  if (run(label, ...args)) passed += 1;
  else failed += 1;
}

const report = '.vitest.json';
rmSync(report, { force: true });
const vitestArgs = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
run('tests (vitest)', bin('vitest'), vitestArgs);
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  // A suite that fails to load (syntax error, bad import) has no tests to count: count it as failed.
  failed += result.testResults.filter((suite) => suite.status === 'failed' && suite.assertionResults.length === 0).length;
} else {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
