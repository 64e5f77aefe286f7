/**
 * Single mode: the controller pushes each new metadata image to the brokers with UpdateMetadata, one push in flight per
 * broker, and records what each acknowledged (admin answers wait for it). In quorum mode nothing is pushed: brokers
 * fetch `__cluster_metadata` as observers and build their image from the committed records.
 */
import type { AnyActorRef } from 'xstate';
import type { ControllerContext, ControllerEffects, ControllerEvent } from './controller-context.js';
import { toMetadataImage } from './metadata-state.js';
import { propagationTargets } from './propagation.js';

/** Pushes the current image to one broker; the answer comes back as a `peer.metadataPushed` event. */
function sendMetadataImage(context: ControllerContext, self: AnyActorRef, target: { brokerId: number; url: string; brokerEpoch: number }): void {
  const image = toMetadataImage(context.state, context.controllerId);
  context.ports.peers.request(target.url, 'updateMetadata', { controllerId: context.controllerId, brokerEpoch: target.brokerEpoch, image }, (result) => {
    // A controller stopped meanwhile (its broker crashed or shut down) has nothing to record.
    if (self.getSnapshot().status === 'active') self.send({ type: 'peer.metadataPushed', brokerId: target.brokerId, brokerEpoch: target.brokerEpoch, metadataOffset: image.metadataOffset, result });
  });
}

/** Sends the image to every broker that is behind and has no push in flight (single mode only). */
export function propagateMetadata(context: ControllerContext, self: AnyActorRef, effects: ControllerEffects): void {
  if (context.mode !== 'single') return;
  const targets = propagationTargets(context.state, context.propagation);
  if (targets.length === 0) return;
  const propagation = { ...context.propagation };
  for (const target of targets) {
    const current = propagation[target.brokerId];
    if (current === undefined) continue;
    propagation[target.brokerId] = { ...current, inFlightOffset: context.state.metadataOffset };
    effects.run(() => sendMetadataImage(context, self, target));
  }
  effects.assign({ propagation });
}

/** A broker answered a push: acknowledged images count for admin answers; a failed push is retried on its next heartbeat. */
export function recordMetadataPush(
  context: ControllerContext,
  event: Extract<ControllerEvent, { type: 'peer.metadataPushed' }>,
): Partial<ControllerContext> {
  const current = context.propagation[event.brokerId];
  if (current === undefined || current.brokerEpoch !== event.brokerEpoch) return {};
  const acked = event.result.ok && event.result.body.errorCode === 0;
  if (!acked) context.ports.logger.debug({ brokerId: event.brokerId, result: event.result }, 'metadata push failed; the next heartbeat retries');
  return {
    propagation: {
      ...context.propagation,
      [event.brokerId]: {
        ...current,
        inFlightOffset: null,
        retryOnHeartbeat: !acked,
        ackedOffset: acked ? Math.max(current.ackedOffset, event.metadataOffset) : current.ackedOffset,
      },
    },
  };
}
