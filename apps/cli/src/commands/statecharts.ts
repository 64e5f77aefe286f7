/**
 * `kactor statecharts export`: kactor's statecharts as files, to read, to import into Stately's visualizer,
 * or to put in documents. Needs no cluster and no network. The machines load only when the command runs.
 */
import type { Command } from 'commander';
import { STATECHART_NAMES } from './statechart-names.js';

export function registerStatechartsCommand(program: Command): void {
  const statecharts = program.command('statecharts').description("Export kactor's statecharts (consumer, group coordinator, producer, broker, controller, Raft replica, partition, replica fetcher).");
  statecharts
    .command('export')
    .description(
      `Write one file per machine and format to DIR: <name>.json (the machine config Stately's visualizer and Studio import: ` +
        'named actions, guards and delays as strings, not/and/or guards as !a, a && b; the initial-context function is left out), ' +
        '<name>.mmd (Mermaid stateDiagram-v2) and <name>.svg (laid out with ELK in JavaScript: no system binary, no network; each state box has the id state:<path>). ' +
        `Machines: ${STATECHART_NAMES.join(', ')}.`,
    )
    .requiredOption('--out <DIR>', 'directory to write to (created if missing)')
    .option('--format <FORMATS>', 'json, mermaid or svg, or a comma list of them (default: all three)')
    .action(async (options: { out: string; format?: string }) => {
      const { exportStatecharts, parseFormats } = await import('../statecharts/export.js');
      try {
        const written = await exportStatecharts(options.out, parseFormats(options.format));
        for (const path of written) process.stdout.write(`${path}\n`);
      } catch (error) {
        const { exitWithError } = await import('../support/errors.js');
        await exitWithError('statecharts export', error);
      }
    });
}
