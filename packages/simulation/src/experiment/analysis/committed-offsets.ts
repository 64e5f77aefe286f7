/**
 * Committed offsets going back: per group and partition, each acknowledged commit (offset.committed, the next
 * offset to read) must be at or past the one acknowledged before it. A commit that goes back makes the group
 * read again what it had finished (a stale member's late commit, a coordinator that lost a write).
 * Refused commits (offset.commitFailed) are not looked at: the coordinator did not take them.
 */
import type { Violation } from '../model.js';
import type { TraceEvent, TraceObserver } from '../trace.js';
import { ViolationList } from './trace-vocabulary.js';

export class CommittedOffsetsAnalyzer implements TraceObserver {
  /** `<group> <partition>` -> the last acknowledged committed offset and who committed it. */
  private readonly latest = new Map<string, { offset: number; member: string }>();
  private readonly violations = new ViolationList('committed-offset-regression');

  observe(event: TraceEvent): void {
    if (event.type !== 'offset.committed') return;
    const key = `${event.group} ${event.partition}`;
    const previous = this.latest.get(key);
    if (previous !== undefined && event.offset < previous.offset) {
      this.violations.add(`${event.group}: ${event.partition} committed offset went back from ${previous.offset} (by ${previous.member}) to ${event.offset} (by ${event.member}, generation ${event.generation})`);
    }
    this.latest.set(key, { offset: event.offset, member: event.member });
  }

  result(): Violation[] {
    return this.violations.result();
  }
}
