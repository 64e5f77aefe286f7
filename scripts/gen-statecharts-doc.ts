// Writes docs/STATECHARTS.md from the machines, with the code behind `kactor statecharts export`.
// Run from the repository root: node_modules/.bin/tsx scripts/gen-statecharts-doc.ts
// With --check it writes nothing and exits 1 when the committed file is stale.
import { renderStatechartsDoc } from '../apps/cli/src/statecharts/doc.js';
import { writeOrCheckDoc } from './generated-doc.js';

writeOrCheckDoc('STATECHARTS.md', 'gen-statecharts-doc.ts', renderStatechartsDoc());
