/**
 * Generations and epochs going back (checked with the checkers' EpochWatch):
 * - per member, the generation (classic) or member epoch (KIP-848) it reports in member.state and in its
 *   assigned, revoked and lost events must never decrease. The "no generation" values (-1 outside a
 *   generation, 0 before KIP-848's first answer) are not generations and are skipped. A member that crashed,
 *   closed, started again or lost its partitions (fenced, evicted) legitimately joins again as a new member,
 *   so its history starts over there: each such incarnation is watched on its own;
 * - per observer and key, every epoch.observed (a partition's leader epoch as a client or broker saw it)
 *   must never decrease.
 */
import { EpochWatch } from '../../checkers/epochs.js';
import type { Violation } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { isGeneration, ViolationList } from './trace-vocabulary.js';

const SEPARATOR = '\u0000';

export class EpochsAnalyzer implements TraceObserver {
  private readonly generations = new EpochWatch();
  private readonly leaderEpochs = new EpochWatch();
  /** Member -> how many times its generation history started over. */
  private readonly incarnations = new Map<string, number>();

  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'member.state':
      case 'member.assigned':
      case 'member.revoked':
        this.generation(event.member, event.generation);
        return;
      case 'member.lost':
        // A loss names the generation its partitions were assigned in, which may be older than the member's
        // latest one (KIP-848 bumps a member's epoch without a new assignment, and a member that went STALE
        // after max.poll.interval.ms has already dropped its epoch): not a generation the member is in now.
        this.startOver(event.member);
        return;
      case 'member.started':
      case 'member.crashed':
      case 'member.closed':
        this.startOver(event.member);
        return;
      case 'epoch.observed':
        this.leaderEpochs.observe(event.key, event.epoch, event.observer);
        return;
      default:
        return;
    }
  }

  result(): Violation[] {
    const violations = new ViolationList('epoch-regression');
    for (const regression of this.generations.regressions) {
      const member = regression.observer.split(SEPARATOR)[0];
      violations.add(`${member}: generation went back from ${regression.previousEpoch} to ${regression.epoch}`);
    }
    for (const regression of this.leaderEpochs.regressions) {
      violations.add(`${regression.observer}: epoch of ${regression.key} went back from ${regression.previousEpoch} to ${regression.epoch}`);
    }
    return violations.result();
  }

  private generation(member: string, generation: number): void {
    if (!isGeneration(generation)) return;
    this.generations.observe('generation', generation, `${member}${SEPARATOR}${this.incarnations.get(member) ?? 0}`);
  }

  private startOver(member: string): void {
    this.incarnations.set(member, (this.incarnations.get(member) ?? 0) + 1);
  }
}
