/** Errors the assignors throw. Input comes from the leader's own decoding, so these mean a bug upstream. */

/** The input cannot describe a real group: a member id twice, or a partition count that is not a count. */
export class InvalidAssignmentInputError extends Error {
  override readonly name = 'InvalidAssignmentInputError';
}

/** `assignorByName` was asked for a protocol name no assignor here implements. */
export class UnknownAssignorError extends Error {
  override readonly name = 'UnknownAssignorError';
  constructor(readonly assignorName: string) {
    super(`unknown partition assignor "${assignorName}"`);
  }
}
