/** How every command ends, apart from errors.ts so that code loaded with the flags can end a command without loading the cluster's error types. */

/** Exits once stdout and stderr have drained: a pipe may still hold output that process.exit would drop. */
export async function exitAfterFlush(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((done) => stream.write('', () => done()))));
  process.exit(code);
}
