/**
 * `kactor transactions list|describe`: Kafka's kafka-transactions.sh (KIP-664) through the admin client.
 * `list` asks every broker's transaction coordinator for the transactional ids it holds; `describe` asks the
 * coordinator of one id for its state, producer id and epoch, timeout, current (or last) transaction and partitions.
 * What they do is in transactions-run.ts, loaded when one runs.
 */
import type { Command } from 'commander';
import { addClientOptions, type ClientCommandOptions } from '../support/client-flags.js';

export function registerTransactionsCommand(program: Command): void {
  const transactions = program.command('transactions').description("List and describe transactional producers' transactions at their transaction coordinators (Kafka's kafka-transactions.sh).");

  addClientOptions(transactions.command('list').description('List every transactional id the transaction coordinators hold, with its coordinator, producer id and state.').option('--json', 'print a JSON array')).action(async (options: ClientCommandOptions & { json?: boolean }) => (await import('./transactions-run.js')).listTransactions(options));

  addClientOptions(
    transactions
      .command('describe')
      .description("Describe a transactional id at its coordinator: producer id and epoch, state, timeout, when the current (or last) transaction began, how long ago, and the open transaction's partitions.")
      .requiredOption('--transactional-id <ID>', 'the transactional.id to describe')
      .option('--json', 'print one JSON object'),
  ).action(async (options: ClientCommandOptions & { transactionalId: string; json?: boolean }) => (await import('./transactions-run.js')).describeTransaction(options));
}
