/**
 * `kactor consume --isolation-level read_committed|read_uncommitted`, Kafka's console-consumer flag: read_committed
 * hands out only the records of committed transactions (and plain producers'), up to the last stable offset;
 * read_uncommitted (the consumer's default) everything up to the high watermark. The flag sets the consumer's
 * isolation.level and wins over a --consumer-property naming it, as the other dedicated flags do.
 */
import { InvalidArgumentError } from 'commander';

export const isolationLevels = ['read_uncommitted', 'read_committed'] as const;
export type IsolationLevel = (typeof isolationLevels)[number];

/** The flag's value parser: one of Kafka's two names, else a usage error naming both. */
export function parseIsolationLevel(value: string): IsolationLevel {
  if ((isolationLevels as readonly string[]).includes(value)) return value as IsolationLevel;
  throw new InvalidArgumentError(`--isolation-level takes read_committed or read_uncommitted, got "${value}".`);
}

/** `settings` with isolation.level set when the flag was given. */
export function withIsolationLevel(settings: Record<string, string>, level: IsolationLevel | undefined): Record<string, string> {
  return level === undefined ? settings : { ...settings, 'isolation.level': level };
}
