/**
 * One member of a group: a real Consumer on its own host and clock (`<group>/member-<index>`), polled by an
 * application loop as a separate process would poll it. Each record takes its processing time on the member's own
 * clock, then is traced as processed; the batch is committed as the group's strategy says. The member's lifecycle
 * events (state, assigned, revoked, lost, rebalance records) go to the trace as they happen.
 *
 * A crash is a kill -9 of the process (its clock halted, its connections reset, nothing it still sends arrives); a
 * restart starts a new incarnation with the same client.id, host and group.instance.id, once the old one has ended:
 * a clean stop gets CLOSE_GRACE_MS to close and is killed after it, and only then does a new incarnation start (two
 * processes never write to the trace as one member). Nothing an incarnation does reaches the trace after its
 * member.closed or member.crashed.
 */
import { Consumer, Producer, type ConsumerRecord, type TopicPartitionOffset } from '@kactor/client';
import { isKafkaError } from '@kactor/protocol';
import type { Random } from '@kactor/runtime';
import { nextOffsets } from '../../transactional-copier.js';
import type { GroupSpec, Variant } from '../model.js';
import { drawValue } from '../scenario/index.js';
import { boundedStop, CLOSE_GRACE_MS, type BoundedStop } from './bounded-close.js';
import { memberConfig } from './member-config.js';
import type { MemberPlants } from './member-plants.js';
import { MemberTrace } from './member-trace.js';
import { partitionNames } from './partition-name.js';
import { RunContext, type ProcessRuntime } from './run-context.js';

interface Incarnation {
  readonly runtime: ProcessRuntime;
  readonly consumer: Consumer;
  /** The transactional producer of a consume-transform-produce member. */
  readonly producer: Producer | undefined;
  /** The application stops: no more polls, nothing more processed. */
  stopped: boolean;
  /** A clean stop was asked for: the application finishes the records in hand, then polls no more (Kafka's wakeup()). */
  shutdownRequested: boolean;
  /** The application's loop, which a clean stop waits for before close(). */
  loop: Promise<void>;
  /** Killed, or closed: nothing it still does is traced. */
  killed: boolean;
  /** What the incarnation does, as the trace says it. */
  readonly trace: MemberTrace;
}

/** The output topic a transactional group's members write what they processed to. */
export const transformedTopic = (group: string): string => `${group}-transformed`;

export class ExperimentMember {
  readonly name: string;
  private current: Incarnation | undefined;
  /** The incarnation closing now, if any: a new one starts when it has ended. */
  private stopping: { incarnation: Incarnation; stop: BoundedStop; done: Promise<void> } | undefined;
  /** A start asked for while the last incarnation was still closing. */
  private startWhenStopped = false;
  private incarnations = 0;
  /** Until then, the application does not call poll() (a long batch, a stuck call). */
  private slowPollUntilMs = 0;
  private readonly processingRandom: Random;
  /** Stretches of reading one partition so far, across incarnations (each one an observer of its leader epochs). */
  private readonly readingStretches = { count: 0 };

  constructor(
    private readonly run: RunContext,
    readonly group: GroupSpec,
    private readonly variant: Variant,
    readonly index: number,
    private readonly plants: MemberPlants | undefined,
  ) {
    this.name = `${group.name}/member-${index}`;
    this.processingRandom = run.randomFor(`${this.name}/processing`);
  }

  get live(): boolean {
    return this.current !== undefined;
  }

  get paused(): boolean {
    return this.current?.runtime.clock.isPaused ?? false;
  }

  /**
   * What the member holds now, if it runs: whether it is settled in the group (running, its membership in the
   * stable state of its protocol), that state, its generation (classic) or member epoch (KIP-848) and member id,
   * and the partitions assigned to it. The setup and the drain wait for every group to settle.
   */
  holdings(): { stable: boolean; state: string; generation: number; memberId: string; partitions: string[] } | undefined {
    const incarnation = this.current;
    if (incarnation === undefined) return undefined;
    const membership = incarnation.consumer.groupMembership();
    const state = membership?.state ?? 'none';
    const stable = !incarnation.runtime.clock.isPaused && (state === 'stable' || state === 'STABLE');
    return { stable, state, generation: membership?.generationId ?? -1, memberId: membership?.memberId ?? '', partitions: partitionNames(incarnation.consumer.assignment()) };
  }

  /** Starts a new incarnation (the first, or a restart; after a clean stop, once the old process has ended). */
  start(): void {
    if (this.current !== undefined) return;
    if (this.stopping !== undefined) {
      this.startWhenStopped = true;
      return;
    }
    const runtime = this.run.runtime(this.name, this.incarnations);
    this.incarnations += 1;
    // A restart on the host a crash cut off: the new process is reachable again.
    this.run.cluster.faults.heal(this.name);
    this.run.cluster.faults.releaseHost(this.name);
    const config = memberConfig({
      bootstrapServers: this.run.cluster.bootstrapServers,
      group: this.group,
      variant: this.variant,
      clientId: this.name,
      ...(this.group.staticMembership ? { instanceId: `${this.group.name}-${this.index}` } : {}),
    });
    const consumer = Consumer.create(config, runtime);
    const producer =
      this.group.commit === 'transactional'
        ? Producer.create({ 'bootstrap.servers': this.run.cluster.bootstrapServers, 'client.id': `${this.name}/producer`, 'transactional.id': this.name, acks: 'all' }, runtime)
        : undefined;
    const trace = new MemberTrace(this.run.trace, this.group.name, this.name, this.readingStretches, this.plants);
    const incarnation: Incarnation = { runtime, consumer, producer, stopped: false, shutdownRequested: false, loop: Promise.resolve(), killed: false, trace };
    this.current = incarnation;
    consumer.on('event', (event) => {
      if (!incarnation.killed) incarnation.trace.consumerEvent(event, this.generation(incarnation));
    });
    this.run.trace.write({ type: 'member.started', group: this.group.name, member: this.name });
    incarnation.loop = this.application(incarnation);
  }

  /** kill -9: no LeaveGroup, no commit; the coordinator finds out when the session expires. A closing process dies too. */
  crash(): void {
    const incarnation = this.current;
    if (incarnation === undefined) {
      this.stopping?.stop.kill();
      return;
    }
    this.current = undefined;
    this.kill(incarnation);
  }

  /**
   * A clean stop, as an application's shutdown hook does it (wakeup(), the loop ends, close()): the application
   * finishes the records its last poll() handed it, then the consumer commits (auto-commit), revokes and leaves,
   * all within CLOSE_GRACE_MS, or the process is killed. Closing under a batch still being processed would commit
   * (auto-commit) the position past records nobody processed: a loss the application's own code never makes.
   * Resolves when it has ended; the clock must run meanwhile.
   */
  close(): Promise<void> {
    const incarnation = this.current;
    if (incarnation === undefined) return this.stopping?.done ?? Promise.resolve();
    this.current = undefined;
    incarnation.shutdownRequested = true;
    const stop = boundedStop(this.run.cluster.clock, async () => {
      await incarnation.loop;
      incarnation.stopped = true;
      await incarnation.consumer.close().catch(() => undefined);
      await incarnation.producer?.close({ timeoutMs: 0 }).catch(() => undefined);
    });
    const done = stop.outcome.then((outcome) => {
      if (outcome === 'closed') {
        incarnation.killed = true;
        this.run.trace.write({ type: 'member.closed', group: this.group.name, member: this.name });
      } else {
        this.kill(incarnation, outcome === 'grace-over' ? `close() had not finished ${CLOSE_GRACE_MS} ms after the stop began: killed, as at the end of a shutdown grace period` : undefined);
      }
      this.stopping = undefined;
      if (this.startWhenStopped) {
        this.startWhenStopped = false;
        this.start();
      }
    });
    this.stopping = { incarnation, stop, done };
    return done;
  }

  private kill(incarnation: Incarnation, reason?: string): void {
    incarnation.stopped = true;
    incarnation.killed = true;
    this.run.killProcess(this.name, incarnation.runtime.clock);
    this.run.trace.write({ type: 'member.crashed', group: this.group.name, member: this.name, ...(reason === undefined ? {} : { reason }) });
  }

  /**
   * Stop-the-world (GC, SIGSTOP) for `durationMs`: nothing of the process runs until resume(). Its connections stay
   * open: what peers send waits (as in the kernel's buffers) and is read when it runs again, in order.
   */
  pause(durationMs: number): void {
    const incarnation = this.current;
    if (incarnation === undefined || incarnation.runtime.clock.isPaused) return;
    incarnation.runtime.clock.pause();
    this.run.cluster.faults.holdHost(this.name, this.run.cluster.clock.now() + durationMs);
    this.run.trace.write({ type: 'member.paused', group: this.group.name, member: this.name, durationMs });
  }

  resume(): void {
    const incarnation = this.current;
    if (incarnation === undefined || !incarnation.runtime.clock.isPaused) return;
    this.run.cluster.faults.releaseHost(this.name);
    incarnation.runtime.clock.resume();
    this.run.trace.write({ type: 'member.resumed', group: this.group.name, member: this.name });
  }

  /** The application polls again now (the drain ends every fault). */
  endSlowPoll(): void {
    this.slowPollUntilMs = 0;
  }

  /** The application does not call poll() for `durationMs` from now (heartbeats go on). */
  slowPoll(durationMs: number): void {
    this.slowPollUntilMs = Math.max(this.slowPollUntilMs, this.run.cluster.clock.now() + durationMs);
  }

  private async application(incarnation: Incarnation): Promise<void> {
    const { consumer, runtime } = incarnation;
    // poll(0) returns at once when nothing is buffered: a loop of them would never let simulated time move.
    const pollTimeoutMs = Math.max(1, this.group.pollTimeoutMs);
    try {
      await incarnation.producer?.initTransactions();
      consumer.subscribe(this.group.topics);
      while (!incarnation.stopped && !incarnation.shutdownRequested) {
        const waitMs = this.slowPollUntilMs - runtime.clock.now();
        if (waitMs > 0) {
          await RunContext.sleep(runtime.clock, waitMs);
          continue;
        }
        const records = await consumer.poll(pollTimeoutMs);
        if (incarnation.stopped) return;
        if (records.length > 0) await this.handle(incarnation, records);
      }
    } catch (error) {
      if (incarnation.stopped) return;
      // The application dies of an error it did not expect; the run shows it (a run error fails the run).
      this.run.trace.write({ type: 'run.error', error: `${this.name}: ${String(error)}` });
      incarnation.stopped = true;
      if (this.current === incarnation) void this.close();
    }
  }

  private async handle(incarnation: Incarnation, records: readonly ConsumerRecord[]): Promise<void> {
    const transactional = incarnation.producer !== undefined;
    for (const record of records) {
      const processingMs = drawValue(this.group.processingMs, this.processingRandom);
      if (processingMs > 0) await RunContext.sleep(incarnation.runtime.clock, processingMs);
      if (incarnation.stopped) return;
      incarnation.trace.epochOf(record);
      // Exactly-once: a record counts as processed when the transaction carrying its offset commits.
      if (!transactional) incarnation.trace.processed(record, this.generation(incarnation));
    }
    const offsets = nextOffsets(records);
    if (transactional) {
      if (!(await this.commitTransaction(incarnation, records, offsets))) return;
    } else {
      await this.commit(incarnation, offsets);
    }
    if (incarnation.stopped) return;
    await this.plants?.afterBatch(incarnation.consumer, records, offsets, {
      commit: async (consumer, planted) => this.commitSync(incarnation, consumer, planted),
      seek: (consumer, tp, offset) => {
        consumer.seek(tp, offset);
        incarnation.trace.readFrom(tp);
      },
    });
  }

  private async commit(incarnation: Incarnation, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const { consumer } = incarnation;
    switch (this.group.commit) {
      case 'auto':
        return;
      case 'sync':
        return this.commitSync(incarnation, consumer, offsets);
      case 'async': {
        const generation = this.generation(incarnation);
        consumer.commitAsync(offsets, (error) => {
          if (incarnation.killed) return;
          if (error) incarnation.trace.commitFailed(error);
          else incarnation.trace.committed(offsets, generation);
        });
        return;
      }
      case 'transactional':
        return;
    }
  }

  private async commitSync(incarnation: Incarnation, consumer: Consumer, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const generation = this.generation(incarnation);
    try {
      await consumer.commitSync(offsets);
    } catch (error) {
      if (!incarnation.killed) incarnation.trace.commitFailed(error);
      return;
    }
    if (!incarnation.killed) incarnation.trace.committed(offsets, generation);
  }

  /** Consume-transform-produce (KIP-447): the batch's records written on and its offsets committed in one transaction. */
  private async commitTransaction(incarnation: Incarnation, records: readonly ConsumerRecord[], offsets: readonly TopicPartitionOffset[]): Promise<boolean> {
    const { consumer } = incarnation;
    const producer = incarnation.producer as Producer;
    const generation = this.generation(incarnation);
    producer.beginTransaction();
    try {
      // A send's own failure also fails commitTransaction(), which is where it is handled.
      for (const record of records) producer.send({ topic: transformedTopic(this.group.name), key: record.key, value: record.value }).catch(() => undefined);
      await producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      await producer.commitTransaction();
    } catch (error) {
      if (incarnation.stopped) return false;
      if (isKafkaError(error, 'PRODUCER_FENCED')) throw error;
      incarnation.trace.commitFailed(error);
      await producer.abortTransaction();
      await this.rewindToCommitted(incarnation);
      return false;
    }
    if (incarnation.killed) return false;
    for (const record of records) incarnation.trace.processed(record, this.generation(incarnation));
    incarnation.trace.committed(offsets, generation);
    return true;
  }

  /** After an aborted transaction, each assigned partition is read again from the group's committed offset. */
  private async rewindToCommitted({ consumer, trace }: Incarnation): Promise<void> {
    const assignment = consumer.assignment();
    if (assignment.length === 0) return;
    for (const committed of await consumer.committed(assignment)) {
      if (committed.offset === null || committed.offset < 0) consumer.seekToBeginning([committed]);
      else consumer.seek(committed, committed.offset);
    }
    for (const tp of assignment) trace.readFrom(tp);
  }

  private generation(incarnation: Incarnation): number {
    return incarnation.consumer.groupMembership()?.generationId ?? -1;
  }
}
