/** Runs an admin command body with a client that is closed afterwards; a failure exits with Kafka's error name. */
import { Admin } from '@kactor/client';
import { clientSetup, type ClientCommandOptions } from './client-options.js';
import { exitWithError } from './errors.js';

export async function withAdmin(options: ClientCommandOptions, command: string, body: (admin: Admin) => Promise<unknown>): Promise<void> {
  const { bootstrapServers, runtime } = clientSetup(options);
  const admin = Admin.create({ 'bootstrap.servers': bootstrapServers }, runtime);
  try {
    await body(admin);
  } catch (error) {
    admin.close();
    await exitWithError(command, error);
  }
  admin.close();
}
