/**
 * Golden bytes printed by Apache Kafka's own encoder, kafka-clients 4.4.0 from Maven Central, in a
 * throwaway Java program outside this repository:
 *   `ConsumerProtocol.serializeSubscription(subscription, version)` and
 *   `ConsumerProtocol.serializeAssignment(assignment, version)`, printed as hex.
 * The Java inputs are written next to each constant. Test support only: not exported from the package.
 */

/**
 * `new Subscription(List.of("orders", "clicks"), utf8("ud"), List.of(orders-2, clicks-1, orders-0), 7,
 * Optional.of("rack-a"))` at versions 0-3: Kafka sorts the topics and the owned partitions.
 */
export const KAFKA_FULL_SUBSCRIPTION = [
  '0000000000020006636c69636b7300066f7264657273000000027564',
  '0001000000020006636c69636b7300066f7264657273000000027564000000020006636c69636b73000000010000000100066f7264657273000000020000000000000002',
  '0002000000020006636c69636b7300066f7264657273000000027564000000020006636c69636b73000000010000000100066f726465727300000002000000000000000200000007',
  '0003000000020006636c69636b7300066f7264657273000000027564000000020006636c69636b73000000010000000100066f72646572730000000200000000000000020000000700067261636b2d61',
] as const;

/** `new Subscription(List.of("t1"))` (no user data, no owned partitions) at versions 0-3. */
export const KAFKA_BARE_SUBSCRIPTION = [
  '00000000000100027431ffffffff',
  '00010000000100027431ffffffff00000000',
  '00020000000100027431ffffffff00000000ffffffff',
  '00030000000100027431ffffffff00000000ffffffffffff',
] as const;

/** `new Subscription(List.of(), ByteBuffer.allocate(0), List.of())` at version 1: empty, not null, user data. */
export const KAFKA_EMPTY_USER_DATA_SUBSCRIPTION_V1 = '0001000000000000000000000000';

/** `new Subscription(List.of("événements"), null, List.of(), -1, Optional.of("zürich"))` at version 3. */
export const KAFKA_UNICODE_SUBSCRIPTION_V3 =
  '000300000001000cc3a976c3a96e656d656e7473ffffffff00000000ffffffff00077ac3bc72696368';

/** `new Assignment(List.of(orders-0, orders-3, clicks-5), utf8("x"))` at versions 0-3. */
export const KAFKA_FULL_ASSIGNMENT = [
  '00000000000200066f72646572730000000200000000000000030006636c69636b7300000001000000050000000178',
  '00010000000200066f72646572730000000200000000000000030006636c69636b7300000001000000050000000178',
  '00020000000200066f72646572730000000200000000000000030006636c69636b7300000001000000050000000178',
  '00030000000200066f72646572730000000200000000000000030006636c69636b7300000001000000050000000178',
] as const;

/** `new Assignment(List.of())` at versions 0 and 3. */
export const KAFKA_EMPTY_ASSIGNMENT_V0 = '000000000000ffffffff';
export const KAFKA_EMPTY_ASSIGNMENT_V3 = '000300000000ffffffff';

/**
 * The v3 full subscription with its version patched to 9 and four more bytes (int32 12345) appended:
 * Kafka's `deserializeSubscription` read it as topics [clicks, orders], 2 bytes of user data, owned
 * [clicks-1, orders-0, orders-2], generation 7, rack "rack-a".
 */
export const KAFKA_READABLE_FUTURE_SUBSCRIPTION_V9 =
  '0009000000020006636c69636b7300066f7264657273000000027564000000020006636c69636b73000000010000000100066f72646572730000000200000000000000020000000700067261636b2d6100003039';
