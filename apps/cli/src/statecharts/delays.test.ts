import { describe, expect, it } from 'vitest';
import { renderMermaid } from './mermaid.js';
import { chartOf } from './model.js';
import { delayConfigName, delayLabel } from './delays.js';
import { RAFT_MACHINE_NAME } from '../dashboard/inspected-actors.js';
import { createStatechartImages } from '../dashboard/statechart-images.js';
import { STATECHARTS } from './registry.js';

describe('delay labels', () => {
  it("name each Raft replica timer after its controller.quorum.* setting, where a consumer's delay of the same name keeps its own", () => {
    expect(delayLabel('electionTimeout', 'raft-replica')).toBe('electionTimeout (controller.quorum.election.timeout.ms)');
    expect(delayLabel('retryBackoff', 'raft-replica')).toBe('retryBackoff (controller.quorum.retry.backoff.ms)');
    expect(delayLabel('retryBackoff', 'consumerGroup')).toBe('retryBackoff (retry.backoff.ms)');
    expect(delayLabel('retryBackoff')).toBe('retryBackoff (retry.backoff.ms)');
    expect(delayConfigName('fetchMaxWait', 'raft-replica')).toBe("the Fetch's MaxWaitMs, 500 ms");
    expect(delayLabel(500)).toBe('500 ms');
  });

  it("the raft chart's arrows say the quorum settings", () => {
    const mermaid = renderMermaid(chartOf(STATECHARTS.raft!.machine));
    expect(mermaid).toContain('after electionTimeout (controller.quorum.election.timeout.ms)');
    expect(mermaid).toContain('after retryBackoff (controller.quorum.retry.backoff.ms)');
    expect(mermaid).not.toContain('(retry.backoff.ms)');
  });

  it('the Raft replica is registered under the name the dashboard highlights its leader by', () => {
    expect(STATECHARTS[RAFT_MACHINE_NAME]?.machine.id).toBe('raft-replica');
    expect(createStatechartImages().machineNames.get('raft-replica')).toBe(RAFT_MACHINE_NAME);
  });
});
