/**
 * The cluster credential: what brokers and the controller present to each other, so that only they may send
 * control-plane requests (UpdateMetadata, BrokerRegistration, BrokerHeartbeat). It is distinct from the
 * clients' shared secret (--secret-file / KACTOR_SECRET): a client that holds that one is still a client.
 *
 * Where it comes from, first match wins: `--cluster-secret-file F`, the environment variable
 * KACTOR_CLUSTER_SECRET, the file `cluster.secret` in the node's data directory. A node that is a cluster on its own
 * (the one controller, or the only voter of controller.quorum.voters) with none of these generates one into its data
 * directory (mode 0600); `cluster up` does so once for all its brokers.
 * So the control plane is closed to clients even when no client secret is set (the local default).
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemRandom } from '@kactor/runtime';
import { CliError } from './cli-error.js';
import { CLUSTER_SECRET_ENV, CLUSTER_SECRET_FILE_NAME } from './cluster-secret-names.js';

export { CLUSTER_SECRET_ENV, CLUSTER_SECRET_FILE_NAME };
/** 32 random bytes, written as 64 hex characters. */
const GENERATED_SECRET_BYTES = 32;

export interface ClusterSecretSource {
  clusterSecretFile?: string | undefined;
  /** The node's data directory, where `cluster.secret` is looked for (and generated). */
  dataDir: string;
  /** A controller node may generate the secret; a broker joining one must be given it. */
  mayGenerate: boolean;
}

export function resolveClusterSecret(source: ClusterSecretSource): string {
  if (source.clusterSecretFile !== undefined) return readSecretFile(source.clusterSecretFile);
  const fromEnvironment = process.env[CLUSTER_SECRET_ENV];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const inDataDir = join(source.dataDir, CLUSTER_SECRET_FILE_NAME);
  if (source.mayGenerate) return readSecretFile(ensureClusterSecretFile(inDataDir));
  try {
    return readSecretFile(inDataDir);
  } catch {
    throw new CliError(
      `a node joining a cluster needs its cluster secret: pass --cluster-secret-file with the cluster's ${CLUSTER_SECRET_FILE_NAME} (a lone controller makes one in its data directory, cluster up in its own; every node needs the same) or set ${CLUSTER_SECRET_ENV}`,
    );
  }
}

/** Creates `path` with a new random secret, readable by its owner only, unless it exists; returns `path`. */
export function ensureClusterSecretFile(path: string): string {
  const secret = Buffer.from(systemRandom.nextBytes(GENERATED_SECRET_BYTES)).toString('hex');
  try {
    // 'wx' fails if the file exists: a secret already shared with running brokers is never replaced.
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new CliError(`cannot write the cluster secret ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    // An existing file keeps its secret, but never stays readable by others.
    try {
      chmodSync(path, 0o600);
    } catch {
      // Not ours to change (another owner): reading it below still tells whether we may use it.
    }
  }
  return path;
}

function readSecretFile(path: string): string {
  let contents: string;
  try {
    contents = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new CliError(`cannot read the cluster secret file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (contents === '') throw new CliError(`the cluster secret file ${path} is empty`);
  return contents;
}
