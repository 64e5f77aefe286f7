import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateSources } from './generate-sources.js';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const specsDirectory = join(packageDirectory, 'specs');
const generatedDirectory = join(packageDirectory, 'src', 'generated');

describe('src/generated', () => {
  it('is exactly what scripts/generate.ts writes from specs/ (run the script after changing either)', () => {
    const specs = new Map(
      readdirSync(specsDirectory)
        .filter((fileName) => fileName.endsWith('.json'))
        .map((fileName) => [fileName, readFileSync(join(specsDirectory, fileName), 'utf8')] as const),
    );
    const expected = generateSources(specs);
    const committed = readdirSync(generatedDirectory).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [fileName, text] of expected) {
      expect(readFileSync(join(generatedDirectory, fileName), 'utf8'), fileName).toBe(text);
    }
  });

  it('covers the APIs issue 16 lists, with their request and response headers', () => {
    const files = readdirSync(generatedDirectory);
    for (const api of ['api-versions', 'metadata', 'produce', 'fetch', 'list-offsets', 'find-coordinator', 'join-group', 'sync-group',
      'heartbeat', 'leave-group', 'offset-commit', 'offset-fetch', 'describe-groups', 'list-groups', 'delete-groups', 'create-topics',
      'delete-topics', 'create-partitions', 'describe-configs', 'init-producer-id', 'add-partitions-to-txn', 'add-offsets-to-txn',
      'end-txn', 'txn-offset-commit', 'describe-cluster', 'offset-delete', 'consumer-group-heartbeat', 'consumer-group-describe',
      'headers']) {
      expect(files).toContain(`${api}.ts`);
    }
  });
});
