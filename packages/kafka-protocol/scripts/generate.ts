/**
 * Regenerates src/generated/ from the Kafka message specs in specs/. Run after changing either:
 *   node_modules/.bin/tsx packages/kafka-protocol/scripts/generate.ts
 * The test src/generator/generated.test.ts fails while the committed output differs from what this writes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSources } from '../src/generator/generate-sources.js';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..');
const specsDirectory = join(packageDirectory, 'specs');
const outputDirectory = join(packageDirectory, 'src', 'generated');

const specs = new Map(
  readdirSync(specsDirectory)
    .filter((fileName) => fileName.endsWith('.json'))
    .map((fileName) => [fileName, readFileSync(join(specsDirectory, fileName), 'utf8')] as const),
);
const files = generateSources(specs);
rmSync(outputDirectory, { recursive: true, force: true });
mkdirSync(outputDirectory, { recursive: true });
for (const [fileName, text] of files) writeFileSync(join(outputDirectory, fileName), text);
console.log(`wrote ${files.size} files to ${outputDirectory}`);
