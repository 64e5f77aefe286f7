/**
 * FindCoordinator (key 10) over the Kafka listener, versions 0-1 (reference §3): v0 asks for a group's
 * coordinator, v1 adds key_type (0 group, 1 transactional id) and an error message. The answer names the
 * coordinator by its Kafka listener: kactor's own answer carries its kactor address, which a Kafka client
 * cannot speak to.
 */
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '@kactor/kafka-protocol';
import { errorByName, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { AdapterContext, KafkaApiAdapter } from './adapter.js';

/** Kafka's `Node.noNode()`: what an answer without a coordinator names. */
const NO_NODE = { nodeId: -1, host: '', port: -1 } as const;

function withoutCoordinator(errorCode: number, errorMessage: string | null, throttleTimeMs = 0): FindCoordinatorResponse {
  return { throttleTimeMs, errorCode, errorMessage, ...NO_NODE, coordinators: [] };
}

export const findCoordinatorAdapter: KafkaApiAdapter<'FindCoordinator', 'findCoordinator'> = {
  kafkaApi: 'FindCoordinator',
  kactorApi: 'findCoordinator',
  versions: { min: 0, max: 1 },
  toKactorRequest(body: FindCoordinatorRequest): RequestBody<'findCoordinator'> {
    // v0 lacks key_type and decodes it as its default, 0: a group, the only kind v0 can ask for.
    return { key: body.key, keyType: body.keyType };
  },
  toKafkaResponse(body: ResponseBody<'findCoordinator'>, _request: FindCoordinatorRequest, _version: number, context: AdapterContext): FindCoordinatorResponse {
    if (body.errorCode !== 0) return withoutCoordinator(body.errorCode, body.errorMessage, body.throttleTimeMs);
    const endpoint = context.kafkaEndpointOf(body.nodeId);
    if (endpoint === undefined) {
      // The coordinator has no Kafka listener this broker knows of: retriable, as a coordinator still being elected.
      return withoutCoordinator(errorByName('COORDINATOR_NOT_AVAILABLE').code, `broker ${body.nodeId} coordinates this key but has no known Kafka listener`, body.throttleTimeMs);
    }
    return { throttleTimeMs: body.throttleTimeMs, errorCode: 0, errorMessage: null, nodeId: body.nodeId, host: endpoint.host, port: endpoint.port, coordinators: [] };
  },
  errorResponse(error: WireError): FindCoordinatorResponse {
    // Kafka's FindCoordinatorRequest.getErrorResponse before v4: the error and no node.
    return withoutCoordinator(error.code, error.message);
  },
};
