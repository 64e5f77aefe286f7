/**
 * The `kactor` command line, built without running anything (main.ts runs it; tests parse README commands
 * with it). Flags follow Kafka's command-line tools (`--bootstrap-server`, `--partitions`,
 * `--replication-factor`, `--producer-property`, `--from-beginning`...) so a Kafka user's habits carry over.
 *
 * Building it loads only commander and the flags' parsers: each command imports its implementation when it
 * runs, so `--help`, a usage error, `topics list` or a broker process load no more code than they use
 * (every process start pays for each module it loads; the e2e tests start hundreds).
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { registerBrokerCommand } from './commands/broker.js';
import { registerClusterCommand, type OnClusterReady } from './commands/cluster-up.js';
import { registerConsumeCommand } from './commands/consume.js';
import { registerDashboardCommand } from './commands/dashboard.js';
import { registerExperimentCommand } from './commands/experiment.js';
import { registerGroupsCommand } from './commands/groups.js';
import { registerProduceCommand } from './commands/produce.js';
import { registerTopicsCommand } from './commands/topics.js';
import { registerStatechartsCommand } from './commands/statecharts.js';
import { registerTransactionsCommand } from './commands/transactions.js';
import { CliError } from './support/cli-error.js';
import { isLogLevel, logLevelOption, logLevels } from './support/log-levels.js';

/** `topics list` for the command `kactor topics list`, as error lines name it. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let each: Command | null = command; each?.parent; each = each.parent) names.unshift(each.name());
  return names.join(' ');
}

/** The version of the kactor command, from its package.json. */
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** `cluster up --demo`'s demo, loaded only when a cluster runs one. */
const runDemo: OnClusterReady = async (...ready) => (await import('./demo/demo.js')).runDemo(...ready);

/** The whole `kactor` command line: every command, its flags and the global ones (--version, --log-level). */
export function buildProgram(): Command {
  const program = new Command('kactor')
    .description('kactor: an actor-model Kafka runtime. Brokers, controller, partitions and clients are XState actors over WebSockets.')
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .version(version, '-V, --version', 'print the version of kactor')
    .addOption(
      new Option('--log-level <LEVEL>', `log level of this command and every process it starts: ${logLevels.join(', ')} (default: $KACTOR_LOG_LEVEL, else the command's own lines at info and the actors' at warn)`).argParser(logLevelOption),
    )
    // One place for the level: the environment, which the loggers read and the brokers `cluster up` starts inherit.
    .hook('preAction', async (command, action) => {
      const { logLevel } = command.opts<{ logLevel?: string }>();
      if (logLevel !== undefined) process.env.KACTOR_LOG_LEVEL = logLevel;
      const fromEnvironment = process.env.KACTOR_LOG_LEVEL;
      if (fromEnvironment !== undefined && fromEnvironment !== '' && !isLogLevel(fromEnvironment.trim().toLowerCase())) {
        const { exitWithError } = await import('./support/errors.js');
        await exitWithError(commandPath(action), new CliError(`KACTOR_LOG_LEVEL takes one of ${logLevels.join(', ')}, got "${fromEnvironment}"`));
      }
    });

  registerClusterCommand(program, runDemo);
  registerBrokerCommand(program);
  registerTopicsCommand(program);
  registerProduceCommand(program);
  registerConsumeCommand(program);
  registerGroupsCommand(program);
  registerTransactionsCommand(program);
  registerDashboardCommand(program);
  registerStatechartsCommand(program);
  registerExperimentCommand(program);
  return program;
}
