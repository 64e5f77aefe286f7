import { createHash, timingSafeEqual } from 'node:crypto';

/** A bound on the secret, so a hostile header cannot make the check hash megabytes. */
export const SECRET_LENGTH_MAX = 1024;
const SECRET_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Secrets travel in an HTTP header, so they are printable ASCII without spaces (a generated hex or
 * base64url token fits). An empty secret is refused rather than read as "no secret", so a missing
 * environment variable cannot switch authentication off by accident.
 */
export function assertUsableSecret(secret: string): void {
  if (secret.length === 0 || secret.length > SECRET_LENGTH_MAX || !SECRET_PATTERN.test(secret)) {
    throw new RangeError(
      `a shared secret must be 1-${SECRET_LENGTH_MAX} printable ASCII characters without spaces (got ${secret.length} characters)`,
    );
  }
}

/**
 * Checks a presented shared secret in constant time. Both sides are hashed with SHA-256 first, so the
 * comparison always runs over 32 bytes: neither the time taken nor an early length mismatch tells an
 * attacker anything about the secret's length or its leading characters.
 */
export function createSecretCheck(secret: string): (presented: string | undefined) => boolean {
  assertUsableSecret(secret);
  const expectedDigest = sha256(secret);
  return (presented) =>
    presented !== undefined && presented.length <= SECRET_LENGTH_MAX && timingSafeEqual(sha256(presented), expectedDigest);
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or undefined. */
export function bearerToken(authorizationHeader: string | undefined): string | undefined {
  if (authorizationHeader === undefined) return undefined;
  return /^Bearer +(\S+) *$/i.exec(authorizationHeader)?.[1];
}

export function bearerHeader(secret: string): string {
  assertUsableSecret(secret);
  return `Bearer ${secret}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
