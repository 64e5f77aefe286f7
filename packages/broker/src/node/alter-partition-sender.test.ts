import { errorByName } from '@kactor/protocol';
import { createLogger, type PeerRequester } from '@kactor/runtime';
import { describe, expect, it } from 'vitest';
import { applyAlterPartitionAnswer, proposeIsrShrink, leaderIsrState, type AlterPartitionAnswer } from '../replication/index.js';
import { AlterPartitionSender } from './alter-partition-sender.js';

/** Leader 0 of orders-0 proposes to drop replica 2 from the ISR [0, 1, 2]. */
const proposal = proposeIsrShrink(leaderIsrState(0, [0, 1, 2], 3, 7), [2]);
if (proposal === undefined) throw new Error('the fixture proposes a shrink');
const requested = { type: 'isr.alterPartitionRequested' as const, topic: 'orders', partition: 0, topicId: 'topic-orders', request: proposal.request };

function senderAt(locate: { url: string | undefined }) {
  const sent: Array<{ url: string; answer(result: unknown): void }> = [];
  const peers: PeerRequester = { request: (url, _api, _body, onResult) => void sent.push({ url, answer: (result) => onResult(result as never) }) };
  const answers: AlterPartitionAnswer[] = [];
  const sender = new AlterPartitionSender({
    brokerId: 0,
    peers,
    logger: createLogger({ level: 'silent' }),
    controllerUrl: () => locate.url,
    brokerEpoch: () => 4,
    answer: (_topic, _partition, answer) => void answers.push(answer),
  });
  return { sender, sent, answers };
}

const outcomeOf = (answer: AlterPartitionAnswer | undefined) => applyAlterPartitionAnswer(proposal.state, answer as AlterPartitionAnswer).outcome;

describe('AlterPartitionSender: the controller may move', () => {
  it('NOT_CONTROLLER reaches the partition as a retry, and the resend goes to the controller known then', () => {
    const locate: { url: string | undefined } = { url: 'ws://controller-0:9100' };
    const { sender, sent, answers } = senderAt(locate);
    sender.send(requested);
    locate.url = 'ws://controller-2:9100';
    sent[0]?.answer({ ok: true, body: { throttleTimeMs: 0, errorCode: errorByName('NOT_CONTROLLER').code, errorMessage: 'The active controller appears to be node 2', topics: [] } });
    expect(answers).toEqual([{ error: 'NOT_CONTROLLER' }]);
    expect(outcomeOf(answers[0])).toBe('retry');
    // The partition's retry timer fires: it emits the same proposal again (resendAlterPartition).
    sender.send(requested);
    expect(sent.map((request) => request.url)).toEqual(['ws://controller-0:9100', 'ws://controller-2:9100']);
  });

  it('a request that got no answer (the controller is gone) reaches the partition as a retry', () => {
    const { sender, sent, answers } = senderAt({ url: 'ws://controller-0:9100' });
    sender.send(requested);
    sent[0]?.answer({ ok: false, error: { code: errorByName('NETWORK_EXCEPTION').code, name: 'NETWORK_EXCEPTION', message: 'the peer went away', retriable: true } });
    expect(answers).toEqual([{ error: 'NETWORK_EXCEPTION' }]);
    expect(outcomeOf(answers[0])).toBe('retry');
  });

  it('while no controller is known nothing is sent and the partition is told NOT_CONTROLLER, to retry', () => {
    const locate: { url: string | undefined } = { url: undefined };
    const { sender, sent, answers } = senderAt(locate);
    sender.send(requested);
    expect(sent).toEqual([]);
    expect(answers).toEqual([{ error: 'NOT_CONTROLLER' }]);
    expect(outcomeOf(answers[0])).toBe('retry');
    locate.url = 'ws://controller-1:9100';
    sender.send(requested);
    expect(sent.map((request) => request.url)).toEqual(['ws://controller-1:9100']);
  });
});
