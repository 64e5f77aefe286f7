/**
 * The CLI's own failure, in a module of its own: flag parsers and registration code throw it, and they must
 * load without the packages that errors.ts needs to describe a cluster's errors (a command's flags and help
 * load nothing but commander; see program.ts).
 */

/** A failure the user can act on; its message is printed as is. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
