/** Builders of controller states for the pure-logic tests. */
import type { MetadataRecord } from './metadata-records.js';
import { emptyControllerState, replayAll, type ControllerState } from './metadata-state.js';

export function stateFrom(records: MetadataRecord[], clusterId = 'cluster-1'): ControllerState {
  return replayAll(
    emptyControllerState(clusterId),
    records.map((record, offset) => ({ offset, record })),
  );
}

export function registerRecords(brokerIds: number[]): MetadataRecord[] {
  return brokerIds.flatMap((brokerId) => [
    { type: 'RegisterBroker' as const, brokerId, incarnationId: `incarnation-${brokerId}`, host: '127.0.0.1', port: 9100 + brokerId, url: `ws://127.0.0.1:${9100 + brokerId}`, rack: null },
  ]);
}

/** Registers and unfences brokers; their epochs are the offsets of their RegisterBroker records (0..n-1). */
export function clusterOf(brokerIds: number[]): ControllerState {
  const registrations = registerRecords(brokerIds);
  const unfences: MetadataRecord[] = brokerIds.map((brokerId, index) => ({ type: 'UnfenceBroker', brokerId, brokerEpoch: index }));
  return stateFrom([...registrations, ...unfences]);
}

export function append(state: ControllerState, records: MetadataRecord[]): ControllerState {
  return replayAll(
    state,
    records.map((record, index) => ({ offset: state.metadataOffset + 1 + index, record })),
  );
}
