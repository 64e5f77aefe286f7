import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigurationDoc } from './doc.js';
import { configDefinition } from './registry.js';
import { configScopes } from './types.js';

const committedDocPath = new URL('../../../../docs/CONFIGURATION.md', import.meta.url);

describe('docs/CONFIGURATION.md', () => {
  it('matches the declarations (regenerate with node_modules/.bin/tsx scripts/gen-config-doc.ts)', () => {
    expect(readFileSync(committedDocPath, 'utf8')).toBe(renderConfigurationDoc());
  });

  it('lists every declared setting with its default', () => {
    const doc = renderConfigurationDoc();
    for (const scope of configScopes) {
      for (const def of configDefinition(scope).defs) expect(doc).toContain(`| \`${def.name}\`<br>\`${def.key}\` |`);
    }
    expect(doc).toContain('| `linger.ms`<br>`lingerMs` | long (ms) | 5 |');
    expect(doc).toContain('| `acks`<br>`acks` | enum | `all` |');
    expect(doc).toContain('| `flush.ms`<br>`flushMs` | long (ms) | Long.MAX_VALUE |');
  });
});
