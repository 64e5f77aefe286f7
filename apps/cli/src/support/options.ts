/** Option parsers shared by the commands: bad values are clear errors, in commander's own format. */
import { InvalidArgumentError } from 'commander';

export function integerOption(name: string, options: { min?: number; max?: number } = {}) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed)) throw new InvalidArgumentError(`${name} must be an integer, got "${value}".`);
    if (options.min !== undefined && parsed < options.min) throw new InvalidArgumentError(`${name} must be at least ${options.min}, got ${parsed}.`);
    if (options.max !== undefined && parsed > options.max) throw new InvalidArgumentError(`${name} must be at most ${options.max}, got ${parsed}.`);
    return parsed;
  };
}

export const portOption = integerOption('the port', { min: 0, max: 65_535 });

/** Collects repeated `k=v` flags (`--config`, `--producer-property`) into a list. */
export function collectKeyValue(value: string, previous: string[] = []): string[] {
  if (!/^[^=\s]+=/.test(value)) throw new InvalidArgumentError(`expected key=value, got "${value}".`);
  return [...previous, value];
}

export function keyValuesToRecord(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    entries.map((entry) => {
      const separator = entry.indexOf('=');
      return [entry.slice(0, separator).trim(), entry.slice(separator + 1).trim()];
    }),
  );
}

/**
 * `--property k=v` values (Kafka's console tools): the value is kept as given, untrimmed, since separators
 * such as a tab or a space are values too (`--property key.separator=$'\t'` in bash).
 */
export function propertiesToRecord(entries: readonly string[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')).trim(), entry.slice(entry.indexOf('=') + 1)]));
}

/** `ws://a:1,ws://b:2` → URLs; a bare `host:port` gets `ws://`. */
export function parseBootstrap(value: string): string[] {
  const urls = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => (/^[a-z]+:\/\//.test(entry) ? entry : `ws://${entry}`));
  if (urls.length === 0) throw new InvalidArgumentError('expected at least one broker URL, e.g. ws://127.0.0.1:9100');
  for (const url of urls) {
    try {
      new URL(url);
    } catch {
      throw new InvalidArgumentError(`"${url}" is not a URL (expected ws://host:port).`);
    }
  }
  return urls;
}

export const defaultBootstrap = 'ws://127.0.0.1:9100';

/** --bootstrap-server, else KACTOR_BOOTSTRAP, else the local default. */
export function bootstrapFrom(option: string[] | undefined): string[] {
  if (option !== undefined) return option;
  const fromEnvironment = process.env.KACTOR_BOOTSTRAP;
  return parseBootstrap(fromEnvironment !== undefined && fromEnvironment.trim() !== '' ? fromEnvironment : defaultBootstrap);
}
