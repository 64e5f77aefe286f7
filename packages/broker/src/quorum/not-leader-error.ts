/**
 * Thrown by RaftReplicaHost.append when this node does not lead the metadata quorum (Kafka's NotLeaderException from
 * RaftClient.prepareAppend): the caller learns who leads (if anyone is known) and sends its write there, or fails
 * its clients with NOT_CONTROLLER.
 */
export class NotLeaderError extends Error {
  override readonly name = 'NotLeaderError';

  constructor(
    /** The leader this replica knows in `epoch`; undefined when none is known. */
    readonly leaderId: number | undefined,
    readonly epoch: number,
  ) {
    super(leaderId === undefined ? `this node does not lead the metadata quorum (epoch ${epoch}, no leader known)` : `this node does not lead the metadata quorum: node ${leaderId} leads epoch ${epoch}`);
  }
}
