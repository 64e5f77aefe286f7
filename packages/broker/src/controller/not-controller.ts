/**
 * The NOT_CONTROLLER answer, in each controller API's own response shape: given by a broker that runs no controller,
 * and by a KRaft controller that is not the active one (Kafka's NotControllerException), whose message then names the
 * active controller so the client knows where to go.
 */
import type { ApiName, RequestBody, ResponseBody } from '@kactor/protocol';
import { errorByName } from '@kactor/protocol';

const NOT_CONTROLLER = errorByName('NOT_CONTROLLER').code;
const noControllerHere = 'this broker is not the controller; send controller requests to the controller named in Metadata';

/** A request to one of the controller APIs: its name and body. */
export type ControllerApiRequest = { [A in ApiName]: { api: A; body: RequestBody<A> } }[ApiName];

/** The message of a standby controller's NOT_CONTROLLER: which node it believes to be active (Kafka's ControllerExceptions). */
export function notActiveControllerMessage(activeControllerId: number | undefined): string {
  return activeControllerId === undefined ? 'No controller appears to be active' : `The active controller appears to be node ${activeControllerId}`;
}

export function notControllerResponse(request: ControllerApiRequest, message = noControllerHere): unknown {
  switch (request.api) {
    case 'createTopics':
      return {
        throttleTimeMs: 0,
        topics: request.body.topics.map((topic) => ({ name: topic.name, topicId: null, errorCode: NOT_CONTROLLER, errorMessage: message, numPartitions: -1, replicationFactor: -1 })),
      } satisfies ResponseBody<'createTopics'>;
    case 'deleteTopics':
      return {
        throttleTimeMs: 0,
        responses: request.body.topicNames.map((name) => ({ name, topicId: null, errorCode: NOT_CONTROLLER, errorMessage: message })),
      } satisfies ResponseBody<'deleteTopics'>;
    case 'createPartitions':
      return {
        throttleTimeMs: 0,
        results: request.body.topics.map((topic) => ({ name: topic.name, errorCode: NOT_CONTROLLER, errorMessage: message })),
      } satisfies ResponseBody<'createPartitions'>;
    case 'electLeaders':
      return {
        throttleTimeMs: 0,
        errorCode: NOT_CONTROLLER,
        replicaElectionResults: (request.body.topicPartitions ?? []).map((topic) => ({
          topic: topic.topic,
          partitionResult: topic.partitions.map((partitionId) => ({ partitionId, errorCode: NOT_CONTROLLER, errorMessage: message })),
        })),
      } satisfies ResponseBody<'electLeaders'>;
    case 'alterPartition':
      return { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, topics: [] } satisfies ResponseBody<'alterPartition'>;
    case 'allocateProducerIds':
      return { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, errorMessage: message, producerIdStart: -1, producerIdLen: -1 } satisfies ResponseBody<'allocateProducerIds'>;
    case 'brokerRegistration':
      return { throttleTimeMs: 0, errorCode: NOT_CONTROLLER, errorMessage: message, brokerEpoch: -1, clusterId: null } satisfies ResponseBody<'brokerRegistration'>;
    case 'brokerHeartbeat':
      return {
        throttleTimeMs: 0,
        errorCode: NOT_CONTROLLER,
        errorMessage: message,
        isCaughtUp: false,
        isFenced: true,
        shouldShutDown: false,
      } satisfies ResponseBody<'brokerHeartbeat'>;
    default:
      throw new Error(`${request.api} is not a controller API`);
  }
}
