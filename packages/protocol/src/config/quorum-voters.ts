/**
 * `controller.quorum.voters` (KIP-595's static quorum): the metadata quorum's voters as `{id}@{host}:{port}`
 * entries, e.g. `0@127.0.0.1:9093,1@127.0.0.1:9095,2@127.0.0.1:9097`. Kafka parses them in
 * `QuorumConfig.parseVoterConnections`; kactor also refuses a voter id listed twice, which Kafka's map would
 * silently collapse into one voter (so the quorum would be smaller than the list reads).
 */
import { list } from './define.js';
import { ConfigValueProblem, type ConfigSpec, type HostPort } from './types.js';
import { formatHostPort, parseHostPort } from './values.js';

/** One voter of the metadata quorum: its node id and where its controller listens. */
export interface QuorumVoter extends HostPort {
  readonly id: number;
}

const entryForm = '{id}@{host}:{port}';
const voterIdPattern = /^(0|[1-9][0-9]{0,9})$/;

/** One `{id}@{host}:{port}` entry; the id is a node id (a non-negative 32-bit integer). */
export function parseQuorumVoter(raw: string): QuorumVoter {
  const text = raw.trim();
  const at = text.indexOf('@');
  if (at < 0 || text.indexOf('@', at + 1) >= 0) throw new ConfigValueProblem(`"${raw}" is not ${entryForm}`);
  const idText = text.slice(0, at);
  const id = Number(idText);
  if (!voterIdPattern.test(idText) || id > 2_147_483_647) throw new ConfigValueProblem(`voter id "${idText}" in "${raw}" is not a node id (0 to 2147483647)`);
  const address = text.slice(at + 1);
  let hostPort: HostPort;
  try {
    hostPort = parseHostPort(address);
  } catch (problem) {
    const why = problem instanceof ConfigValueProblem ? problem.message : String(problem);
    throw new ConfigValueProblem(`the address of "${raw}" is not host:port (${why}); each entry is ${entryForm}`);
  }
  return { id, host: hostPort.host, port: hostPort.port };
}

export function formatQuorumVoter(voter: QuorumVoter): string {
  return `${voter.id}@${formatHostPort(voter)}`;
}

/** The list of voters, each id at most once. */
export function quorumVoterList(options: { name: string; doc: string; note?: string; enforced?: boolean }): ConfigSpec<readonly QuorumVoter[]> {
  const inner = list<QuorumVoter>({ ...options, default: [], item: entryForm, parseItem: parseQuorumVoter, formatItem: formatQuorumVoter });
  const parse = (raw: string): readonly QuorumVoter[] => {
    const voters = inner.parse(raw);
    const seen = new Set<number>();
    for (const voter of voters) {
      if (seen.has(voter.id)) throw new ConfigValueProblem(`lists voter id ${voter.id} twice`);
      seen.add(voter.id);
    }
    return voters;
  };
  return { ...inner, expected: `a comma-separated list of ${entryForm} with distinct ids`, parse };
}
