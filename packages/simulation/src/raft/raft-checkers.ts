/**
 * The invariants of Kafka's RaftEventSimulationTest (SingleLeader, MonotonicHighWatermark, MonotonicEpoch,
 * MajorityReachedHighWatermark, ConsistentCommittedData), as checkers over what a Raft simulation shows after each
 * event. Each checker keeps the history it needs (the highest high watermark seen, the epochs each node persisted,
 * the value committed at each offset) and answers the violations the new views add; they never throw, so a test
 * can feed them a planted bad history and see them catch it.
 */

/** What one node looks like between two events. */
export interface RaftNodeView {
  readonly id: number;
  readonly voter: boolean;
  /** A killed node keeps its disk (quorum-state and log) but has no state in memory. */
  readonly running: boolean;
  /** Increases with every restart: a node's in-memory high watermark starts over with its process. */
  readonly incarnation: number;
  /** What its quorum-state store holds (the epoch, the leader if known), surviving restarts. */
  readonly persisted: { readonly epoch: number; readonly leaderId?: number } | undefined;
  /** The statechart's state while running: its name, epoch and known high watermark. */
  readonly state: { readonly name: string; readonly epoch: number; readonly highWatermark: number | undefined } | undefined;
  /** The log end that survives a crash (flushed). */
  readonly durableLogEndOffset: number;
  /** The first offset the log holds; what is below it is in a snapshot (KIP-630). */
  readonly logStartOffset?: number;
  /** The oldest snapshot's end offset, if the node holds any. */
  readonly earliestSnapshotEndOffset?: number | undefined;
  /** Increases whenever the log is cut or replaced (truncation, restart, a snapshot installed), so checked prefixes are checked again. */
  readonly logVersion: number;
  /** The entry at `offset` as `epoch:payload`, undefined past the log end. */
  entryAt(offset: number): string | undefined;
}

export interface RaftViolation {
  readonly invariant: 'SingleLeader' | 'MonotonicHighWatermark' | 'MonotonicEpoch' | 'MajorityReachedHighWatermark' | 'ConsistentCommittedData' | 'SnapshotAtLogStart';
  readonly detail: string;
}

export interface RaftChecker {
  check(views: readonly RaftNodeView[]): RaftViolation[];
}

/** At most one leader per epoch, from every persisted election state and every node that is Leader in memory. */
export class SingleLeaderChecker implements RaftChecker {
  private readonly leaderOfEpoch = new Map<number, number>();

  check(views: readonly RaftNodeView[]): RaftViolation[] {
    const violations: RaftViolation[] = [];
    const claim = (epoch: number, leaderId: number, source: string) => {
      const known = this.leaderOfEpoch.get(epoch);
      if (known === undefined) this.leaderOfEpoch.set(epoch, leaderId);
      else if (known !== leaderId) violations.push({ invariant: 'SingleLeader', detail: `epoch ${epoch} has leaders ${known} and ${leaderId} (${source})` });
    };
    for (const view of views) {
      if (view.persisted?.leaderId !== undefined) claim(view.persisted.epoch, view.persisted.leaderId, `node ${view.id}'s quorum-state`);
      if (view.state?.name === 'Leader') claim(view.state.epoch, view.id, `node ${view.id} is Leader`);
    }
    return violations;
  }
}

/** The leader of the highest epoch among running nodes, if any. */
export function currentLeader(views: readonly RaftNodeView[]): RaftNodeView | undefined {
  let leader: RaftNodeView | undefined;
  for (const view of views) {
    if (view.running && view.state?.name === 'Leader' && (leader === undefined || view.state.epoch > leader.state!.epoch)) leader = view;
  }
  return leader;
}

/**
 * The high watermark of the current leader (the highest epoch's) never goes back, whichever node leads; and no node's
 * known high watermark goes back while its process runs.
 */
export class MonotonicHighWatermarkChecker implements RaftChecker {
  private leaderHighWatermark: { readonly value: number; readonly nodeId: number; readonly epoch: number } | undefined;
  private readonly nodeHighWatermark = new Map<number, { readonly incarnation: number; readonly value: number }>();

  check(views: readonly RaftNodeView[]): RaftViolation[] {
    const violations: RaftViolation[] = [];
    const leader = currentLeader(views);
    const leaderHighWatermark = leader?.state?.highWatermark;
    if (leader !== undefined && leaderHighWatermark !== undefined) {
      const previous = this.leaderHighWatermark;
      if (previous !== undefined && leaderHighWatermark < previous.value) {
        violations.push({
          invariant: 'MonotonicHighWatermark',
          detail: `leader ${leader.id} (epoch ${leader.state!.epoch}) has high watermark ${leaderHighWatermark}, below ${previous.value} of leader ${previous.nodeId} (epoch ${previous.epoch})`,
        });
      } else {
        this.leaderHighWatermark = { value: leaderHighWatermark, nodeId: leader.id, epoch: leader.state!.epoch };
      }
    }
    for (const view of views) {
      const highWatermark = view.state?.highWatermark;
      if (!view.running || highWatermark === undefined) continue;
      const previous = this.nodeHighWatermark.get(view.id);
      if (previous !== undefined && previous.incarnation === view.incarnation && highWatermark < previous.value) {
        violations.push({ invariant: 'MonotonicHighWatermark', detail: `node ${view.id}'s high watermark went from ${previous.value} to ${highWatermark}` });
        continue;
      }
      this.nodeHighWatermark.set(view.id, { incarnation: view.incarnation, value: highWatermark });
    }
    return violations;
  }
}

/** A node's persisted epoch never decreases (across restarts) and equals the epoch it runs in. */
export class MonotonicEpochChecker implements RaftChecker {
  private readonly persistedEpoch = new Map<number, number>();

  check(views: readonly RaftNodeView[]): RaftViolation[] {
    const violations: RaftViolation[] = [];
    for (const view of views) {
      const epoch = view.persisted?.epoch;
      if (epoch === undefined) continue;
      const previous = this.persistedEpoch.get(view.id);
      if (previous !== undefined && epoch < previous) violations.push({ invariant: 'MonotonicEpoch', detail: `node ${view.id}'s persisted epoch went from ${previous} to ${epoch}` });
      else this.persistedEpoch.set(view.id, epoch);
      if (view.running && view.state !== undefined && view.state.epoch !== epoch) {
        violations.push({ invariant: 'MonotonicEpoch', detail: `node ${view.id} runs in epoch ${view.state.epoch} but persisted epoch ${epoch}` });
      }
    }
    return violations;
  }
}

/** A majority of the voters hold (durably) every offset below the current leader's high watermark. */
export class MajorityReachedHighWatermarkChecker implements RaftChecker {
  check(views: readonly RaftNodeView[]): RaftViolation[] {
    const leader = currentLeader(views);
    const highWatermark = leader?.state?.highWatermark;
    if (leader === undefined || highWatermark === undefined) return [];
    const voters = views.filter((view) => view.voter);
    const reached = voters.filter((view) => view.durableLogEndOffset >= highWatermark);
    const majority = Math.floor(voters.length / 2) + 1;
    if (reached.length >= majority) return [];
    return [
      {
        invariant: 'MajorityReachedHighWatermark',
        detail: `leader ${leader.id} (epoch ${leader.state!.epoch}) has high watermark ${highWatermark} but only voters [${reached.map((view) => view.id).join(', ')}] hold it durably (durable log ends ${voters.map((view) => `${view.id}:${view.durableLogEndOffset}`).join(' ')})`,
      },
    ];
  }
}

/**
 * Below its high watermark every node holds the same entry at each offset, and an offset once committed never holds
 * anything else (on any node, at any later time). Each node's prefix is checked once, and again from the start when
 * its log was cut or it restarted.
 */
export class ConsistentCommittedDataChecker implements RaftChecker {
  private readonly committed: string[] = [];
  private readonly checked = new Map<number, { readonly incarnation: number; readonly logVersion: number; readonly upTo: number }>();

  /** The committed entries so far, offset by offset. */
  committedEntries(): readonly string[] {
    return this.committed;
  }

  check(views: readonly RaftNodeView[]): RaftViolation[] {
    const violations: RaftViolation[] = [];
    for (const view of views) {
      const highWatermark = view.state?.highWatermark;
      if (!view.running || highWatermark === undefined) continue;
      const previous = this.checked.get(view.id);
      const sameLog = previous !== undefined && previous.incarnation === view.incarnation && previous.logVersion === view.logVersion;
      let offset = sameLog ? previous.upTo : 0;
      for (; offset < highWatermark; offset += 1) {
        const entry = view.entryAt(offset);
        const committed = this.committed[offset];
        if (entry === undefined) {
          violations.push({ invariant: 'ConsistentCommittedData', detail: `node ${view.id} has high watermark ${highWatermark} but no entry at offset ${offset}` });
          break;
        }
        if (committed === undefined) {
          if (offset !== this.committed.length) throw new Error(`ConsistentCommittedData: a gap in the committed entries at ${this.committed.length}`);
          this.committed.push(entry);
        } else if (committed !== entry) {
          violations.push({ invariant: 'ConsistentCommittedData', detail: `node ${view.id} holds ${JSON.stringify(entry)} at committed offset ${offset}, where ${JSON.stringify(committed)} was committed` });
          break;
        }
      }
      this.checked.set(view.id, { incarnation: view.incarnation, logVersion: view.logVersion, upTo: offset });
    }
    return violations;
  }

  /** The end-of-run validation: every running node's whole committed prefix again, from offset 0. */
  validateAll(views: readonly RaftNodeView[]): RaftViolation[] {
    this.checked.clear();
    return this.check(views);
  }
}

/**
 * Kafka's SnapshotAtLogStart: a log that starts past 0 starts where its oldest snapshot ends, so what the log no
 * longer holds is in a snapshot, and nothing more (checked on running and killed nodes alike: it is about the disk).
 */
export class SnapshotAtLogStartChecker implements RaftChecker {
  check(views: readonly RaftNodeView[]): RaftViolation[] {
    return views
      .filter((view) => (view.logStartOffset ?? 0) > 0 && view.earliestSnapshotEndOffset !== view.logStartOffset)
      .map((view) => ({ invariant: 'SnapshotAtLogStart', detail: `node ${view.id}'s log starts at ${view.logStartOffset} but its oldest snapshot ends at ${view.earliestSnapshotEndOffset ?? 'none'}` }));
  }
}

/** Every invariant, checked together after each event. */
export class RaftInvariants implements RaftChecker {
  readonly consistentCommittedData = new ConsistentCommittedDataChecker();
  private readonly checkers: readonly RaftChecker[] = [
    new SingleLeaderChecker(),
    new MonotonicHighWatermarkChecker(),
    new MonotonicEpochChecker(),
    new MajorityReachedHighWatermarkChecker(),
    new SnapshotAtLogStartChecker(),
    this.consistentCommittedData,
  ];

  check(views: readonly RaftNodeView[]): RaftViolation[] {
    return this.checkers.flatMap((checker) => checker.check(views));
  }
}
