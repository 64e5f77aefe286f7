/**
 * The data inside a classic group's JoinGroup metadata and SyncGroup assignment when the protocol type
 * is "consumer": Kafka's `ConsumerProtocolSubscription` and `ConsumerProtocolAssignment` (both v0-v3,
 * `clients/src/main/resources/common/message/ConsumerProtocol*.json`). The broker never reads these
 * bytes; the group leader decodes every member's subscription, runs the assignor, and encodes one
 * assignment per member.
 */

/** JoinGroup's `protocolType` for consumers: the coordinator only groups members of the same type. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

/** The newest version of both schemas; encoders write it by default, as Kafka's clients do. */
export const CONSUMER_PROTOCOL_LATEST_VERSION = 3;

/** Partitions of one topic, as both schemas carry them (`[topic STRING, partitions [INT32]]`). */
export interface ConsumerProtocolTopicPartitions {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/**
 * One member's subscription as it travels in JoinGroup. Fields a version lacks hold Kafka's defaults
 * after decoding: no owned partitions (v0), generation -1 (v0-v1), no rack (v0-v2).
 */
export interface ConsumerProtocolSubscription {
  /** Subscribed topic names (Kafka's encoder sorts them). */
  readonly topics: readonly string[];
  /** Assignor-specific data (the eager sticky assignor keeps its previous assignment here), or null. */
  readonly userData: Uint8Array | null;
  /** v1+: the partitions the member holds now, for sticky and cooperative assignors (KIP-429). */
  readonly ownedPartitions: readonly ConsumerProtocolTopicPartitions[];
  /** v2+: the generation in which the member got its owned partitions, -1 when unknown (KIP-792). */
  readonly generationId: number;
  /** v3+: the member's `client.rack`, for rack-aware assignment (KIP-881), or null. */
  readonly rackId: string | null;
}

/** What `encodeSubscription` accepts: the topics, and any other field (absent ones take the defaults). */
export interface ConsumerProtocolSubscriptionInput {
  readonly topics: readonly string[];
  readonly userData?: Uint8Array | null;
  readonly ownedPartitions?: readonly ConsumerProtocolTopicPartitions[];
  readonly generationId?: number;
  readonly rackId?: string | null;
}

/** One member's share of the group as it travels in SyncGroup. */
export interface ConsumerProtocolAssignment {
  readonly assignedPartitions: readonly ConsumerProtocolTopicPartitions[];
  readonly userData: Uint8Array | null;
}

/** What `encodeAssignment` accepts (no user data unless given). */
export interface ConsumerProtocolAssignmentInput {
  readonly assignedPartitions: readonly ConsumerProtocolTopicPartitions[];
  readonly userData?: Uint8Array | null;
}

/**
 * Why bytes could not be read, as data (Kafka's `SchemaException` cases):
 * - `UNSUPPORTED_VERSION`: a negative version (every version from 0 up is read; newer ones as v3).
 * - `TRUNCATED`: the bytes end inside a field.
 * - `INVALID_FIELD`: a null where the schema allows none, or an array longer than the bytes left.
 */
export interface ConsumerProtocolProblem {
  readonly kind: 'UNSUPPORTED_VERSION' | 'TRUNCATED' | 'INVALID_FIELD';
  readonly message: string;
  /** Byte offset where the offending field starts. */
  readonly position: number;
}

/** A decoder's answer: the value and the version the bytes declared, or the problem. */
export type ConsumerProtocolDecodeResult<T> =
  | { readonly ok: true; readonly version: number; readonly value: T }
  | { readonly ok: false; readonly problem: ConsumerProtocolProblem };

/**
 * Thrown by the encoders for values the format cannot carry: a string longer than 32,767 UTF-8 bytes,
 * a partition or generation outside int32, a negative version. These are programming errors, never
 * caused by what a peer sent.
 */
export class ConsumerProtocolEncodeError extends Error {
  override readonly name = 'ConsumerProtocolEncodeError';
}
