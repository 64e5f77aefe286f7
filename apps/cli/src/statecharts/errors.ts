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

/** ELK could not lay out a chart: a bug in the graph elk-graph.ts builds, reported with ELK's own words. */
export class StatechartLayoutError extends Error {
  override readonly name = 'StatechartLayoutError';
  constructor(
    readonly machineId: string,
    readonly layoutError: string,
  ) {
    super(`ELK could not lay out machine ${machineId}: ${layoutError}`);
  }
}
