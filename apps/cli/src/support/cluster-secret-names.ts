/**
 * Where the cluster credential is found (see cluster-secret.ts), in a module of its own so that `cluster up`'s
 * help can name the file without loading the runtime.
 */
export const CLUSTER_SECRET_FILE_NAME = 'cluster.secret';
export const CLUSTER_SECRET_ENV = 'KACTOR_CLUSTER_SECRET';
