// Writes docs/STATECHARTS.md from the machines, with the code behind `kactor statecharts export`.
// Run from the repository root: node_modules/.bin/tsx scripts/gen-statecharts-doc.ts
// With --check it writes nothing and exits 1 when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderStatechartsDoc } from '../apps/cli/src/statecharts/doc.js';

const target = fileURLToPath(new URL('../docs/STATECHARTS.md', import.meta.url));
const rendered = renderStatechartsDoc();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== rendered) {
    console.error('docs/STATECHARTS.md is stale: run node_modules/.bin/tsx scripts/gen-statecharts-doc.ts');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
