/**
 * The error a server-side assignor throws when the group cannot be assigned (Kafka's
 * `PartitionAssignorException`): a member subscribes to a topic the describer does not know, or partitions
 * were left over. The coordinator catches it and keeps the previous target assignment.
 */
export class PartitionAssignorError extends Error {
  override readonly name = 'PartitionAssignorError';
}
