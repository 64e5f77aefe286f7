import { createHash, timingSafeEqual } from 'node:crypto';

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
