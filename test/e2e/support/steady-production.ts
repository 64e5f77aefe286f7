/**
 * Records arriving on every partition of a topic all the time (one per partition every 20 ms or so), so that a
 * consumer that is not paused prints some all the time: the rebalancing tests measure pauses by the gaps. The
 * producer's own linger.ms paces the rounds: each round's batches wait 20 ms before they go, and the next round
 * starts when they are acknowledged.
 */
import { Producer, systemClientRuntime } from '@kactor/client';

export interface SteadyProduction {
  /** Stops sending, waits for the round in flight, closes the producer. */
  stop(): Promise<void>;
}

export function startSteadyProduction(bootstrap: string, topic: string, partitions: number): SteadyProduction {
  const producer = Producer.create({ 'bootstrap.servers': bootstrap, 'linger.ms': 20 }, systemClientRuntime());
  let producing = true;
  const production = (async () => {
    for (let round = 0; producing; round += 1) {
      await Promise.all(Array.from({ length: partitions }, (_, partition) => producer.send({ topic, partition, value: new TextEncoder().encode(`r${round}`) })));
    }
  })();
  return {
    stop: async () => {
      producing = false;
      await production.catch(() => undefined);
      await producer.close();
    },
  };
}
