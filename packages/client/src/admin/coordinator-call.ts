/**
 * Admin calls that go to a coordinator (a group's or a transactional id's): find it, send, and find it again whenever
 * the answer says it moved; retriable errors are retried until the call's deadline.
 */
import type { AdminConfig } from '@kactor/protocol';
import { KafkaProtocolError } from '@kactor/protocol';
import type { ClientRuntime } from '../client-runtime.js';
import type { GroupCoordinator } from '../network/find-coordinator.js';

export type WithRetries = <T>(callName: string, deadlineMs: number, attempt: (refreshMetadata: boolean) => Promise<T>) => Promise<T>;

export interface CoordinatorCallOptions {
  readonly runtime: ClientRuntime;
  readonly config: AdminConfig;
  readonly withRetries: WithRetries;
}

/** Errors after which the coordinator must be looked up again. */
const coordinatorMoved = new Set(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'NETWORK_EXCEPTION', 'REQUEST_TIMED_OUT']);

/** request.timeout.ms, or what is left of the call's deadline when that is less (at least 1 ms). */
export function requestTimeoutMs(options: CoordinatorCallOptions, deadlineMs: number): number {
  return Math.max(1, Math.min(options.config.requestTimeoutMs, deadlineMs - options.runtime.clock.now()));
}

export function callAtCoordinator<T>(
  options: CoordinatorCallOptions,
  callName: string,
  deadlineMs: number,
  find: (timeoutMs: number) => Promise<GroupCoordinator>,
  attempt: (coordinator: GroupCoordinator, requestTimeoutMs: number) => Promise<T>,
): Promise<T> {
  let coordinator: GroupCoordinator | undefined;
  return options.withRetries(callName, deadlineMs, async () => {
    const timeoutMs = requestTimeoutMs(options, deadlineMs);
    coordinator ??= await find(timeoutMs);
    try {
      return await attempt(coordinator, timeoutMs);
    } catch (error) {
      if (error instanceof KafkaProtocolError && coordinatorMoved.has(error.errorName)) coordinator = undefined;
      throw error;
    }
  });
}
