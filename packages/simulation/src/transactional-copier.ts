/**
 * A copier as Kafka's transactions system test runs it (TransactionalMessageCopier in transactions_test.py, one group as
 * group_mode_transactions_test): a group member reading the input with read_committed and auto-commit off, and a
 * transactional producer with its own transactional.id writing each record to the output. Each poll's records are
 * copied in one transaction that also carries the consumer's next offsets (sendOffsetsToTransaction with
 * consumer.groupMetadata(), KIP-447) and is committed; on an error the transaction is aborted and the consumer goes
 * back to the group's committed offsets. A fenced producer (PRODUCER_FENCED) or any error it cannot abort past ends the
 * process, and a new one with the same transactional.id takes over, as the system test's restarted copier does.
 *
 * `mode: 'at-least-once'` is the same copier without transactions (send, wait for the acknowledgements, then
 * commitSync): a crash between the two copies records twice, which is what the duplicate checker must catch.
 *
 * Each incarnation is one process on the simulated network (its consumer and producer share a host and a clock), so
 * `kill()` is a kill -9: its timers stop, its connections are reset, and it never sends LeaveGroup or EndTxn.
 */
import { Consumer, Producer, type ClientRuntime, type ConsumerRecord, type TopicPartitionOffset } from '@kactor/client';
import { isKafkaError, type ConfigValueInput } from '@kactor/protocol';
import type { GroupClients } from './group-clients.js';
import type { ProcessClock } from './process-clock.js';

export type CopyMode = 'transactional' | 'at-least-once';

export interface TransactionalCopierOptions {
  clients: GroupClients;
  groupId: string;
  transactionalId: string;
  inputTopic: string;
  outputTopic: string;
  mode: CopyMode;
  /** The most records one transaction copies (the consumer's max.poll.records). */
  transactionSize: number;
  /**
   * Virtual time between sending a poll's records and committing them (default 0): the transaction stays open that long
   * (at-least-once: the records are written but their offsets not committed), so that a copy of a few hundred records
   * lasts long enough for a nemesis to strike in the middle of transactions, as it does in the system test's 100,000.
   */
  processingMs?: number;
  /** Called with the offsets of every commit that went through (the transaction's, or commitSync's). */
  onCommitted: (offsets: readonly TopicPartitionOffset[]) => void;
  consumerSettings?: Record<string, ConfigValueInput>;
  producerSettings?: Record<string, ConfigValueInput>;
}

export interface CopierFigures {
  transactionsCommitted: number;
  transactionsAborted: number;
  /** Incarnations killed by the nemesis. */
  killed: number;
  /** Incarnations that ended themselves on a fatal error (fenced, or an abort that failed). */
  fatal: number;
}

interface Incarnation {
  readonly host: string;
  readonly clock: ProcessClock;
  readonly consumer: Consumer;
  readonly producer: Producer;
  stopped: boolean;
  loop?: Promise<void>;
}

export class TransactionalCopier {
  readonly figures: CopierFigures = { transactionsCommitted: 0, transactionsAborted: 0, killed: 0, fatal: 0 };
  /** The errors that ended incarnations, for a failing seed's report. */
  readonly fatalErrors: string[] = [];
  private incarnations = 0;
  private current: Incarnation | undefined;

  constructor(private readonly options: TransactionalCopierOptions) {}

  get transactionalId(): string {
    return this.options.transactionalId;
  }

  /** Starts a new incarnation (the process started again with the same transactional.id). */
  start(): void {
    const { clients, mode } = this.options;
    const host = `${this.options.transactionalId}-${this.incarnations}`;
    this.incarnations += 1;
    const runtime: ClientRuntime = clients.runtime(host);
    const consumer = Consumer.create(
      {
        'bootstrap.servers': clients.bootstrapServers,
        'group.id': this.options.groupId,
        'client.id': host,
        'isolation.level': 'read_committed',
        'enable.auto.commit': false,
        'auto.offset.reset': 'earliest',
        'max.poll.records': this.options.transactionSize,
        'session.timeout.ms': 10_000,
        'heartbeat.interval.ms': 1_000,
        ...this.options.consumerSettings,
      },
      runtime,
    );
    const producer = Producer.create(
      {
        'bootstrap.servers': clients.bootstrapServers,
        'client.id': host,
        acks: 'all',
        'linger.ms': 0,
        ...(mode === 'transactional' ? { 'transactional.id': this.options.transactionalId } : {}),
        ...this.options.producerSettings,
      },
      runtime,
    );
    const incarnation: Incarnation = { host, clock: runtime.clock as ProcessClock, consumer, producer, stopped: false };
    this.current = incarnation;
    incarnation.loop = this.run(incarnation);
  }

  /** kill -9 of the running incarnation; `start()` brings up the next one. */
  kill(): void {
    const incarnation = this.current;
    if (incarnation === undefined) return;
    this.current = undefined;
    this.figures.killed += 1;
    this.halt(incarnation);
  }

  /**
   * Cuts the running incarnation off the network (its process lives on): past session.timeout.ms the group moves on
   * without it, and when `heal()` lets it back in it is a zombie whose offsets KIP-447 refuses. Returns its host.
   */
  isolate(): string | undefined {
    const host = this.current?.host;
    if (host !== undefined) this.options.clients.cluster.faults.isolate(host);
    return host;
  }

  heal(host: string): void {
    // A killed incarnation stays cut off: its host is never healed.
    if (this.current?.host === host) this.options.clients.cluster.faults.heal(host);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Stops the running incarnation between transactions and closes its clients. */
  async close(): Promise<void> {
    const incarnation = this.current;
    if (incarnation === undefined) return;
    this.current = undefined;
    incarnation.stopped = true;
    await incarnation.loop;
    await incarnation.producer.close({ timeoutMs: 0 }).catch(() => undefined);
    await incarnation.consumer.close().catch(() => undefined);
  }

  private halt(incarnation: Incarnation): void {
    incarnation.stopped = true;
    incarnation.clock.halt();
    this.options.clients.cluster.faults.isolate(incarnation.host);
    this.options.clients.cluster.network.disconnect(incarnation.host);
  }

  private async run(incarnation: Incarnation): Promise<void> {
    const { consumer, producer } = incarnation;
    try {
      if (this.options.mode === 'transactional') await producer.initTransactions();
      consumer.subscribe([this.options.inputTopic]);
      while (!incarnation.stopped) {
        const records = await consumer.poll(100);
        if (incarnation.stopped || records.length === 0) continue;
        if (this.options.mode === 'transactional') await this.copyInTransaction(incarnation, records);
        else await this.copyThenCommit(incarnation, records);
      }
    } catch (error) {
      if (incarnation.stopped) return;
      // The process ends (Kafka's copier exits on a fenced producer); a new one with the same transactional.id takes over.
      this.fatalErrors.push(`${incarnation.host}: ${String(error)}`);
      this.figures.fatal += 1;
      this.halt(incarnation);
      if (this.current === incarnation) this.start();
    }
  }

  private async copyInTransaction(incarnation: Incarnation, records: readonly ConsumerRecord[]): Promise<void> {
    const { consumer, producer } = incarnation;
    const offsets = nextOffsets(records);
    producer.beginTransaction();
    try {
      // The sends' own failures also fail commitTransaction(), which is where they are handled.
      for (const record of records) producer.send({ topic: this.options.outputTopic, key: record.key, value: record.value }).catch(() => undefined);
      await this.process(incarnation);
      if (incarnation.stopped) return;
      await producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      await producer.commitTransaction();
    } catch (error) {
      if (isKafkaError(error, 'PRODUCER_FENCED')) throw error;
      if (incarnation.stopped) return;
      // An abortable error (a zombie generation's offsets, a batch that failed): abort, then read again from the group's offsets.
      await producer.abortTransaction();
      this.figures.transactionsAborted += 1;
      await this.rewindToCommitted(consumer);
      return;
    }
    if (incarnation.stopped) return;
    this.figures.transactionsCommitted += 1;
    this.options.onCommitted(offsets);
  }

  private async copyThenCommit(incarnation: Incarnation, records: readonly ConsumerRecord[]): Promise<void> {
    const { consumer, producer } = incarnation;
    const offsets = nextOffsets(records);
    try {
      await Promise.all(records.map((record) => producer.send({ topic: this.options.outputTopic, key: record.key, value: record.value })));
      await this.process(incarnation);
      if (incarnation.stopped) return;
      await consumer.commitSync(offsets);
    } catch {
      if (incarnation.stopped) return;
      await this.rewindToCommitted(consumer);
      return;
    }
    if (incarnation.stopped) return;
    this.figures.transactionsCommitted += 1;
    this.options.onCommitted(offsets);
  }

  /** Waits `processingMs` on the incarnation's own clock (a killed process's clock never fires: its loop stops here). */
  private async process(incarnation: Incarnation): Promise<void> {
    const processingMs = this.options.processingMs ?? 0;
    if (processingMs > 0) await new Promise<void>((resolve) => incarnation.clock.setTimeout(resolve, processingMs));
  }

  /** Kafka's copier's resetToLastCommittedPositions: each assigned partition from its committed offset, or the beginning. */
  private async rewindToCommitted(consumer: Consumer): Promise<void> {
    const assignment = consumer.assignment();
    if (assignment.length === 0) return;
    for (const committed of await consumer.committed(assignment)) {
      if (committed.offset === null || committed.offset < 0) consumer.seekToBeginning([committed]);
      else consumer.seek(committed, committed.offset);
    }
  }
}

/** The next offset to read of each partition in `records` (what commitSync would commit after them). */
export function nextOffsets(records: readonly ConsumerRecord[]): TopicPartitionOffset[] {
  const next = new Map<string, TopicPartitionOffset>();
  for (const record of records) {
    const key = `${record.topic}\u0000${record.partition}`;
    const offset = record.offset + 1;
    if ((next.get(key)?.offset ?? -1) < offset) next.set(key, { topic: record.topic, partition: record.partition, offset });
  }
  return [...next.values()];
}
