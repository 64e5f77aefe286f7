import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderStatechartsDoc } from './doc.js';
import { renderMermaid } from './mermaid.js';
import { chartOf } from './model.js';
import { STATECHARTS } from './registry.js';

const committedDocPath = new URL('../../../../docs/STATECHARTS.md', import.meta.url);

describe('docs/STATECHARTS.md', () => {
  it('matches the machines (regenerate with node_modules/.bin/tsx scripts/gen-statecharts-doc.ts)', () => {
    expect(readFileSync(committedDocPath, 'utf8')).toBe(renderStatechartsDoc());
  });

  it('shows the Mermaid diagrams of the consumer and the group coordinator', () => {
    const doc = renderStatechartsDoc();
    for (const name of ['consumer', 'group-coordinator'] as const) {
      expect(doc).toContain(`## ${name}`);
      expect(doc).toContain(['```mermaid', renderMermaid(chartOf(STATECHARTS[name]!.machine)).trimEnd(), '```'].join('\n'));
    }
  });
});
