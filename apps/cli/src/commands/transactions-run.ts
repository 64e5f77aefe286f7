/**
 * What `kactor transactions list|describe` do once their flags are parsed (transactions.ts registers the
 * flags and loads this module only when one runs).
 */
import { systemClock } from '@kactor/runtime';
import type { ClientCommandOptions } from '../support/client-flags.js';
import { CliError } from '../support/cli-error.js';
import { describedTransaction, transactionDescribeText, transactionsListJson, transactionsListText } from '../support/transaction-output.js';
import { withAdmin } from '../support/with-admin.js';

export function listTransactions(options: ClientCommandOptions & { json?: boolean }): Promise<void> {
  return withAdmin(options, 'transactions list', async (admin) => {
    const listings = await admin.listTransactions();
    process.stdout.write(`${options.json === true ? transactionsListJson(listings) : transactionsListText(listings)}\n`);
  });
}

export function describeTransaction(options: ClientCommandOptions & { transactionalId: string; json?: boolean }): Promise<void> {
  return withAdmin(options, 'transactions describe', async (admin) => {
    if (options.transactionalId === '') throw new CliError('--transactional-id cannot be empty');
    const [description] = await admin.describeTransactions([options.transactionalId]);
    if (description === undefined) throw new CliError(`no answer for transactional id '${options.transactionalId}'`);
    const described = describedTransaction(description, systemClock.now());
    process.stdout.write(`${options.json === true ? JSON.stringify(described) : transactionDescribeText(described)}\n`);
  });
}
