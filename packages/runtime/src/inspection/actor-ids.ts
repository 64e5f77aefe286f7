/**
 * The ids kactor gives its actors: XState's `id` option, which the Stately Inspector lists as the actor's
 * name (its `sessionId`, `x:N`, comes from a process-global counter and says nothing). They read like the
 * cluster: who hosts the actor, what kind it is, and which one.
 */

export const actorIds = {
  controller: (brokerId: number) => `broker-${brokerId}/controller`,
  broker: (brokerId: number) => `broker-${brokerId}/broker`,
  partition: (brokerId: number, topic: string, partition: number) => `broker-${brokerId}/partition/${topic}-${partition}`,
  group: (brokerId: number, groupId: string) => `broker-${brokerId}/group/${groupId}`,
  /** A fetch parked until data arrives or max.wait.ms ends; `sequence` counts the broker's parked fetches. */
  delayedFetch: (brokerId: number, sequence: number) => `broker-${brokerId}/fetch/${sequence}`,
  /** The member id is assigned by the coordinator after the actor exists, so the client id names it. */
  consumer: (groupId: string, clientId: string) => `consumer/${groupId}/${clientId}`,
} as const;

/** Delayed fetches come and go with every long poll: per-request noise for a viewer. */
export function isDelayedFetchId(id: string): boolean {
  return /^broker-\d+\/fetch\//.test(id);
}
