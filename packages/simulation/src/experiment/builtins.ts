/**
 * The built-in experiments (issue 15): the scenario files shipped in packages/simulation/experiments/, listed by
 * `kactor experiment list` and run by name. The folder is found from this module's own location, so the names
 * work from a clean clone and from any working directory.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './model.js';
import { loadScenarioFile } from './scenario/index.js';

export interface BuiltinExperiment {
  /** The file's name without `.yaml`: what `kactor experiment run <name>` takes. */
  name: string;
  /** The first sentence of the scenario's description: the question it answers. */
  description: string;
  /** The scenario file's absolute path. */
  file: string;
}

/** A name that is neither a built-in experiment nor a scenario file. */
export class UnknownExperimentError extends Error {
  override name = 'UnknownExperimentError';
  /** The built-in names the user could have meant. */
  readonly builtins: string[];

  constructor(nameOrFile: string, builtins: string[]) {
    super(`no built-in experiment or scenario file "${nameOrFile}"; the built-in experiments are: ${builtins.join(', ')} (or give the path of a .yaml, .yml or .json scenario)`);
    this.builtins = builtins;
  }
}

/** packages/simulation/experiments/, from packages/simulation/src/experiment/builtins.ts. */
export const BUILTIN_EXPERIMENTS_DIRECTORY = fileURLToPath(new URL('../../experiments/', import.meta.url));

const BUILTIN_EXTENSION = '.yaml';

function builtinFiles(): string[] {
  return readdirSync(BUILTIN_EXPERIMENTS_DIRECTORY)
    .filter((entry) => entry.endsWith(BUILTIN_EXTENSION))
    .sort()
    .map((entry) => join(BUILTIN_EXPERIMENTS_DIRECTORY, entry));
}

function builtinName(file: string): string {
  return basename(file, BUILTIN_EXTENSION);
}

/**
 * The first sentence of a description: up to the first `.`, `?` or `!` that ends a sentence (followed by a
 * space or the end), with runs of whitespace folded, since YAML block text may carry line breaks.
 */
export function firstSentence(description: string): string {
  const text = description.replace(/\s+/g, ' ').trim();
  const end = /[.?!](?=\s|$)/.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}

/** The built-in experiments in name order, each read and validated (a broken built-in fails loudly here). */
export function builtinExperiments(): BuiltinExperiment[] {
  return builtinFiles().map((file) => ({ name: builtinName(file), description: firstSentence(loadScenarioFile(file).description), file }));
}

function isScenarioFile(nameOrFile: string): boolean {
  return existsSync(nameOrFile) && statSync(nameOrFile).isFile();
}

/**
 * A built-in experiment by name (`rebalance-protocols`), or a scenario file by path (YAML or JSON). `source` is
 * what replays it: the built-in's name, or the path as given. A name that is neither throws an
 * UnknownExperimentError listing the built-ins; an invalid file throws the loader's ScenarioError.
 */
export function loadExperiment(nameOrFile: string): { scenario: Scenario; source: string } {
  const builtin = builtinFiles().find((file) => builtinName(file) === nameOrFile);
  if (builtin !== undefined) return { scenario: loadScenarioFile(builtin), source: nameOrFile };
  if (isScenarioFile(nameOrFile)) return { scenario: loadScenarioFile(nameOrFile), source: nameOrFile };
  throw new UnknownExperimentError(nameOrFile, builtinFiles().map(builtinName));
}
