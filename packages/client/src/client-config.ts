/**
 * Turns what the application passes to `Producer.create` / `Consumer.create` / `Admin.create` into the
 * typed config and the URLs to bootstrap from. The application may pass Kafka's settings by name
 * (`{ 'bootstrap.servers': '127.0.0.1:9101', 'linger.ms': 10 }`, parsed with Kafka's defaults and checks)
 * or an already parsed config.
 *
 * `bootstrap.servers` entries are `host:port`, as in Kafka; the runtime's `urlScheme` turns them into
 * URLs (`ws://host:port`). An entry may also be written as a full URL (`ws://127.0.0.1:9101`,
 * `memory://broker-0:1`), which keeps its scheme: kactor brokers are reached by URL.
 */
import type { ConfigByScope, ConfigEntries, ConfigValueInput } from '@kactor/protocol';
import { formatHostPort, parseConfig } from '@kactor/protocol';
import type { ClientRuntime } from './client-runtime.js';

export type ClientScope = 'producer' | 'consumer' | 'admin';

/** Settings by Kafka name, or a config parsed by `parseConfig(scope, ...)`. */
export type ClientConfigInput<S extends ClientScope> = ConfigByScope[S] | ConfigEntries;

export interface ResolvedClientConfig<S extends ClientScope> {
  config: ConfigByScope[S];
  bootstrapUrls: string[];
}

const DEFAULT_URL_SCHEME = 'ws';

const urlPattern = /^([a-z][a-z0-9+.-]*):\/\/(.+)$/i;

export function resolveClientConfig<S extends ClientScope>(
  scope: S,
  input: ClientConfigInput<S>,
  runtime: Pick<ClientRuntime, 'urlScheme'>,
): ResolvedClientConfig<S> {
  const scheme = runtime.urlScheme ?? DEFAULT_URL_SCHEME;
  if (isParsedConfig(input)) {
    const config = input as ConfigByScope[S];
    return { config, bootstrapUrls: config.bootstrapServers.map((server) => `${scheme}://${formatHostPort(server)}`) };
  }
  const entries = entriesOf(input as ConfigEntries);
  const urls: string[] = [];
  const rewritten = entries.map(([name, value]): [string, ConfigValueInput] => {
    if (name !== 'bootstrap.servers' || value === null || value === undefined) return [name, value];
    const servers = (Array.isArray(value) ? (value as readonly string[]) : String(value).split(','))
      .map((server) => server.trim())
      .filter((server) => server !== '');
    const hostPorts = servers.map((server) => {
      const match = urlPattern.exec(server);
      if (match === null) {
        urls.push(`${scheme}://${server}`);
        return server;
      }
      urls.push(`${(match[1] as string).toLowerCase()}://${match[2] as string}`);
      return match[2] as string;
    });
    return [name, hostPorts];
  });
  const config = parseConfig(scope, rewritten);
  // parseConfig validated every host:port; the URLs are built from the same entries, in order.
  return { config, bootstrapUrls: urls.length > 0 ? urls : config.bootstrapServers.map((server) => `${scheme}://${formatHostPort(server)}`) };
}

function isParsedConfig(input: unknown): boolean {
  return typeof input === 'object' && input !== null && Array.isArray((input as { bootstrapServers?: unknown }).bootstrapServers);
}

function entriesOf(entries: ConfigEntries): Array<[string, ConfigValueInput]> {
  if (typeof (entries as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function') {
    return Array.from(entries as Iterable<readonly [string, ConfigValueInput]>, ([name, value]) => [name, value]);
  }
  return Object.entries(entries as Readonly<Record<string, ConfigValueInput>>);
}
