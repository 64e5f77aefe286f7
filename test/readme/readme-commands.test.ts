/**
 * Every command the README shows in its `sh` blocks is a command that exists: each `pnpm kactor ...` (or
 * `npx -y pnpm@... kactor ...`) parses with the real command line (flags, values, required options), and
 * every other pnpm command is pnpm's own or one of the workspace's scripts (whose kactor command parses too).
 * Parsing runs nothing: each command's action is replaced by a no-op. README.test.ts runs the Try it block.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../apps/cli/src/program.js';
import { repositoryRoot } from '../e2e/support/cli.js';
import { fencedBlocks, pnpmArguments, shellWords, simpleCommands } from './readme.js';

const scripts = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
/** The pnpm commands of its own the README uses. */
const pnpmBuiltins = new Set(['install']);
type Command = ReturnType<typeof buildProgram>;

/** Parses `kactor <args>` as main.ts would, without running the command: resolves with what commander said. */
async function parseOnly(args: string[]): Promise<string> {
  const program = buildProgram();
  const said: string[] = [];
  const visit = (command: Command): void => {
    command.exitOverride();
    command.configureOutput({ writeOut: (text) => said.push(text), writeErr: (text) => said.push(text) });
    if (command.commands.length === 0) command.action(() => undefined);
    for (const sub of command.commands) visit(sub);
  };
  visit(program);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    // commander's CommanderError (commander is the CLI's dependency, not the tests'): --help is not a failure.
    if (error instanceof Error && 'code' in error && error.code === 'commander.helpDisplayed') return said.join('');
    throw new Error(`kactor ${args.join(' ')}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return said.join('');
}

/** Every pnpm command of the README's `sh` blocks, as the arguments pnpm gets. */
function readmePnpmCommands(): string[][] {
  return fencedBlocks('sh')
    .flatMap((block) => block.split('\n'))
    .flatMap(simpleCommands)
    .map(pnpmArguments)
    .filter((args): args is string[] => args !== undefined);
}

describe('the README commands', () => {
  const commands = readmePnpmCommands();

  it('are found (the README shows its commands in sh blocks)', () => {
    expect(commands.filter((args) => args[0] === 'kactor').length).toBeGreaterThan(10);
    expect(commands).toContainEqual(['install']);
    expect(commands).toContainEqual(['start']);
  });

  it.each(commands.map((args) => [args.join(' '), args]))('pnpm %s is a valid command', async (_, args) => {
    const [first, ...rest] = args as string[];
    if (first === 'kactor') {
      await parseOnly(rest);
    } else if (pnpmBuiltins.has(first!)) {
      expect(rest).toEqual([]);
    } else {
      const script = scripts[first!];
      expect(script, `no script "${first}" in package.json`).toBeDefined();
      const words = shellWords(script!).filter((word) => word !== 'exec');
      if (words[0] === 'kactor') await parseOnly([...words.slice(1), ...rest]);
    }
  });

  it('a wrong flag is caught by this check (it does parse)', async () => {
    await expect(parseOnly(['topics', 'create', 'orders', '--partitions', '6', '--partitionz', '6'])).rejects.toThrow(/unknown option '--partitionz'/);
    await expect(parseOnly(['topics', 'create', 'orders'])).rejects.toThrow(/required option/);
  });
});
