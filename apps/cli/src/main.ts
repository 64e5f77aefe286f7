#!/usr/bin/env node
/**
 * The `kactor` command. Flags follow Kafka's command-line tools (`--bootstrap-server`, `--partitions`,
 * `--replication-factor`, `--producer-property`, `--from-beginning`...) so a Kafka user's habits carry over.
 */
import { Command } from 'commander';
import { registerBrokerCommand } from './commands/broker.js';
import { registerClusterCommand } from './commands/cluster-up.js';
import { registerConsumeCommand } from './commands/consume.js';
import { registerDashboardCommand } from './commands/dashboard.js';
import { registerGroupsCommand } from './commands/groups.js';
import { registerProduceCommand } from './commands/produce.js';
import { registerTopicsCommand } from './commands/topics.js';
import { registerStatechartsCommand } from './commands/statecharts.js';
import { runDemo } from './demo/demo.js';

const program = new Command('kactor')
  .description('kactor: an actor-model Kafka runtime. Brokers, controller, partitions and clients are XState actors over WebSockets.')
  .showHelpAfterError('(add --help for usage)')
  .configureHelp({ sortSubcommands: false });

registerClusterCommand(program, runDemo);
registerBrokerCommand(program);
registerTopicsCommand(program);
registerProduceCommand(program);
registerConsumeCommand(program);
registerGroupsCommand(program);
registerDashboardCommand(program);
registerStatechartsCommand(program);

await program.parseAsync(process.argv);
