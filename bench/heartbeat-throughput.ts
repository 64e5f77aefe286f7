/**
 * The group coordinator's heartbeat throughput on one broker: a Stable group of `members` members (joined
 * with raw JoinGroup/SyncGroup requests, as a client library would), then as many Heartbeat requests as
 * the coordinator answers in `durationMs`, `inFlight` at a time over one connection.
 */
import type { RequestBody } from '@kactor/protocol';
import { createLogger, RpcClient, systemClock, systemRandom, WebSocketTransport } from '@kactor/runtime';

function client(url: string, inFlight: number): RpcClient {
  return new RpcClient({
    url,
    transport: new WebSocketTransport(),
    clock: systemClock,
    random: systemRandom,
    logger: createLogger(),
    requestTimeoutMs: 30_000,
    reconnectBackoffMs: 50,
    reconnectBackoffMaxMs: 1_000,
    maxInFlightRequests: inFlight,
    maxQueuedRequests: 100_000,
    maxResponseBytes: 1 << 26,
  });
}

export async function measureHeartbeats(bootstrap: string, options: { members: number; durationMs: number; inFlight: number }): Promise<{ heartbeatsPerSecond: number; coordinator: number }> {
  const groupId = 'bench-heartbeats';
  const any = client(bootstrap.split(',')[0] as string, 5);
  let found = await any.requestAsync('findCoordinator', { key: groupId, keyType: 0 });
  while (found.errorCode !== 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    found = await any.requestAsync('findCoordinator', { key: groupId, keyType: 0 });
  }
  any.close();
  // Every member's JoinGroup waits on the coordinator until all have joined, so each needs an in-flight slot.
  const coordinator = client(found.url, Math.max(options.inFlight, options.members + 1));
  const join = (memberId: string, clientId: string): RequestBody<'joinGroup'> => ({
    groupId,
    sessionTimeoutMs: 60_000,
    rebalanceTimeoutMs: 60_000,
    memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: new Uint8Array(8) }],
    reason: null,
    clientId,
  });
  const memberIds: string[] = [];
  for (let index = 0; index < options.members; index += 1) memberIds.push((await coordinator.requestAsync('joinGroup', join('', `member-${index}`))).memberId);
  const joined = await Promise.all(memberIds.map((memberId, index) => coordinator.requestAsync('joinGroup', join(memberId, `member-${index}`))));
  const generationId = joined[0]?.generationId ?? -1;
  const leader = joined[0]?.leader ?? '';
  await Promise.all(
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
  let answered = 0;
  let next = 0;
  const deadline = performance.now() + options.durationMs;
  const started = performance.now();
  await new Promise<void>((done) => {
    let outstanding = 0;
    const send = () => {
      if (performance.now() >= deadline) {
        if (outstanding === 0) done();
        return;
      }
      outstanding += 1;
      const memberId = memberIds[next % memberIds.length] as string;
      next += 1;
      coordinator.request('heartbeat', { groupId, generationId, memberId, groupInstanceId: null }, (result) => {
        outstanding -= 1;
        if (result.ok && result.body.errorCode === 0) answered += 1;
        send();
      });
    };
    for (let index = 0; index < options.inFlight; index += 1) send();
  });
  coordinator.close();
  return { heartbeatsPerSecond: answered / ((performance.now() - started) / 1000), coordinator: found.nodeId };
}
