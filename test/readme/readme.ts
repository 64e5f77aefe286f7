/**
 * The README's code, read as a test reads it: its fenced blocks, and the `kactor` commands of its `sh` blocks
 * split into arguments as a shell would (the README's commands use no quoting beyond '...').
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '../e2e/support/cli.js';

export const readme = (): string => readFileSync(join(repositoryRoot, 'README.md'), 'utf8');

/** The text of every fenced block of this language, in order. */
export function fencedBlocks(language: string, text = readme()): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  for (const match of text.matchAll(pattern)) blocks.push(match[1]!);
  return blocks;
}

/** Words of a shell command: whitespace-separated, '...' quoted. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2]!);
  return words;
}

/** A command line of an `sh` block without its trailing comment (`# in three terminals`). */
export function withoutComment(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}

/** Each simple command of a line: split at `|` and `&&` (the README uses nothing else). */
export function simpleCommands(line: string): string[] {
  return withoutComment(line)
    .split(/\s*(?:\|\||&&|\|)\s*/)
    .filter((command) => command !== '');
}

/** The ways the README runs pnpm: `pnpm ...` or, without a global pnpm, `npx -y pnpm@VERSION ...`. */
export function pnpmArguments(command: string): string[] | undefined {
  const words = shellWords(command);
  if (words[0] === 'pnpm') return words.slice(1);
  if (words[0] === 'npx' && words[1] === '-y' && words[2]?.startsWith('pnpm@')) return words.slice(3);
  return undefined;
}
