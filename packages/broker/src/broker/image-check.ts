import { parseConfigOverrides, type RequestBody } from '@kactor/protocol';

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
  // The controller stores only configs it checked, so a config this broker cannot read did not come from it;
  // applied, it would stop the broker when it opens the topic's logs.
  for (const topic of image.topics) {
    if (!topicConfigsReadable(topic.configs)) return `the configs of topic ${topic.name.slice(0, 249)} are not valid topic configs`;
  }
  return undefined;
}

function topicConfigsReadable(configs: ReadonlyArray<{ name: string; value: string }>): boolean {
  try {
    // Configs accepted by an older release but refused today (retention.ms) are still readable.
    parseConfigOverrides('topic', Object.fromEntries(configs.map((entry) => [entry.name, entry.value])), { allowUnimplemented: true });
    return true;
  } catch {
    return false;
  }
}
