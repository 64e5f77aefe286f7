/**
 * @kactor/runtime: what every actor gets injected.
 *
 * A deterministic simulation: one seed and one simulated clock reproduce the whole run.
 * ```ts
 * const clock = new SimulatedClock({ startMs: 0 });
 * const random = createSeededRandom(42);
 * const network = new MemoryTransport({ clock, latencyMs: 1 });
 * const ports = {
 *   clock,
 *   random: fork(random, 'broker-0'),
 *   ids: createIdGenerator(fork(random, 'broker-0/ids')),
 *   logger: actorLogger(createLogger({ clock }), { node: 0, actor: 'broker' }),
 *   transport: network.forHost('broker-0'),
 * };
 * const listener = await ports.transport.listen({ host: 'broker-0', port: 9092, maxFrameBytesHard: 2 ** 20 }, onConnection);
 * await clock.advanceByAsync(1_000); // timers, frames and promise callbacks, in virtual time
 * ```
 *
 * A real process: `new SystemClock()`, `systemRandom`, `systemIdGenerator`, `new WebSocketTransport()`,
 * and `createLogger({ level: 'info', destination })`.
 */
export type { Clock, TimerHandle } from './clock/clock.js';
export type { Random } from './random/random.js';
export type { IdGenerator } from './ids/ids.js';
export type {
  Transport,
  ListenOptions,
  ConnectOptions,
  Listener,
  Connection,
  CloseReason,
  Principal,
  StructuredFrame,
  TransportFrame,
  TransportErrorCode,
} from './transport/transport.js';
export { TransportError } from './transport/transport.js';
export * from './rpc/index.js';

export { SystemClock, systemClock, type SystemClockOptions } from './clock/system-clock.js';
export {
  SimulatedClock,
  MAX_TIMER_FIRES_PER_INSTANT_DEFAULT,
  RUN_UNTIL_IDLE_MAX_TIMER_FIRES_DEFAULT,
  type SimulatedClockOptions,
} from './clock/simulated-clock.js';
export { flushMicrotasks, MICROTASK_TURNS_DEFAULT } from './clock/microtasks.js';

export { createSeededRandom, fork, SeededRandom } from './random/seeded-random.js';
export { systemRandom } from './random/system-random.js';

export { createIdGenerator, systemIdGenerator, ID_LENGTH, type DescribedIdGenerator } from './ids/id-generator.js';

export {
  createLogger,
  actorLogger,
  LOG_LEVEL_ENV,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
  type CreateLoggerOptions,
  type ActorLogBindings,
  type DestinationStream,
} from './logging/logger.js';

export { WebSocketTransport, type WebSocketTransportOptions } from './transport/ws-transport.js';
export {
  MemoryTransport,
  MEMORY_CLIENT_HOST_DEFAULT,
  type MemoryTransportOptions,
  type LatencyMs,
  type LinkFilter,
} from './transport/memory-transport.js';
export {
  CONNECT_TIMEOUT_MS_DEFAULT,
  MAX_FRAME_BYTES_HARD_DEFAULT,
  LISTENER_CLOSE_GRACE_MS,
  CloseCode,
  isSendableCloseCode,
} from './transport/constants.js';
export { actorIds } from './inspection/actor-ids.js';
export { createInspectionFilter, HIGH_RATE_EVENT_TYPES, type InspectionFilter } from './inspection/inspection-filter.js';
export { createInspection, inspectionOff, stringifyForViewer, type Inspection, type InspectFn, type InspectionOptions } from './inspection/inspection.js';
export {
  startInspectionRelay,
  INSPECTION_RELAY_ACTORS_MAX,
  INSPECTION_RELAY_CONNECTIONS_MAX,
  INSPECTION_RELAY_KEPT_BYTES_MAX,
  INSPECTION_RELAY_MESSAGE_BYTES_MAX,
  INSPECTION_RELAY_PORT_DEFAULT,
  STATELY_INSPECTOR_URL,
  type InspectionRelay,
  type InspectionRelayOptions,
} from './transport/inspection-relay.js';
export { createAccessCheck, INSPECTION_ENDPOINT_HEADER, refuseUpgrade, viewerToken, type AccessCheck, type AccessRefusal } from './transport/inspection-access.js';
export { INSPECTION_RECONNECT_MS } from './transport/inspection-socket.js';
export { createInspectionReceiver, type InspectionReceiver, type InspectionReceiverOptions } from './transport/inspection-receiver.js';
/** For tests and harnesses: await an outcome with a bound, on real or simulated time. */
export { waitFor, waitForSimulated } from './transport/test-support.js';
export type { ByteStreamConnection, ByteStreamListener, ByteStreamListenOptions } from './stream/byte-stream.js';
export { listenTcp } from './stream/tcp-listener.js';
/** For tests of byte-stream protocols: two connected in-memory ends. */
export { createMemoryStreamPair } from './stream/memory-stream.js';
