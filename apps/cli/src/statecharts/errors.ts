/**
 * Why an export fails. A statechart that cannot be written faithfully is refused with the paths of what
 * would be lost, never written with pieces silently missing (JSON.stringify drops functions without a word).
 */

/** The machine config holds a function the exporter cannot name (an inline action, guard, delay or actor). */
export class InlineImplementationError extends Error {
  override readonly name = 'InlineImplementationError';
  constructor(
    readonly machineId: string,
    readonly paths: readonly string[],
  ) {
    super(
      `machine ${machineId} has inline functions the export would lose: ${paths.join(', ')} ` +
        '(name them in setup({ actions, guards, delays, actors }) and refer to them by name)',
    );
  }
}

/** `--format` named something the exporter does not write. */
export class UnknownStatechartFormatError extends Error {
  override readonly name = 'UnknownStatechartFormatError';
  constructor(readonly format: string) {
    super(`unknown statechart format ${JSON.stringify(format)}: expected json, mermaid or svg (or a comma list)`);
  }
}

/** Graphviz (WASM) refused the DOT text: a bug in the DOT renderer, reported with Graphviz's own words. */
export class GraphvizRenderError extends Error {
  override readonly name = 'GraphvizRenderError';
  constructor(
    readonly machineId: string,
    readonly graphvizErrors: readonly string[],
  ) {
    super(`graphviz could not render machine ${machineId}: ${graphvizErrors.join('; ')}`);
  }
}
