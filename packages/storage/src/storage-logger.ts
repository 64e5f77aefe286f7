/**
 * The little the storage layer logs (recoveries, truncations, rolls). A pino `Logger` fits this shape;
 * it is declared here so that storage does not depend on pino.
 */
export interface StorageLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export const silentLogger: StorageLogger = {
  info() {},
  warn() {},
};
