/**
 * DescribeCluster (key 60, KIP-700) over the Kafka listener, versions 0-1 (flexible): the brokers, the cluster id
 * and the controller, which kactor's Metadata answers, so it is asked as a Metadata request for no topics. Brokers
 * are named by their Kafka listener, as in Metadata answers (one whose listener is unknown is left out). v1 lets a
 * client ask for the controllers' endpoints (KIP-919): a broker serves only its own kind, so that is refused with
 * UNSUPPORTED_ENDPOINT_TYPE, as Kafka's brokers refuse it.
 */
import type { DescribeClusterRequest, DescribeClusterResponse } from '@kactor/kafka-protocol';
import { errorByName, type RequestBody, type ResponseBody, type WireError } from '@kactor/protocol';
import type { AdapterContext, KafkaApiAdapter } from './adapter.js';

/** Kafka's "authorized operations not requested". */
const AUTHORIZED_OPERATIONS_OMITTED = -2_147_483_648;
/** Kafka's EndpointType.BROKER, the only kind a broker describes. */
const BROKER_ENDPOINT_TYPE = 1;

/** endpoint_type stays BROKER in every answer: v0 lacks the field and may only hold its default, which is BROKER. */
function emptyAnswer(): DescribeClusterResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    errorMessage: null,
    endpointType: BROKER_ENDPOINT_TYPE,
    clusterId: '',
    controllerId: -1,
    brokers: [],
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

export const describeClusterAdapter: KafkaApiAdapter<'DescribeCluster', 'metadata'> = {
  kafkaApi: 'DescribeCluster',
  kactorApi: 'metadata',
  versions: { min: 0, max: 1 },
  toKactorRequest(): RequestBody<'metadata'> {
    return { topics: [], allowAutoTopicCreation: false };
  },
  toKafkaResponse(body: ResponseBody<'metadata'>, request: DescribeClusterRequest, _version: number, context: AdapterContext): DescribeClusterResponse {
    if (request.endpointType !== BROKER_ENDPOINT_TYPE) {
      const refusal = errorByName('UNSUPPORTED_ENDPOINT_TYPE');
      return { ...emptyAnswer(), errorCode: refusal.code, errorMessage: `A broker describes only brokers (endpoint type ${BROKER_ENDPOINT_TYPE}), not endpoint type ${request.endpointType}.` };
    }
    const brokers = [];
    for (const broker of body.brokers) {
      const endpoint = context.kafkaEndpointOf(broker.nodeId);
      if (endpoint !== undefined) brokers.push({ brokerId: broker.nodeId, host: endpoint.host, port: endpoint.port, rack: broker.rack });
    }
    // Kafka's cluster id is never null; a kactor broker that has not learnt it yet answers the empty string.
    return { ...emptyAnswer(), throttleTimeMs: body.throttleTimeMs, clusterId: body.clusterId ?? '', controllerId: body.controllerId, brokers };
  },
  errorResponse(error: WireError): DescribeClusterResponse {
    // As Kafka's DescribeClusterRequest.getErrorResponse: the error and its message, no brokers.
    return { ...emptyAnswer(), errorCode: error.code, errorMessage: error.message };
  },
};
