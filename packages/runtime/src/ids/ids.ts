/** Generates unique ids (member ids, incarnation ids, topic ids). Seeded in simulations. */
export interface IdGenerator {
  /** A new url-safe id of 21 characters, optionally prefixed: `next('consumer')` -> `consumer-V1StGXR8_Z5jdHi6B-myT`. */
  next(prefix?: string): string;
}
