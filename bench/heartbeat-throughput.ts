/**
 * The group coordinator's heartbeat throughput on one broker: a Stable group of `members` members (formed
 * with bare protocol requests), then as many Heartbeat requests as the coordinator answers in `durationMs`,
 * `inFlight` at a time over one connection.
 */
import { benchRpcClient, findCoordinator, formRawGroup } from './raw-group.js';

export async function measureHeartbeats(bootstrap: string, options: { groupId: string; members: number; durationMs: number; inFlight: number }): Promise<{ heartbeatsPerSecond: number; coordinator: number }> {
  const found = await findCoordinator(bootstrap, options.groupId);
  const coordinator = benchRpcClient(found.url, Math.max(options.inFlight, options.members + 1));
  try {
    const { memberIds, generationId } = await formRawGroup(coordinator, options.groupId, options.members);
    let answered = 0;
    let failed = 0;
    let next = 0;
    const started = performance.now();
    const deadline = started + options.durationMs;
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
        coordinator.request('heartbeat', { groupId: options.groupId, generationId, memberId, groupInstanceId: null }, (result) => {
          outstanding -= 1;
          if (result.ok && result.body.errorCode === 0) answered += 1;
          else failed += 1;
          send();
        });
      };
      for (let index = 0; index < options.inFlight; index += 1) send();
    });
    if (failed > 0) throw new Error(`${failed} heartbeats failed`);
    return { heartbeatsPerSecond: answered / ((performance.now() - started) / 1000), coordinator: found.nodeId };
  } finally {
    coordinator.close();
  }
}
