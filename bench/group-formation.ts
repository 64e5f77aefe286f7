/**
 * Group formation with the real `Consumer`: `members` consumers in this process subscribe to one topic at
 * the same moment and poll in a loop; timed from the subscribe() calls until every member is `stable` in
 * one generation.
 */
import { Consumer, systemClientRuntime, type ConsumerEvent } from '@kactor/client';

export interface GroupFormationResult {
  members: number;
  ms: number;
  generation: number;
  /** Generations the group went through before the one every member is stable in. */
  rebalances: number;
}

export async function measureGroupFormation(bootstrap: string, options: { groupId: string; topic: string; members: number; timeoutMs: number; consumerConfig?: Record<string, string | number> }): Promise<GroupFormationResult> {
  const runtime = systemClientRuntime();
  const consumers = Array.from({ length: options.members }, () =>
    Consumer.create({ 'bootstrap.servers': bootstrap, 'group.id': options.groupId, ...options.consumerConfig }, runtime),
  );
  const stableIn = new Map<number, number>();
  const generations = new Set<number>();
  let resolveFormed: (generation: number) => void = () => undefined;
  const formed = new Promise<number>((resolve) => (resolveFormed = resolve));
  // Member index -> the generation it is stable in (-1: not stable).
  const current = consumers.map(() => -1);
  consumers.forEach((consumer, index) => {
    consumer.on('event', (event: ConsumerEvent) => {
      if (event.type !== 'state') return;
      if (event.generation >= 0) generations.add(event.generation);
      const before = current[index] as number;
      if (before >= 0) stableIn.set(before, (stableIn.get(before) ?? 1) - 1);
      current[index] = event.to === 'stable' ? event.generation : -1;
      if (event.to !== 'stable') return;
      const count = (stableIn.get(event.generation) ?? 0) + 1;
      stableIn.set(event.generation, count);
      if (count === options.members) resolveFormed(event.generation);
    });
  });
  let stopping = false;
  const started = performance.now();
  for (const consumer of consumers) consumer.subscribe([options.topic]);
  const polling = consumers.map(async (consumer) => {
    while (!stopping) await consumer.poll(100);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const generation = await Promise.race([
      formed,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${options.members} members not stable within ${options.timeoutMs} ms`)), options.timeoutMs))),
    ]);
    const ms = performance.now() - started;
    return { members: options.members, ms, generation, rebalances: [...generations].filter((g) => g < generation).length };
  } finally {
    clearTimeout(timer);
    stopping = true;
    await Promise.all(polling);
    await Promise.all(consumers.map((consumer) => consumer.close()));
  }
}
