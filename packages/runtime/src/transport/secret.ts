import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './transport.js';

/** A bound on the secret, and on a presented token, so a hostile header cannot make the check hash megabytes. */
export const SECRET_LENGTH_MAX = 1024;

/**
 * A secret may be any text (a passphrase with spaces, a generated token): it never travels as is. An empty
 * secret is refused rather than read as "no secret", so a missing environment variable cannot switch
 * authentication off by accident.
 */
export function assertUsableSecret(secret: string): void {
  if (secret.length === 0 || secret.length > SECRET_LENGTH_MAX) {
    throw new RangeError(`a shared secret must be 1-${SECRET_LENGTH_MAX} characters (got ${secret.length})`);
  }
}

/**
 * What a client presents: the SHA-256 of the secret in hex. It fits an HTTP `Authorization: Bearer` header
 * (RFC 6750 token characters) whatever the secret holds, and does not reveal the secret itself.
 */
export function secretToken(secret: string): string {
  assertUsableSecret(secret);
  return sha256(secret).toString('hex');
}

/**
 * Checks a presented token in constant time. Both sides are hashed with SHA-256 first, so the comparison
 * always runs over 32 bytes: neither the time taken nor an early length mismatch tells an attacker anything
 * about the expected token.
 */
export function createSecretCheck(secret: string): (presentedToken: string | undefined) => boolean {
  const expectedDigest = sha256(secretToken(secret));
  return (presented) =>
    presented !== undefined && presented.length <= SECRET_LENGTH_MAX && timingSafeEqual(sha256(presented), expectedDigest);
}

/**
 * Decides who a presented token belongs to: the cluster secret makes a `cluster` principal; otherwise the
 * client secret (when one is set) must match, and a connection with neither is refused (`undefined`).
 * Without a client secret, anyone who is not a cluster member is a `client`, as before secrets existed.
 * The two secrets must differ: a client holding the shared secret must not be a cluster member too.
 */
export function createPrincipalCheck(
  secret: string | undefined,
  clusterSecret: string | undefined,
): (presentedToken: string | undefined) => Principal | undefined {
  if (secret !== undefined && clusterSecret !== undefined && secret === clusterSecret) {
    throw new RangeError('the cluster secret must differ from the clients\' shared secret');
  }
  const isClient = secret === undefined ? undefined : createSecretCheck(secret);
  const isCluster = clusterSecret === undefined ? undefined : createSecretCheck(clusterSecret);
  return (presented) => {
    // Both checks always run, so the time taken does not tell which secret a token came close to.
    const cluster = isCluster?.(presented) ?? false;
    const client = isClient?.(presented) ?? true;
    if (cluster) return 'cluster';
    return client ? 'client' : undefined;
  };
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined. */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (authorizationHeader === undefined) return undefined;
  return /^Bearer +(\S+) *$/i.exec(authorizationHeader)?.[1];
}

export function bearerHeader(secret: string): string {
  return `Bearer ${secretToken(secret)}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
