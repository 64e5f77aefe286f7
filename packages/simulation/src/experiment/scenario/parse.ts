import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Scenario } from '../model.js';
import { formatPath, ScenarioError, type ScenarioIssue } from './errors.js';
import { locate } from './locate.js';
import { validateScenario } from './validate.js';

/**
 * Reads a scenario from YAML or JSON text (JSON is YAML), validates it and fills in the defaults. Every
 * problem is reported at once, each at its line and column: `file.yaml:12:5: groups[0].members: ...`.
 * A scenario without a `name` takes the file's name (`my-scenario.yaml` -> `my-scenario`).
 */
export function parseScenario(text: string, file = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      file,
      document.errors.map((error): ScenarioIssue => {
        const position = error.linePos?.[0];
        return { path: '', message: `not valid YAML or JSON: ${withoutPosition(error.message)}`, ...(position === undefined ? {} : { line: position.line, column: position.col }) };
      }),
    );
  }
  const input: unknown = document.toJS();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const what = input === null || input === undefined ? 'empty' : 'not a map of settings';
    throw new ScenarioError(file, [{ path: '', line: 1, column: 1, message: `the scenario is ${what}: it needs at least name, durationMs, topics and groups` }]);
  }
  const named = input as Record<string, unknown>;
  if (named.name === undefined && file !== 'scenario') named.name = basename(file, extname(file));
  const result = validateScenario(named, { checkCases: true });
  if (result.scenario !== undefined) return result.scenario;
  throw new ScenarioError(
    file,
    result.issues.map((issue) => ({ path: formatPath(issue.path), ...locate(document, lineCounter, issue.path), message: issue.message })),
  );
}

/** Reads and parses a scenario file (`.yaml`, `.yml` or `.json`). */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ScenarioError(path, [{ path: '', message: `cannot read the scenario: ${reason}` }]);
  }
  return parseScenario(text, path);
}

/** yaml's messages end with the position and an excerpt; the issue carries the position itself. */
function withoutPosition(message: string): string {
  return (message.split(/ at line \d+, column \d+/)[0] ?? message).trim();
}
