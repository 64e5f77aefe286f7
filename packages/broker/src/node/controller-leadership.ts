/**
 * When a voter's controller may act as the active controller (Kafka's `ListenerContext.maybeFireLeaderChange` in
 * KafkaRaftClient): the Raft replica can lead before its controller has the whole committed state, so a new leader's
 * controller is told it leads (`claim`) only once the committed records it has been given reach the start of the
 * leader's epoch, i.e. once the epoch's first record (its LeaderChangeMessage) is committed. Every record of earlier
 * epochs that will ever commit is then in the controller's state, and what it writes next builds on all of it.
 * Losing leadership (`renounce`) is told at once, whatever was committed.
 */

export interface LeaderChange {
  readonly leaderId: number | undefined;
  readonly epoch: number;
  /** This replica is the Raft leader of `epoch`. */
  readonly isLocal: boolean;
  /** Where the leader's epoch starts (its LeaderChangeMessage); set when `isLocal`. */
  readonly epochStartOffset: number | undefined;
}

export interface ControllerLeadershipPort {
  claim(epoch: number): void;
  renounce(leaderId: number | undefined): void;
}

export class ControllerLeadership {
  /** The epoch this replica leads and where it starts, until the controller has been told it leads. */
  private pendingClaim: { epoch: number; epochStartOffset: number } | undefined;
  private claimedEpoch: number | undefined;
  private highWatermark = 0;

  constructor(private readonly port: ControllerLeadershipPort) {}

  /** The controller holds every committed record below `highWatermark`. */
  onCommitted(highWatermark: number): void {
    if (highWatermark < this.highWatermark) throw new Error(`the high watermark went back from ${this.highWatermark} to ${highWatermark}`);
    this.highWatermark = highWatermark;
    this.maybeClaim();
  }

  onLeaderChanged(change: LeaderChange): void {
    if (this.claimedEpoch !== undefined && !(change.isLocal && change.epoch === this.claimedEpoch)) {
      this.claimedEpoch = undefined;
      this.port.renounce(change.leaderId);
    }
    if (!change.isLocal) {
      this.pendingClaim = undefined;
      return;
    }
    if (change.epochStartOffset === undefined) throw new Error(`the local leader of epoch ${change.epoch} has no epoch start offset`);
    if (this.claimedEpoch === change.epoch) return;
    this.pendingClaim = { epoch: change.epoch, epochStartOffset: change.epochStartOffset };
    this.maybeClaim();
  }

  /** The epoch whose leadership the controller holds, if any. */
  get activeEpoch(): number | undefined {
    return this.claimedEpoch;
  }

  private maybeClaim(): void {
    const pending = this.pendingClaim;
    if (pending === undefined || this.highWatermark <= pending.epochStartOffset) return;
    this.pendingClaim = undefined;
    this.claimedEpoch = pending.epoch;
    this.port.claim(pending.epoch);
  }
}
