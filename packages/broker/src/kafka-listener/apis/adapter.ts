/**
 * What one Kafka API needs to be served over the Kafka listener: the versions it is served in, and the
 * translations between Kafka's bodies and kactor's. The broker's request handlers see only kactor's bodies
 * (which kept Kafka's names and keys), so semantics live in one place and the listener is only a new edge.
 */
import type { KafkaApiName, KafkaRequestBodies, KafkaResponseBodies, RequestHeader } from '@kactor/kafka-protocol';
import type { ApiName, RequestBody, ResponseBody, WireError } from '@kactor/protocol';

/** Where a broker's Kafka listener is reached, as Metadata and FindCoordinator answers name it. */
export interface KafkaEndpoint {
  readonly host: string;
  readonly port: number;
}

/** What a response translation may need besides the bodies. */
export interface AdapterContext {
  /** A broker's advertised Kafka listener, or undefined when this broker does not know it. */
  kafkaEndpointOf(nodeId: number): KafkaEndpoint | undefined;
}

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

export interface KafkaApiAdapter<K extends KafkaApiName = KafkaApiName, A extends ApiName = ApiName> {
  readonly kafkaApi: K;
  readonly kactorApi: A;
  /**
   * The versions decoded and answered. ApiVersions advertises MinVersion 0 whatever `min` is, because
   * librdkafka turns features off when an old version is missing (reference §0); a version below `min` that
   * arrives anyway closes the connection, as Kafka closes it on a request it cannot parse.
   */
  readonly versions: VersionRange;
  /** `header` (always given by the connection) for what Kafka carries there and kactor in the body: JoinGroup's client.id. */
  toKactorRequest(body: KafkaRequestBodies[K], version: number, header?: RequestHeader): RequestBody<A>;
  toKafkaResponse(body: ResponseBody<A>, request: KafkaRequestBodies[K], version: number, context: AdapterContext): KafkaResponseBodies[K];
  /** The API's error response carrying Kafka's code (Kafka's `AbstractRequest.getErrorResponse`). */
  errorResponse(error: WireError, request: KafkaRequestBodies[K], version: number): KafkaResponseBodies[K];
}

/** Erases an adapter's type parameters for a table keyed by Kafka API name; each entry is checked where it is written. */
export type AnyKafkaApiAdapter = KafkaApiAdapter<KafkaApiName, ApiName>;

export function eraseAdapter<K extends KafkaApiName, A extends ApiName>(adapter: KafkaApiAdapter<K, A>): AnyKafkaApiAdapter {
  return adapter as unknown as AnyKafkaApiAdapter;
}
