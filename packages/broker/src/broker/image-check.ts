import type { RequestBody } from '@kactor/protocol';

/**
 * Why a pushed metadata image cannot be what the controller holds, or undefined when it can. The image
 * reflects the metadata log up to `metadataOffset`, and every broker's epoch is the offset of its
 * registration record in that log, so no epoch can lie beyond it; the sender must be the controller the
 * image names. A broker applies only images newer than its own, so one forged far-future offset would
 * make it ignore the controller for good: such an image is refused, not applied. (Only cluster members
 * may send UpdateMetadata at all; this guards against a confused or buggy one.)
 */
export function imageProblem(body: RequestBody<'updateMetadata'>): string | undefined {
  const { image } = body;
  if (!Number.isSafeInteger(image.metadataOffset) || image.metadataOffset < -1) return 'its metadata offset is not a valid log offset';
  if (image.controllerId !== body.controllerId) return 'it names another controller than the one that sent it';
  if (image.brokers.some((broker) => broker.brokerEpoch > image.metadataOffset)) {
    return 'a broker epoch lies beyond the metadata offset it reflects';
  }
  return undefined;
}
