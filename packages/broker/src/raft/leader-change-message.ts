/**
 * The first record of every leader epoch: a LeaderChangeMessage control record at `epochStartOffset`
 * (LeaderState.appendStartOfEpochControlRecords, LeaderChangeMessage.json, control type LEADER_CHANGE = 2). The high
 * watermark only moves once a majority holds it, so it is what commits everything earlier epochs left behind.
 */
import type { LeaderState } from './leader-state.js';

/** ControlRecordType.LEADER_CHANGE. */
export const LEADER_CHANGE_CONTROL_TYPE = 2;

export interface LeaderChangeMessage {
  readonly version: 0;
  readonly leaderId: number;
  readonly voters: readonly { readonly voterId: number }[];
  readonly grantingVoters: readonly { readonly voterId: number }[];
}

export function leaderChangeMessage(state: LeaderState): LeaderChangeMessage {
  return {
    version: 0,
    leaderId: state.localId,
    voters: state.voterIds.map((voterId) => ({ voterId })),
    grantingVoters: state.grantingVoters.map((voterId) => ({ voterId })),
  };
}
