/**
 * How a group member reads the coordinator's answers, as plain functions: a response becomes an outcome
 * (`'NONE'` or an error name), and each error name becomes what Kafka's `AbstractCoordinator` does about
 * it. The machine's guards are one-liners over these.
 */
import type { ApiName, ErrorName } from '@kactor/protocol';
import { errorByName, errorForCode } from '@kactor/protocol';
import type { RpcResult } from '@kactor/runtime';
import type { ConsumerGroupSettings, GroupOutcome } from './group-types.js';

/** The response's top-level error code, or the failure of the request as a whole (no body then). */
export function groupOutcome<A extends ApiName>(result: RpcResult<A>): GroupOutcome<A> {
  if (!result.ok) return { errorName: failureName(result.error.name, result.error.code), body: null, message: result.error.message };
  const body = result.body as { errorCode?: number; errorMessage?: string | null };
  const code = body.errorCode ?? 0;
  if (code === 0) return { errorName: 'NONE', body: result.body, message: null };
  return { errorName: failureName(errorForCode(code).name, code), body: result.body, message: body.errorMessage ?? null };
}

function failureName(name: ErrorName, code: number): Exclude<ErrorName, 'NONE'> {
  // A wire error never carries NONE; if a peer sent one anyway, it is an unknown failure, not a success.
  return name === 'NONE' || code === 0 ? 'UNKNOWN_SERVER_ERROR' : name;
}

/**
 * JoinGroup and SyncGroup errors after which the member cannot go on (Kafka's `JoinGroupResponseHandler`
 * raises them to poll() as fatal): the group refuses this member as configured.
 */
const fatalMembershipErrors: ReadonlySet<ErrorName> = new Set<ErrorName>([
  'INCONSISTENT_GROUP_PROTOCOL',
  'INVALID_SESSION_TIMEOUT',
  'INVALID_GROUP_ID',
  'GROUP_AUTHORIZATION_FAILED',
  'GROUP_MAX_SIZE_REACHED',
  'FENCED_INSTANCE_ID',
]);

export function isFatalMembershipError(name: ErrorName): boolean {
  return fatalMembershipErrors.has(name);
}

/**
 * What the member says about a fatal error the coordinator sent without a message, when it knows more
 * than the error table: INVALID_SESSION_TIMEOUT names the session timeout it asked for and the broker
 * settings that bound it (JoinGroup carries no error message to say so).
 */
export function fatalErrorMessage(name: ErrorName, settings: Pick<ConsumerGroupSettings, 'sessionTimeoutMs'>): string | undefined {
  if (name !== 'INVALID_SESSION_TIMEOUT') return undefined;
  return (
    `session.timeout.ms ${settings.sessionTimeoutMs} is outside what the group coordinator allows: between its ` +
    `group.min.session.timeout.ms and group.max.session.timeout.ms (6000 and 1800000 by default)`
  );
}

/**
 * The coordinator moved or is gone: NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, or a request that failed
 * as a whole with a retriable error (timed out, connection lost), after which Kafka's client marks the
 * coordinator unknown and looks it up again.
 */
export function meansCoordinatorLost<A extends ApiName>(outcome: GroupOutcome<A>): boolean {
  if (outcome.errorName === 'NOT_COORDINATOR' || outcome.errorName === 'COORDINATOR_NOT_AVAILABLE') return true;
  return outcome.body === null && outcome.errorName !== 'NONE' && errorByName(outcome.errorName).retriable;
}

/** COORDINATOR_LOAD_IN_PROGRESS: the coordinator is right but still replaying its partition; retry it after a backoff. */
export function meansCoordinatorLoading<A extends ApiName>(outcome: GroupOutcome<A>): boolean {
  return outcome.errorName === 'COORDINATOR_LOAD_IN_PROGRESS';
}

/** ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID: the coordinator no longer counts this member in the generation it named. */
export function meansFenced(name: ErrorName): name is 'ILLEGAL_GENERATION' | 'UNKNOWN_MEMBER_ID' {
  return name === 'ILLEGAL_GENERATION' || name === 'UNKNOWN_MEMBER_ID';
}
