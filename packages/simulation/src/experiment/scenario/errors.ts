/**
 * What is wrong with a scenario, said so a user can fix it: every problem at once, each with its path in
 * the scenario (`groups[0].members`) and, for a file, the line and column it starts at.
 */

export interface ScenarioIssue {
  /** Where in the scenario, e.g. `groups[0].members` or `cases[1].set["groups.app.members"]`; '' for the whole file. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/** A scenario that cannot be used: unparsable, invalid, or asked for something it does not have. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  readonly issues: ScenarioIssue[];
  /** The file (or a label such as `case "big"`) the issues are in. */
  readonly file: string;

  constructor(file: string, issues: ScenarioIssue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.file = file;
    this.issues = issues;
  }
}

/** `my-scenario.yaml:12:5: groups[0].members: must be a positive integer, got -3`. */
export function formatIssue(file: string, issue: ScenarioIssue): string {
  const position = issue.line === undefined ? '' : `:${issue.line}${issue.column === undefined ? '' : `:${issue.column}`}`;
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${file}${position}: ${path}${issue.message}`;
}

export type PathSegment = string | number;

/** An issue found before it is placed in a file: its path still a list of keys and indexes. */
export interface RawIssue {
  path: readonly PathSegment[];
  message: string;
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['groups', 0, 'consumerConfig', 'session.timeout.ms']` -> `groups[0].consumerConfig["session.timeout.ms"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** A value as a user would recognise it in a message: `-3`, `"5 minutes"`, `a list`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}
