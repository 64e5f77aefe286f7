import { parseConfig } from '@kactor/protocol';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../program.js';
import { CliError } from './errors.js';
import { clusterQuorumOverrides, defaultControllerCount, placeVoters, quorumVotersValue } from './quorum-placement.js';

describe('cluster up --controllers: where the metadata quorum votes', () => {
  it('by default 1 voter for 1 or 2 nodes (a majority of two would be both), and 3 for 3 nodes or more', () => {
    expect([1, 2, 3, 4, 5, 7].map(defaultControllerCount)).toEqual([1, 1, 3, 3, 3, 3]);
    expect(placeVoters(3, undefined)).toEqual([0, 1, 2]);
    expect(placeVoters(1, undefined)).toEqual([0]);
    expect(placeVoters(5, undefined)).toEqual([0, 1, 2]);
  });

  it('--controllers M: nodes 0..M-1 vote, any count from 1 to --brokers (even ones too, as Kafka allows)', () => {
    expect(placeVoters(5, 3)).toEqual([0, 1, 2]);
    expect(placeVoters(5, 4)).toEqual([0, 1, 2, 3]);
    expect(placeVoters(5, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(placeVoters(5, 1)).toEqual([0]);
  });

  it('refuses fewer than 1 or more voters than nodes, with one line', () => {
    expect(() => placeVoters(3, 4)).toThrow(new CliError('--controllers 4 is more than --brokers 3: every voter is one of the nodes'));
    expect(() => placeVoters(3, 0)).toThrow(new CliError('--controllers must be at least 1, got 0'));
  });

  it("every node gets controller.quorum.voters naming each voter's own port, which the broker config parses back", () => {
    const value = quorumVotersValue([0, 1, 2], '127.0.0.1', 9100);
    expect(value).toBe('0@127.0.0.1:9100,1@127.0.0.1:9101,2@127.0.0.1:9102');
    const { overrides, voterIds } = clusterQuorumOverrides(['leader.imbalance.check.interval.seconds=10'], [0, 1, 2], '127.0.0.1', 9100);
    expect(overrides).toEqual([`controller.quorum.voters=${value}`, 'leader.imbalance.check.interval.seconds=10']);
    expect(voterIds).toEqual([0, 1, 2]);
    const config = parseConfig('broker', { 'node.id': '4', 'process.roles': 'broker', 'controller.quorum.voters': value });
    expect(config.controllerQuorumVoters.map((voter) => voter.id)).toEqual([0, 1, 2]);
  });

  it('a controller.quorum.voters the user gave with --override is kept as given, and its ids are the voters', () => {
    const { overrides, voterIds } = clusterQuorumOverrides(['controller.quorum.voters=2@127.0.0.1:9102,0@127.0.0.1:9100'], [0, 1, 2], '127.0.0.1', 9100);
    expect(overrides).toEqual(['controller.quorum.voters=2@127.0.0.1:9102,0@127.0.0.1:9100']);
    expect(voterIds).toEqual([0, 2]);
  });

  it('cluster up --help says what --controllers defaults to', () => {
    const up = buildProgram().commands.find((command) => command.name() === 'cluster')?.commands.find((command) => command.name() === 'up');
    const help = up?.options.find((option) => option.long === '--controllers')?.description;
    expect(help).toContain('default: 1 voter for 1 or 2 brokers, else 3');
  });
});
