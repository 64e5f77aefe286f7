/**
 * The real clients (@kactor/client's Consumer, Producer and Admin) against a SimulatedCluster: each client
 * gets its own host on the in-memory network and a fork of one seeded random, so a run is reproducible
 * from the seed. Consumers are polled by their own loops, as separate applications would poll them,
 * while the simulated clock is driven until a condition holds (bounded in virtual time).
 */
import { Admin, Consumer, Producer, type ClientRuntime, type ConsumerEvent, type ConsumerRecord } from '@kactor/client';
import type { ConfigValueInput } from '@kactor/protocol';
import { createIdGenerator, createLogger, createSeededRandom, fork, type Random } from '@kactor/runtime';
import { findDoubleOwners, type DoubleOwner } from './checkers/group-ownership.js';
import { sortedNames } from './partition-names.js';
import { ProcessClock } from './process-clock.js';
import { SimulatedCluster, type SimulatedClusterOptions } from './simulated-cluster.js';

/** Small enough to fit several rebalances into a minute of virtual time, within Kafka's allowed ranges. */
const groupSettings: Record<string, ConfigValueInput> = {
  'session.timeout.ms': 10_000,
  'heartbeat.interval.ms': 1_000,
  'max.poll.interval.ms': 20_000,
  'auto.offset.reset': 'earliest',
  'enable.auto.commit': false,
};

const consumerProtocolSettings: Record<string, ConfigValueInput> = Object.fromEntries(
  Object.entries(groupSettings).filter(([name]) => name !== 'session.timeout.ms' && name !== 'heartbeat.interval.ms'),
);

/** __consumer_offsets small (3 partitions, one replica: a test of coordinator failover asks for 3 in `brokerConfig`) and no initial rebalance delay. */
const groupBrokerConfig: Record<string, string> = {
  'offsets.topic.num.partitions': '3',
  'offsets.topic.replication.factor': '1',
  'group.initial.rebalance.delay.ms': '0',
};

export interface GroupClientsOptions extends Omit<SimulatedClusterOptions, 'seed'> {
  seed: number;
}

export { sortedNames };

export class GroupClients {
  readonly cluster: SimulatedCluster;
  private readonly random: Random;
  private readonly consumers: Consumer[] = [];
  private readonly producers: Producer[] = [];
  private readonly admins: Admin[] = [];
  /** Records each consumer got from poll(), across pollUntil calls. */
  private readonly received = new Map<Consumer, ConsumerRecord[]>();
  private readonly clocks = new Map<string, ProcessClock>();
  private readonly logger;

  /** A seed alone: three brokers, the controller on broker 0. */
  constructor(seedOrOptions: number | GroupClientsOptions) {
    const { seed, ...options } = typeof seedOrOptions === 'number' ? { seed: seedOrOptions } : seedOrOptions;
    this.cluster = new SimulatedCluster({ ...options, seed, brokerConfig: { ...groupBrokerConfig, ...options.brokerConfig } });
    this.random = createSeededRandom(`clients-${seed}`);
    this.logger = createLogger({ clock: this.cluster.clock });
  }

  /** Every broker of the cluster, as the clients' `bootstrap.servers`. */
  get bootstrapServers(): string {
    return this.cluster.bootstrapServers;
  }

  runtime(host: string): ClientRuntime {
    const clock = new ProcessClock(this.cluster.clock);
    this.clocks.set(host, clock);
    return {
      clock,
      random: fork(this.random, host),
      ids: createIdGenerator(fork(this.random, `${host}-ids`)),
      transport: this.cluster.network.forHost(host),
      logger: this.logger.child({ client: host }),
      urlScheme: 'memory',
    };
  }

  /** A group member whose client.id `name` is also its host on the network. */
  consumer(group: string, name: string, settings: Record<string, ConfigValueInput> = {}): Consumer {
    // The consumer protocol's session and heartbeat timers are the coordinator's (KIP-848): Kafka refuses them on the member.
    const defaults = settings['group.protocol'] === 'consumer' ? consumerProtocolSettings : groupSettings;
    const consumer = Consumer.create({ 'bootstrap.servers': this.bootstrapServers, 'group.id': group, 'client.id': name, ...defaults, ...settings }, this.runtime(name));
    this.consumers.push(consumer);
    this.received.set(consumer, []);
    return consumer;
  }

  /**
   * A consumer outside any group (`assign()` mode, no committed offsets), reading from the beginning: a checker's
   * reader that depends on no group coordinator. Its polled records are kept for `records()` like a member's.
   */
  reader(name: string, settings: Record<string, ConfigValueInput> = {}): Consumer {
    const consumer = Consumer.create({ 'bootstrap.servers': this.bootstrapServers, 'client.id': name, 'auto.offset.reset': 'earliest', ...settings }, this.runtime(name));
    this.consumers.push(consumer);
    this.received.set(consumer, []);
    return consumer;
  }

  /** One admin client, created on first use. */
  admin(): Admin {
    if (this.admins[0] === undefined) this.admins.push(Admin.create({ 'bootstrap.servers': this.bootstrapServers }, this.runtime('admin')));
    return this.admins[0] as Admin;
  }

  /** A producer with acks=all and no linger; `settings` override (Kafka names). */
  producer(settings: Record<string, ConfigValueInput> = {}): Producer {
    const producer = Producer.create({ 'bootstrap.servers': this.bootstrapServers, acks: 'all', 'linger.ms': 0, ...settings }, this.runtime(`producer-${this.producers.length}`));
    this.producers.push(producer);
    return producer;
  }

  /** Creates a topic (one replica per partition unless told; topic configs by Kafka name); the controller places the replicas. */
  async createTopic(name: string, partitions: number, replicationFactor = 1, configs: Record<string, string> = {}): Promise<void> {
    const [result] = await this.settle(this.admin().createTopics([{ name, numPartitions: partitions, replicationFactor, configs }]));
    if (result?.error) throw result.error;
  }

  /** Sends `count` records per partition, valued `<partition>/<n>`, and waits for every acknowledgement. */
  async fill(topic: string, partitions: number, count: number, from = 0): Promise<void> {
    const producer = this.producer();
    const sends = [];
    for (let partition = 0; partition < partitions; partition += 1) {
      for (let n = from; n < from + count; n += 1) sends.push(producer.send({ topic, partition, value: `${partition}/${n}` }));
    }
    await this.settle(Promise.all(sends));
  }

  /** Runs the simulated clock until `promise` settles (bounded in virtual time), then returns its outcome. */
  async settle<T>(promise: Promise<T>, maxVirtualMs = 120_000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await this.cluster.until(() => settled, 'the operation settles', maxVirtualMs);
    return promise;
  }

  /** Everything `consumer` received from poll() so far. */
  records(consumer: Consumer): ConsumerRecord[] {
    return this.received.get(consumer) ?? [];
  }

  /**
   * Polls each of `polling` in its own loop until `condition` holds; consumers not listed are left alone
   * (an application stuck in processing). A poll() that throws stops the wait and is rethrown.
   */
  async pollUntil(polling: readonly Consumer[], condition: () => boolean, description: string, maxVirtualMs = 60_000): Promise<void> {
    let stop = false;
    const failures: unknown[] = [];
    const loops = polling.map(async (consumer) => {
      while (!stop) {
        try {
          this.records(consumer).push(...(await consumer.poll(100)));
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    });
    await this.cluster.until(() => condition() || failures.length > 0, description, maxVirtualMs);
    stop = true;
    await this.settle(Promise.all(loops));
    if (failures.length > 0) throw failures[0];
  }

  /** Closes every client still open, then halts the brokers. */
  async close(): Promise<void> {
    for (const consumer of this.consumers.splice(0)) await this.settle(consumer.close()).catch(() => undefined);
    for (const producer of this.producers.splice(0)) await this.settle(producer.close()).catch(() => undefined);
    for (const admin of this.admins.splice(0)) admin.close();
    for (const node of this.cluster.nodes) await node.halt();
  }

  /**
   * kill -9 of a consumer: its timers stop, its connections are reset (as the OS does for a dead process)
   * and nothing it might still send arrives. It is never closed, so it sends no LeaveGroup.
   */
  kill(consumer: Consumer): void {
    const host = consumer.config.clientId;
    this.clocks.get(host)?.halt();
    this.cluster.faults.isolate(host);
    this.cluster.network.disconnect(host);
    const index = this.consumers.indexOf(consumer);
    if (index >= 0) this.consumers.splice(index, 1);
  }

  /** A network partition around a consumer: its connections stay open, but nothing gets through. */
  isolate(consumer: Consumer): void {
    this.cluster.faults.isolate(consumer.config.clientId);
  }

  heal(consumer: Consumer): void {
    this.cluster.faults.heal(consumer.config.clientId);
  }
}

/** Each member's assigned partitions per generation, from its 'assigned' events. */
export class Assignments {
  readonly byGeneration = new Map<number, Map<Consumer, string[]>>();

  watch(consumer: Consumer): void {
    consumer.on('event', (event: ConsumerEvent) => {
      if (event.type !== 'assigned') return;
      const owners = this.byGeneration.get(event.generation) ?? new Map<Consumer, string[]>();
      owners.set(consumer, sortedNames(event.partitions));
      this.byGeneration.set(event.generation, owners);
    });
  }

  /** Partitions some generation handed to more than one member (the checker `findDoubleOwners`). */
  doubleOwners(): DoubleOwner[] {
    return findDoubleOwners(this.byGeneration);
  }

  /** Every member stable in one generation after `afterGeneration`, holding that generation's assignment. */
  settled(members: readonly Consumer[], afterGeneration = 0): boolean {
    const generation = members[0]?.groupMembership()?.generationId ?? -1;
    const owners = this.byGeneration.get(generation);
    return generation > afterGeneration && members.every((member) => member.groupMembership()?.state === 'stable' && member.groupMembership()?.generationId === generation && owners?.has(member) === true);
  }
}
