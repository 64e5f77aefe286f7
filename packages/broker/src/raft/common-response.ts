/**
 * What every KRaft response says about the quorum, whatever the API (KafkaRaftClient.maybeHandleCommonResponse and
 * maybeTransition): an older epoch is stale news; a newer epoch, FENCED_LEADER_EPOCH or NOT_LEADER_OR_FOLLOWER
 * moves this replica to the named leader (Follower) or to Unattached; a leader named for the current epoch while
 * none is known makes it a Follower. Two different leaders for one epoch can never be reconciled and throw.
 */
import type { ErrorName } from '@kactor/protocol';
import { electionOf, leaderEndpointsOf } from './epoch-state.js';
import { RaftInvariantError } from './raft-errors.js';
import type { QuorumState, QuorumTransition, RaftStepContext } from './quorum-state.js';
import { transitionToFollower, transitionToUnattached } from './quorum-transitions.js';
import { voterEndpoints } from './replica-key.js';

export interface QuorumNews {
  readonly errorCode: ErrorName;
  /** The leader the sender knows, undefined (or -1 on the wire) if none. */
  readonly leaderId?: number;
  readonly epoch: number;
  /** The leader's endpoints if the message carried them; else looked up in the voter set. */
  readonly leaderEndpoints?: readonly string[];
}

export type CommonResponseOutcome =
  /** Nothing decided here: the API's own handling goes on, from `quorum` (maybe a new Follower). */
  | { readonly kind: 'continue'; readonly quorum: QuorumState; readonly persist?: QuorumTransition['persist'] }
  /** Fully handled (stale, or the replica moved on); the API's own handling stops. */
  | { readonly kind: 'handled'; readonly quorum: QuorumState; readonly persist?: QuorumTransition['persist'] }
  /** BROKER_NOT_AVAILABLE: the peer is shutting down; back off before retrying it. */
  | { readonly kind: 'backoff'; readonly quorum: QuorumState };

function endpointsFor(quorum: QuorumState, news: QuorumNews): readonly string[] {
  if (news.leaderId === undefined) return [];
  return news.leaderEndpoints ?? voterEndpoints(quorum.config.voters, news.leaderId);
}

/**
 * Only an elected leader is ever named, so a named leader must match the one known for the same epoch. A message
 * naming this replica comes from its own epoch as leader: it still leads it, or it resigned it (Kafka's
 * hasConsistentLeader accepts both).
 */
function hasConsistentLeader(quorum: QuorumState, epoch: number, leaderId: number | undefined): boolean {
  if (leaderId !== undefined && leaderId === quorum.config.localId) return quorum.state.name === 'Leader' || quorum.state.name === 'Resigned';
  const known = electionOf(quorum.state).leaderId;
  return epoch !== quorum.state.epoch || leaderId === undefined || known === undefined || known === leaderId;
}

/** Follow what a request or response says about the epoch and its leader (KafkaRaftClient.maybeTransition). */
export function maybeTransition(quorum: QuorumState, news: Omit<QuorumNews, 'errorCode'>, context: RaftStepContext): QuorumTransition {
  const { leaderId, epoch } = news;
  if (!hasConsistentLeader(quorum, epoch, leaderId)) {
    throw new RaftInvariantError('two-leaders-in-epoch', `told leader ${leaderId} in epoch ${epoch}, but this replica knows ${electionOf(quorum.state).leaderId} in epoch ${quorum.state.epoch}`);
  }
  const endpoints = endpointsFor(quorum, { ...news, errorCode: 'NONE' });
  if (epoch > quorum.state.epoch) {
    if (leaderId !== undefined && endpoints.length > 0) return transitionToFollower(quorum, epoch, leaderId, endpoints, context);
    return transitionToUnattached(quorum, epoch, leaderId, context);
  }
  const known = electionOf(quorum.state).leaderId;
  // Named as the leader of its own epoch (a late answer to the Fetch it sent as a follower before it won, say): it
  // has nothing to learn, and a replica never follows itself.
  if (leaderId !== undefined && leaderId === quorum.config.localId) return { quorum };
  if (leaderId !== undefined && endpoints.length > 0 && (known === undefined || endpoints.length > leaderEndpointsOf(quorum.state).length)) {
    return transitionToFollower(quorum, epoch, leaderId, endpoints, context);
  }
  return { quorum };
}

export function maybeHandleCommonResponse(quorum: QuorumState, news: QuorumNews, context: RaftStepContext): CommonResponseOutcome {
  if (news.epoch < quorum.state.epoch || news.errorCode === 'UNKNOWN_LEADER_EPOCH') return { kind: 'handled', quorum };
  if (news.epoch > quorum.state.epoch || news.errorCode === 'FENCED_LEADER_EPOCH' || news.errorCode === 'NOT_LEADER_OR_FOLLOWER') {
    const moved = maybeTransition(quorum, news, context);
    return { kind: 'handled', ...moved };
  }
  const endpoints = endpointsFor(quorum, news);
  if (news.leaderId !== undefined && electionOf(quorum.state).leaderId === undefined && endpoints.length > 0) {
    // Learning the leader from any answer lets an observer find it and fetch in the same round trip.
    const moved = transitionToFollower(quorum, news.epoch, news.leaderId, endpoints, context);
    return news.errorCode === 'NONE' ? { kind: 'continue', ...moved } : { kind: 'handled', ...moved };
  }
  if (news.errorCode === 'BROKER_NOT_AVAILABLE') return { kind: 'backoff', quorum };
  if (news.errorCode === 'INVALID_REQUEST') {
    throw new RaftInvariantError('request-answered-invalid', 'a peer answered INVALID_REQUEST: this replica built a malformed request');
  }
  return { kind: 'continue', quorum };
}
