import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerExperimentCommand } from './experiment.js';

/** Parses `kactor experiment <args>` without running anything: resolves with the subcommand's arguments and options. */
async function parse(args: string[]): Promise<{ args: string[]; options: Record<string, unknown> }> {
  const program = new Command('kactor');
  registerExperimentCommand(program);
  let parsed: { args: string[]; options: Record<string, unknown> } | undefined;
  const errors: string[] = [];
  const experiment = program.commands.find((command) => command.name() === 'experiment') as Command;
  for (const command of [program, experiment, ...experiment.commands]) {
    command.exitOverride();
    command.configureOutput({ writeOut: () => undefined, writeErr: (text) => void errors.push(text) });
  }
  for (const command of experiment.commands) command.action(() => void (parsed = { args: command.args, options: command.opts() }));
  try {
    await program.parseAsync(['experiment', ...args], { from: 'user' });
  } catch {
    throw new Error(errors.join('').trim());
  }
  if (parsed === undefined) throw new Error('no subcommand ran');
  return parsed;
}

describe('kactor experiment command line', () => {
  it('reads run with every flag', async () => {
    const { args, options } = await parse(['run', 'my.yaml', '--seeds', '1..100', '--variants', 'classic-eager,consumer', '--cases', 'small', '--out', 'out/', '--quick', '--json']);
    expect(args).toEqual(['my.yaml']);
    expect(options).toEqual({ seeds: '1..100', variants: ['classic-eager', 'consumer'], cases: ['small'], out: 'out/', quick: true, json: true });
  });

  it("writes run's report to results/ unless --out says otherwise", async () => {
    expect((await parse(['run', 'rebalance-protocols'])).options).toEqual({ out: 'results/' });
  });

  it('reads replay with its defaults: speed 1, the dashboard port', async () => {
    expect((await parse(['replay', 'slow-poller', '--seed', '17', '--variant', 'consumer', '--dashboard'])).options).toEqual({ seed: 17, variant: 'consumer', dashboard: true, speed: 1, port: 9180 });
  });

  it('refuses a replay without --seed, and bad values, in one line', async () => {
    await expect(parse(['replay', 'slow-poller'])).rejects.toThrow(/^error: required option '--seed <N>' not specified$/);
    await expect(parse(['replay', 'slow-poller', '--seed', '1', '--speed', '-1'])).rejects.toThrow(/--speed takes a positive number/);
    await expect(parse(['run', 'x', '--variants', 'a,,b'])).rejects.toThrow(/--variants takes names separated by commas/);
  });
});
