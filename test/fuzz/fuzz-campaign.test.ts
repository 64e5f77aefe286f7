/**
 * The fuzz checker catches what it claims to: planted stub nodes that stay silent, answer what no client can
 * decode, answer for another API, answer a frame never sent, crash, or stop serving each make the campaign
 * report a violation, while an honest stub (which refuses every frame properly) passes.
 */
import { apis, encodeErrorFrame, encodeRawFrame, readFrameHeader, wireError } from '@kactor/protocol';
import { MemoryTransport, SimulatedClock, type Connection } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { runCampaign, type FuzzTarget } from './fuzz-campaign.js';

type Fault = 'none' | 'silentOnMetadata' | 'undecodableMetadata' | 'wrongApi' | 'unsolicited' | 'crashOnFetch' | 'stopsServing';

/** A node that answers every frame with an error frame, except where its fault says otherwise. */
async function stubTarget(fault: Fault): Promise<FuzzTarget> {
  const clock = new SimulatedClock({ startMs: 0 });
  const network = new MemoryTransport({ clock });
  const listener = await network.listen({ host: 'stub', port: 9100, maxFrameBytesHard: 200 * 1024 * 1024 }, (connection) => {
    connection.onFrame((frame) => {
      const header = readFrameHeader(frame);
      const apiKey = header?.apiKey ?? 0;
      const correlationId = header?.correlationId ?? 0;
      if (fault === 'silentOnMetadata' && apiKey === apis.metadata.key) return;
      if (fault === 'crashOnFetch' && apiKey === apis.fetch.key) throw new Error('planted crash while handling a fetch');
      if (fault === 'undecodableMetadata' && apiKey === apis.metadata.key && header?.kind === 0) {
        connection.send(encodeRawFrame('response', apiKey, 0, correlationId, { brokers: 'not a list' }));
        return;
      }
      if (fault === 'wrongApi' && apiKey === apis.metadata.key) {
        connection.send(encodeErrorFrame(apis.fetch.key, 0, correlationId, wireError('INVALID_REQUEST', 'stub')));
        return;
      }
      if (fault === 'unsolicited' && correlationId === 3) connection.send(encodeErrorFrame(apiKey, 0, 999_999, wireError('INVALID_REQUEST', 'stub')));
      connection.send(encodeErrorFrame(apiKey, header?.apiVersion ?? 0, correlationId, wireError('INVALID_REQUEST', 'stub refuses everything')));
    });
  });
  const fuzzer = network.forHost('fuzzer');
  return {
    async connect(): Promise<Connection> {
      const opening = fuzzer.connect(listener.url);
      await clock.advanceByAsync(1);
      return opening;
    },
    advance: (ms) => clock.advanceByAsync(ms),
    stillServing: () => Promise.resolve(fault === 'stopsServing' ? 'planted: metadata no longer answered' : undefined),
  };
}

const campaign = (fault: Fault) => stubTarget(fault).then((target) => runCampaign(target, { seed: 7, frames: 600, horizonMs: 1_000 }));

describe('fuzz checker', () => {
  it('passes an honest node that refuses every frame with an error frame', async () => {
    const report = await campaign('none');
    expect(report.violations, report.summary).toEqual([]);
    expect(report.answered).toBe(600);
  });

  it('reports frames neither answered nor closed (a node silent on Metadata)', async () => {
    const report = await campaign('silentOnMetadata');
    expect(report.violations.some((violation) => /\(\w+ metadata\) on connection \d+ was neither answered nor its connection closed/.test(violation)), report.summary).toBe(true);
  });

  it('reports an answer the client cannot decode', async () => {
    const report = await campaign('undecodableMetadata');
    expect(report.violations.some((violation) => violation.includes('its answer does not decode: CORRUPT_MESSAGE')), report.summary).toBe(true);
  });

  it('reports an answer for another API than the frame asked', async () => {
    const report = await campaign('wrongApi');
    expect(report.violations.some((violation) => violation.includes(`answered as api key ${apis.fetch.key}, asked as ${apis.metadata.key}`)), report.summary).toBe(true);
  });

  it('reports an answer to a frame never sent', async () => {
    const report = await campaign('unsolicited');
    expect(report.violations.some((violation) => violation.includes('correlation id 999999 that matches no frame sent')), report.summary).toBe(true);
  });

  it('reports a crash with the round of frames it happened in, and stops sending', async () => {
    const report = await campaign('crashOnFetch');
    expect(report.violations[0]).toMatch(/^crash during the round of frames #\d+-#\d+ \(.*fetch.*\): Error: planted crash while handling a fetch/);
    expect(report.framesSent).toBeLessThan(600);
  });

  it('reports a node that no longer serves a normal client after the campaign, with the seed to reproduce', async () => {
    const report = await campaign('stopsServing');
    expect(report.violations).toEqual(['after the campaign the node no longer serves a normal client: planted: metadata no longer answered']);
    expect(report.summary).toContain('fuzz seed 7');
  });
});
