/**
 * The Kafka listener of `kactor broker` and `kactor cluster up` (issue 16): which flags turn it on, the
 * config they become (Kafka's `listeners` and `advertised.listeners`), and the ports `cluster up` gives its
 * brokers. A lone `kactor broker` serves Kafka's clients only when told where (`--listeners`, or `listeners`
 * in an --override): Kafka's default, every interface on port 9092, would make any second broker on the
 * machine fail and open a port nobody asked for.
 */
import { CliError } from '../support/cli-error.js';

/** Kafka's listener name for plaintext clients; the broker node serves Kafka clients on this one. */
const PLAINTEXT = 'PLAINTEXT';

/** Where `cluster up` puts broker 0's Kafka listener; broker N listens on this + N (issue 16's `127.0.0.1:9092, 9093, 9094`). */
export const DEFAULT_FIRST_KAFKA_PORT = 9092;

export interface KafkaListenerFlags {
  /** --listeners: Kafka's `listeners`, e.g. PLAINTEXT://127.0.0.1:9092. */
  listeners?: string | undefined;
  /** --advertised-listeners: Kafka's `advertised.listeners`. */
  advertisedListeners?: string | undefined;
  override: readonly string[];
}

/** The config entries the flags set, and whether the node serves Kafka clients. */
export function kafkaListenerConfig(flags: KafkaListenerFlags): { config: Record<string, string>; serveKafkaClients: boolean } {
  const config: Record<string, string> = {};
  if (flags.listeners !== undefined) config['listeners'] = flags.listeners;
  if (flags.advertisedListeners !== undefined) config['advertised.listeners'] = flags.advertisedListeners;
  const overridden = flags.override.some((entry) => entry.startsWith('listeners='));
  return { config, serveKafkaClients: flags.listeners !== undefined || overridden };
}

/** `PLAINTEXT://host:port` for broker `brokerId` of a `cluster up` whose first Kafka port is `firstPort` (0: every broker a free port). */
export function clusterBrokerListener(host: string, firstPort: number, brokerId: number): string {
  return `${PLAINTEXT}://${host}:${firstPort === 0 ? 0 : firstPort + brokerId}`;
}

/** Refuses a --kafka-port whose brokers' ports would not fit, or would collide with their WebSocket ports. */
export function checkClusterKafkaPorts(firstPort: number, brokers: number, basePort: number): void {
  if (firstPort === 0) return;
  const lastPort = firstPort + brokers - 1;
  if (lastPort > 65_535) throw new CliError(`Kafka ports ${firstPort}..${lastPort} do not fit below 65536 (--kafka-port)`);
  if (firstPort <= basePort + brokers - 1 && basePort <= lastPort) {
    throw new CliError(`Kafka ports ${firstPort}..${lastPort} (--kafka-port) overlap the brokers' ports ${basePort}..${basePort + brokers - 1} (--base-port)`);
  }
}

/** `--listeners` and `--advertised-listeners` of `kactor broker`, by Kafka's names. */
export function addKafkaListenerFlags<C extends { option(flags: string, description: string): C }>(command: C): C {
  return command
    .option('--listeners <L>', "Kafka's listeners: serve Kafka's own clients on PLAINTEXT://host:port (port 0: a free one); without it (or listeners in --override) this broker serves none")
    .option('--advertised-listeners <L>', "Kafka's advertised.listeners: where Kafka clients are told to connect, when it differs from --listeners");
}

/** `host:port` of a running node's Kafka listener, for its `ready` line to `cluster up`; undefined when it serves none. */
export function kafkaEndpointText(endpoint: { host: string; port: number } | undefined): string | undefined {
  return endpoint === undefined ? undefined : `${endpoint.host}:${endpoint.port}`;
}
