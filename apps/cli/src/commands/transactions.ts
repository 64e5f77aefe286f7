/**
 * `kactor transactions list|describe`: Kafka's kafka-transactions.sh (KIP-664) through the admin client.
 * `list` asks every broker's transaction coordinator for the transactional ids it holds; `describe` asks the
 * coordinator of one id for its state, producer id and epoch, timeout, current (or last) transaction and partitions.
 */
import type { Command } from 'commander';
import { systemClock } from '@kactor/runtime';
import { addClientOptions, type ClientCommandOptions } from '../support/client-options.js';
import { CliError } from '../support/errors.js';
import { describedTransaction, transactionDescribeText, transactionsListJson, transactionsListText } from '../support/transaction-output.js';
import { withAdmin } from '../support/with-admin.js';

export function registerTransactionsCommand(program: Command): void {
  const transactions = program.command('transactions').description("List and describe transactional producers' transactions at their transaction coordinators (Kafka's kafka-transactions.sh).");

  addClientOptions(transactions.command('list').description('List every transactional id the transaction coordinators hold, with its coordinator, producer id and state.').option('--json', 'print a JSON array')).action(
    (options: ClientCommandOptions & { json?: boolean }) =>
      withAdmin(options, 'transactions list', async (admin) => {
        const listings = await admin.listTransactions();
        process.stdout.write(`${options.json === true ? transactionsListJson(listings) : transactionsListText(listings)}\n`);
      }),
  );

  addClientOptions(
    transactions
      .command('describe')
      .description("Describe a transactional id at its coordinator: producer id and epoch, state, timeout, when the current (or last) transaction began, how long ago, and the open transaction's partitions.")
      .requiredOption('--transactional-id <ID>', 'the transactional.id to describe')
      .option('--json', 'print one JSON object'),
  ).action((options: ClientCommandOptions & { transactionalId: string; json?: boolean }) =>
    withAdmin(options, 'transactions describe', async (admin) => {
      if (options.transactionalId === '') throw new CliError('--transactional-id cannot be empty');
      const [description] = await admin.describeTransactions([options.transactionalId]);
      if (description === undefined) throw new CliError(`no answer for transactional id '${options.transactionalId}'`);
      const described = describedTransaction(description, systemClock.now());
      process.stdout.write(`${options.json === true ? JSON.stringify(described) : transactionDescribeText(described)}\n`);
    }),
  );
}
