/**
 * A consumer group formed with bare JoinGroup/SyncGroup requests over one connection to its coordinator,
 * as a client library would send them but with nothing else: no metadata, no assignor, no statechart.
 * It is the protocol's own cost, against which the real `Consumer` and the heartbeat path are measured.
 */
import type { RequestBody } from '@kactor/protocol';
import { createLogger, RpcClient, systemClock, systemRandom, WebSocketTransport } from '@kactor/runtime';

export function benchRpcClient(url: string, inFlight: number): RpcClient {
  return new RpcClient({
    url,
    transport: new WebSocketTransport(),
    clock: systemClock,
    random: systemRandom,
    logger: createLogger(),
    requestTimeoutMs: 120_000,
    reconnectBackoffMs: 50,
    reconnectBackoffMaxMs: 1_000,
    maxInFlightRequests: inFlight,
    maxQueuedRequests: 100_000,
    maxResponseBytes: 1 << 26,
  });
}

/** Asks any broker for the group's coordinator until the offsets topic is ready, and returns its URL. */
export async function findCoordinator(bootstrap: string, groupId: string): Promise<{ url: string; nodeId: number }> {
  const any = benchRpcClient(bootstrap.split(',')[0] as string, 5);
  try {
    for (;;) {
      const found = await any.requestAsync('findCoordinator', { key: groupId, keyType: 0 });
      if (found.errorCode === 0) return { url: found.url, nodeId: found.nodeId };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    any.close();
  }
}

export interface RawGroup {
  memberIds: string[];
  generationId: number;
  leader: string;
}

/**
 * Forms a Stable group of `members` members in one generation. Every member first gets its id (the
 * MEMBER_ID_REQUIRED step), then all join at once: the coordinator completes the join phase only when no
 * member id is pending (Kafka's `hasAllMembersJoined`), so one generation holds them all even with
 * group.initial.rebalance.delay.ms=0. The connection needs an in-flight slot per member: each JoinGroup is
 * parked at the coordinator until the join phase completes.
 */
export async function formRawGroup(coordinator: RpcClient, groupId: string, members: number): Promise<RawGroup> {
  const join = (memberId: string, index: number): RequestBody<'joinGroup'> => ({
    groupId,
    sessionTimeoutMs: 60_000,
    rebalanceTimeoutMs: 60_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array(8) }],
    reason: null,
    clientId: `member-${index}`,
  });
  const memberIds = await Promise.all(Array.from({ length: members }, async (_, index) => (await coordinator.requestAsync('joinGroup', join('', index))).memberId));
  const joined = await Promise.all(memberIds.map((memberId, index) => coordinator.requestAsync('joinGroup', join(memberId, index))));
  const failed = joined.find((response) => response.errorCode !== 0);
  if (failed !== undefined) throw new Error(`JoinGroup failed with error ${failed.errorCode}`);
  const generationId = joined[0]?.generationId ?? -1;
  if (joined.some((response) => response.generationId !== generationId)) throw new Error('the members joined in different generations');
  const leader = joined[0]?.leader ?? '';
  const synced = await Promise.all(
    memberIds.map((memberId) =>
      coordinator.requestAsync('syncGroup', {
        groupId,
        generationId,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'range',
        assignments: memberId === leader ? memberIds.map((id) => ({ memberId: id, assignment: new Uint8Array(0) })) : [],
      }),
    ),
  );
  if (synced.some((response) => response.errorCode !== 0)) throw new Error('SyncGroup failed');
  return { memberIds, generationId, leader };
}
