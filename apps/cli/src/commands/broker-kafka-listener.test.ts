import { parseConfig } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { CliError } from '../support/errors.js';
import { checkClusterKafkaPorts, clusterBrokerListener, kafkaListenerConfig } from './broker-kafka-listener.js';
import { brokerCommandArguments, type BrokerLaunch } from './cluster-supervisor.js';

const launch: BrokerLaunch = {
  basePort: 9100,
  host: '127.0.0.1',
  dataDir: '/data',
  clusterSecretFile: '/data/cluster.secret',
  override: [],
  readyTimeoutMs: 60_000,
  voterIds: [0],
  clusterId: 'MkU3OEVBNTcwNTJENDM2Qk',
};

describe('the Kafka listeners of cluster up', () => {
  it('puts broker N on the first port + N, or every broker on a free port with 0', () => {
    expect([0, 1, 2].map((brokerId) => clusterBrokerListener('127.0.0.1', 9092, brokerId))).toEqual(['PLAINTEXT://127.0.0.1:9092', 'PLAINTEXT://127.0.0.1:9093', 'PLAINTEXT://127.0.0.1:9094']);
    expect(clusterBrokerListener('127.0.0.1', 0, 2)).toBe('PLAINTEXT://127.0.0.1:0');
  });

  it('passes each broker its --listeners, and none with --no-kafka-listener', () => {
    const args = brokerCommandArguments({ ...launch, kafkaPort: 9092 }, 1);
    expect(args[args.indexOf('--listeners') + 1]).toBe('PLAINTEXT://127.0.0.1:9093');
    expect(brokerCommandArguments(launch, 1)).not.toContain('--listeners');
  });

  it('refuses Kafka ports past 65535 or over the brokers\' own ports, naming the flags', () => {
    expect(() => checkClusterKafkaPorts(65_534, 3, 9100)).toThrow(new CliError('Kafka ports 65534..65536 do not fit below 65536 (--kafka-port)'));
    expect(() => checkClusterKafkaPorts(9101, 3, 9100)).toThrow(/overlap the brokers' ports 9100\.\.9102 \(--base-port\)/);
    expect(() => checkClusterKafkaPorts(9092, 3, 9100)).not.toThrow();
    expect(() => checkClusterKafkaPorts(0, 3, 9100)).not.toThrow();
  });
});

describe('the Kafka listener of kactor broker', () => {
  it('serves Kafka clients only when told where: --listeners, or listeners in an --override', () => {
    expect(kafkaListenerConfig({ override: [] })).toEqual({ config: {}, serveKafkaClients: false });
    expect(kafkaListenerConfig({ override: ['listeners=PLAINTEXT://127.0.0.1:0'] }).serveKafkaClients).toBe(true);
    const flags = kafkaListenerConfig({ listeners: 'PLAINTEXT://0.0.0.0:9092', advertisedListeners: 'PLAINTEXT://kafka.example:9092', override: [] });
    expect(flags.serveKafkaClients).toBe(true);
    // The flags become Kafka's settings, which the config parser checks against each other.
    const config = parseConfig('broker', { 'node.id': '0', 'process.roles': 'broker,controller', ...flags.config });
    expect(config.listeners).toEqual([{ listenerName: 'PLAINTEXT', host: '0.0.0.0', port: 9092 }]);
    expect(config.advertisedListeners).toEqual([{ listenerName: 'PLAINTEXT', host: 'kafka.example', port: 9092 }]);
  });
});
