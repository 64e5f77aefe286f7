/**
 * What every client object is built from: the same injected ports as the broker's actors, so a producer
 * or consumer runs unchanged between real processes (WebSocket, system clock) and inside a deterministic
 * simulation (MemoryTransport, SimulatedClock, seeded random).
 */
import type { Clock, IdGenerator, InspectFn, Logger, Random, Transport } from '@kactor/runtime';
import type { AnyActorRef } from 'xstate';
import { createLogger, SystemClock, systemIdGenerator, systemRandom, WebSocketTransport } from '@kactor/runtime';

export interface ClientRuntime {
  readonly clock: Clock;
  /** Sticky partition choice and backoff jitter. */
  readonly random: Random;
  /** Client ids when `client.id` is not set. */
  readonly ids: IdGenerator;
  readonly transport: Transport;
  readonly logger: Logger;
  /**
   * The scheme put before each `bootstrap.servers` entry (`host:port`) to make the URL the transport
   * connects to: `ws` for WebSocketTransport (the default), `memory` for MemoryTransport. Entries written
   * as full URLs (`ws://127.0.0.1:9101`) keep their own scheme.
   */
  readonly urlScheme?: string | undefined;
  /** The cluster's shared secret, presented when connecting, when the brokers require one. */
  readonly secret?: string | undefined;
  /**
   * XState's inspect option for the client's actors (the consumer's group membership): `inspect` of
   * `createInspection(...)` from @kactor/runtime. Undefined (the default): not inspected, at no cost.
   */
  readonly inspect?: InspectFn | undefined;
  /**
   * Lists an inspected actor under a new name: pass `rename` of the same `createInspection(...)` as
   * `inspect`. The consumer's group actor starts as `consumer/<group>/<client.id>` and is renamed
   * `consumer/<group>/<member id>` once the coordinator gives it a member id. Undefined: names stay as
   * created, and the consumer does no renaming work.
   */
  readonly renameInspectedActor?: ((actorRef: AnyActorRef, id: string) => void) | undefined;
}

export interface SystemClientRuntimeOptions {
  secret?: string | undefined;
  /** Default: the logger of `createLogger()` (level from $KACTOR_LOG_LEVEL, else silent). */
  logger?: Logger | undefined;
  /**
   * Let the process exit while the client still has timers armed. Default false: a script that awaits
   * `send()` must not exit while its record waits for linger.ms; close() the client when done.
   */
  unrefTimers?: boolean | undefined;
  /** See ClientRuntime.inspect. */
  inspect?: InspectFn | undefined;
  /** See ClientRuntime.renameInspectedActor. */
  renameInspectedActor?: ((actorRef: AnyActorRef, id: string) => void) | undefined;
}

/** The runtime of a real process: system clock, OS randomness, nanoid ids, WebSocket transport. */
export function systemClientRuntime(options: SystemClientRuntimeOptions = {}): ClientRuntime {
  return {
    clock: new SystemClock({ unrefTimers: options.unrefTimers ?? false }),
    random: systemRandom,
    ids: systemIdGenerator,
    transport: new WebSocketTransport(),
    logger: options.logger ?? createLogger(),
    urlScheme: 'ws',
    secret: options.secret,
    inspect: options.inspect,
    renameInspectedActor: options.renameInspectedActor,
  };
}
