// Writes docs/CONFIGURATION.md from the config declarations in packages/protocol/src/config.
// Run from the repository root: node_modules/.bin/tsx scripts/gen-config-doc.ts
// With --check it writes nothing and exits 1 when the committed file is stale.
import { renderConfigurationDoc } from '../packages/protocol/src/config/index.js';
import { writeOrCheckDoc } from './generated-doc.js';

writeOrCheckDoc('CONFIGURATION.md', 'gen-config-doc.ts', renderConfigurationDoc());
