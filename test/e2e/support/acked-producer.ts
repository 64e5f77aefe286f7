/**
 * A producer that keeps sending numbered records with acks=all while a test injects faults, as Kafka's
 * VerifiableProducer does in its system tests: it remembers which values the cluster acknowledged and how
 * many sends failed, so the test can check afterwards that every acknowledged value was consumed.
 */
import { Producer, systemClientRuntime } from '@kactor/client';

export interface AckedProducer {
  /** Values the cluster acknowledged (acks=all), in the order the acknowledgements arrived. */
  readonly acked: ReadonlySet<string>;
  /** Sends that failed (not acknowledged: they may or may not have been written). */
  failed(): number;
  /** Resolves once `count` more values are acknowledged than when it was called. */
  ackedMore(count: number, timeoutMs: number, description: string): Promise<void>;
  /** Stops sending, waits for the sends in flight, closes the producer. */
  stop(): Promise<void>;
}

/**
 * Sends `concurrency` records at a time (each awaited), round after round (`pauseMs` apart), until stopped. A short
 * request.timeout.ms makes a request to a paused broker fail over instead of waiting Kafka's 30 s.
 */
export function startAckedProducer(options: { bootstrap: string; topic: string; partitions?: number; concurrency?: number; pauseMs?: number; requestTimeoutMs?: number }): AckedProducer {
  const producer = Producer.create(
    { 'bootstrap.servers': options.bootstrap, acks: 'all', 'linger.ms': 5, 'request.timeout.ms': options.requestTimeoutMs ?? 5_000, 'retry.backoff.ms': 100 },
    systemClientRuntime(),
  );
  const acked = new Set<string>();
  let failed = 0;
  let sending = true;
  let next = 0;
  const waiters: Array<{ target: number; done: () => void }> = [];
  const encoder = new TextEncoder();
  const sendOne = async (number: number) => {
    const value = String(number);
    try {
      // With `partitions`, round-robin over them, so every leader takes appends all the time (a sticky partitioner
      // would leave some idle, and an idle caught-up follower never falls out of the ISR).
      await producer.send({ topic: options.topic, value: encoder.encode(value), ...(options.partitions === undefined ? {} : { partition: number % options.partitions }) });
      acked.add(value);
      for (const waiter of waiters.filter((entry) => acked.size >= entry.target)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done();
      }
    } catch {
      failed += 1;
    }
  };
  const loop = (async () => {
    while (sending) {
      const round = Array.from({ length: options.concurrency ?? 20 }, () => sendOne((next += 1)));
      await Promise.all(round);
      // A pace, as Kafka's tests give the VerifiableProducer a throughput: the brokers share the machine with the test.
      if (options.pauseMs !== undefined) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  })();
  return {
    acked,
    failed: () => failed,
    ackedMore: (count, timeoutMs, description) =>
      new Promise<void>((resolve, reject) => {
        const target = acked.size + count;
        const timer = setTimeout(() => reject(new Error(`${description}: ${count} more acknowledged records did not arrive within ${timeoutMs} ms (acked ${acked.size}, failed ${failed})`)), timeoutMs);
        waiters.push({
          target,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    stop: async () => {
      sending = false;
      await loop;
      await producer.close();
    },
  };
}
