/**
 * The cluster id every node of a `cluster up` shares (what Kafka's `kafka-storage format --cluster-id` writes into
 * each log directory's meta.properties). `cluster up` keeps it in `<data-dir>/cluster.id`: made on the first `up`, read
 * on every later one, so the nodes' data directories always match it. A data directory from before that file existed
 * keeps its own: the first node directory whose meta.properties names a cluster gives the id.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileMetaPropertiesStore } from '@kactor/broker';
import type { Random } from '@kactor/runtime';
import { CliError } from './errors.js';

export const CLUSTER_ID_FILE_NAME = 'cluster.id';
const UUID_BYTES = 16;

/**
 * A random version-4 UUID written as Kafka writes its `Uuid`: 22 characters of unpadded base64url. As Kafka's
 * `Uuid.randomUuid`, never one starting with a dash, which a command line would take for a flag.
 */
export function newClusterId(random: Random): string {
  for (;;) {
    const bytes = Buffer.from(random.nextBytes(UUID_BYTES));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const id = bytes.toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function readClusterIdFile(path: string): string | undefined {
  let contents: string;
  try {
    contents = readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read the cluster id file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!/^[A-Za-z0-9_][A-Za-z0-9_-]*$/.test(contents)) throw new CliError(`the cluster id file ${path} holds no valid cluster id (letters, digits, _ and -)`);
  return contents;
}

function clusterIdOfNodeDirs(nodeDirs: readonly string[]): string | undefined {
  for (const dir of nodeDirs) {
    try {
      const clusterId = new FileMetaPropertiesStore(dir).read()?.clusterId;
      if (clusterId !== null && clusterId !== undefined) return clusterId;
    } catch {
      // An unreadable meta.properties is the node's to refuse, with its own message, when it starts.
    }
  }
  return undefined;
}

/**
 * The cluster id of the cluster in `dataDir`: its `cluster.id`, else the one a node directory's meta.properties names,
 * else a new one; written to `cluster.id` when it was not there.
 */
export function ensureClusterId(dataDir: string, nodeDirs: readonly string[], random: Random): string {
  const path = join(dataDir, CLUSTER_ID_FILE_NAME);
  const kept = readClusterIdFile(path);
  if (kept !== undefined) return kept;
  const clusterId = clusterIdOfNodeDirs(nodeDirs) ?? newClusterId(random);
  try {
    writeFileSync(path, `${clusterId}\n`, { flag: 'wx' });
  } catch (error) {
    // Another `cluster up` of the same directory wrote it first: theirs is the one every node gets.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readClusterIdFile(path) ?? clusterId;
    throw new CliError(`cannot write the cluster id file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return clusterId;
}
