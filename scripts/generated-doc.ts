// Writes a generated document under docs/, or with --check writes nothing and exits 1 when the committed
// file differs from what the generator renders now. Shared by the scripts that keep docs/ in step with code.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function writeOrCheckDoc(docName: string, script: string, rendered: string): void {
  const target = fileURLToPath(new URL(`../docs/${docName}`, import.meta.url));
  if (!process.argv.includes('--check')) {
    writeFileSync(target, rendered);
    console.log(`wrote ${target}`);
    return;
  }
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (current !== rendered) {
    console.error(`docs/${docName} is stale: run node_modules/.bin/tsx scripts/${script}`);
    process.exit(1);
  }
}
