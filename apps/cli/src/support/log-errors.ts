/**
 * How the CLI's logs show an error object (`logger.warn({ err }, ...)`): one line, `Name: message`, so
 * a terminal never shows a stack trace unless the user asks for details (`--log-level debug` or `trace`
 * keep pino's full error, stack and causes included).
 */

/** pino's serialized error, as the pretty printer receives it. */
interface SerializedError {
  readonly type?: unknown;
  readonly message?: unknown;
}

export function errorOnOneLine(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const { type, message } = value as SerializedError;
  const text = typeof message === 'string' ? message.split('\n')[0] : '';
  return typeof type === 'string' && type !== '' ? `${type}: ${text}` : (text ?? '');
}

/** pino-pretty's `customPrettifiers` for a level: errors on one line below debug. */
export function errorPrettifiers(level: string): { err?: (value: unknown) => string } {
  return level === 'debug' || level === 'trace' ? {} : { err: errorOnOneLine };
}
