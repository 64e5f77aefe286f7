/**
 * @kactor/runtime: what every actor gets injected.
 *
 * ```ts
 * const clock = new SimulatedClock({ startMs: 0 });
 * const random = createSeededRandom(42);
 * const ids = createIdGenerator(random);
 * const network = new MemoryTransport({ clock });
 * ```
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
  TransportErrorCode,
} from './transport/transport.js';
export { TransportError } from './transport/transport.js';
