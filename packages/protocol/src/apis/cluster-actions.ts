/**
 * The control plane: APIs only brokers and the controller send each other. Kafka serves them on the
 * inter-broker listener and authorizes them with the `ClusterAction` operation on the cluster resource;
 * kactor requires the connection to have authenticated with the cluster secret (principal `cluster`), and
 * answers anyone else `CLUSTER_AUTHORIZATION_FAILED` (31) before decoding the body. A forged UpdateMetadata
 * could otherwise blind a broker to the controller, a forged BrokerHeartbeat could fence a broker, and a forged
 * AlterPartition could shrink an ISR to one replica (so acks=all would wait for only one copy).
 */
import type { ApiName } from './registry.js';

export const clusterActionApis: ReadonlySet<ApiName> = new Set<ApiName>([
  'updateMetadata',
  'brokerRegistration',
  'brokerHeartbeat',
  'alterPartition',
  // A forged AllocateProducerIds would burn producer id blocks; Kafka authorizes it as ClusterAction too.
  'allocateProducerIds',
  // A forged WriteTxnMarkers could commit or abort anyone's transaction; Kafka authorizes it as ClusterAction too.
  'writeTxnMarkers',
  // The metadata quorum's replication (KIP-595, KIP-630): a forged Vote or BeginQuorumEpoch could make a voter
  // follow a leader that does not exist, a forged EndQuorumEpoch start elections at will. DescribeQuorum is an
  // admin read (Kafka: DESCRIBE on the cluster) and stays open to clients.
  'vote',
  'beginQuorumEpoch',
  'endQuorumEpoch',
  'fetchSnapshot',
]);

export function requiresClusterAction(api: ApiName): boolean {
  return clusterActionApis.has(api);
}
