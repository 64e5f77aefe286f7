/**
 * Scenario files for `kactor experiment` (issue 15): YAML or JSON, validated with errors at their line,
 * defaults filled; the variants and cases a run compares; values drawn from the seed; seed lists.
 */
export { ScenarioError, formatIssue, type ScenarioIssue } from './errors.js';
export { loadScenarioFile, parseScenario } from './parse.js';
export { resolveVariants } from './variants.js';
export { applyCase } from './cases.js';
export { drawValue } from './draw.js';
export { MAX_SEEDS, parseSeeds } from './seeds.js';
export { parseDurationMs } from './durations.js';
export { BUILTIN_VARIANT_NAMES, builtinVariant } from './builtin-variants.js';
export { PRODUCER_CONFIG_DEFAULTS } from './schema.js';
