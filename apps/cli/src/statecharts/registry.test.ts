/**
 * The registry is complete: every machine a `*.machine.ts` file in the repository exports is listed, so a
 * new machine cannot be left out of `kactor statecharts export` and docs/STATECHARTS.md unnoticed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StateMachine, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { delayConfigName } from './delays.js';
import { allStates, chartOf } from './model.js';
import { STATECHARTS } from './registry.js';

const repositoryRoot = resolve(import.meta.dirname, '../../../..');

function machineFiles(): string[] {
  const files: string[] = [];
  for (const top of ['packages', 'apps']) {
    for (const entry of readdirSync(join(repositoryRoot, top), { recursive: true, encoding: 'utf8' })) {
      if (entry.split(/[\\/]/).includes('node_modules')) continue;
      if (entry.endsWith('.machine.ts')) files.push(relative(repositoryRoot, join(repositoryRoot, top, entry)).split('\\').join('/'));
    }
  }
  return files.sort();
}

describe('statechart registry', () => {
  it('finds the machine files it checks (the glob itself works)', () => {
    expect(machineFiles()).toContain('packages/client/src/consumer/group/consumer-group.machine.ts');
    expect(machineFiles().length).toBeGreaterThanOrEqual(6);
  });

  it('lists every machine exported by every *.machine.ts file in the repository', async () => {
    const registered = new Map(Object.entries(STATECHARTS).map(([name, entry]) => [entry.machine, { name, source: entry.source }]));
    const missing: string[] = [];
    for (const file of machineFiles()) {
      const module = (await import(pathToFileURL(join(repositoryRoot, file)).href)) as Record<string, unknown>;
      const machines = Object.entries(module).filter(([, value]) => value instanceof StateMachine);
      expect(machines.length, `${file} exports no machine`).toBeGreaterThan(0);
      for (const [exportName, machine] of machines) {
        const entry = registered.get(machine as AnyStateMachine);
        if (entry === undefined) missing.push(`${exportName} from ${file}`);
        else expect(entry.source, `${entry.name}'s source`).toBe(file);
      }
    }
    expect(missing, 'add these to apps/cli/src/statecharts/registry.ts').toEqual([]);
  });

  it('names each source file that exists', () => {
    for (const entry of Object.values(STATECHARTS)) expect(existsSync(join(repositoryRoot, entry.source)), entry.source).toBe(true);
  });

  it('knows the Kafka setting behind every named delay of every machine', () => {
    const unmapped: string[] = [];
    for (const [name, entry] of Object.entries(STATECHARTS)) {
      for (const state of allStates(chartOf(entry.machine))) {
        for (const transition of state.transitions) {
          if (transition.kind === 'after' && typeof transition.trigger === 'string' && delayConfigName(transition.trigger, entry.machine.id) === undefined) {
            unmapped.push(`${name}: ${transition.trigger}`);
          }
        }
      }
    }
    expect(unmapped, 'add them to DELAY_CONFIG_NAMES (or MACHINE_DELAY_CONFIG_NAMES) in delays.ts').toEqual([]);
  });
});
