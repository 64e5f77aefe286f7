// Writes docs/CONFIGURATION.md from the config declarations in packages/protocol/src/config.
// Run from the repository root: node_modules/.bin/tsx scripts/gen-config-doc.ts
// With --check it writes nothing and exits 1 when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationDoc } from '../packages/protocol/src/config/index.js';

const target = fileURLToPath(new URL('../docs/CONFIGURATION.md', import.meta.url));
const rendered = renderConfigurationDoc();

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== rendered) {
    console.error('docs/CONFIGURATION.md is stale: run node_modules/.bin/tsx scripts/gen-config-doc.ts');
    process.exit(1);
  }
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
