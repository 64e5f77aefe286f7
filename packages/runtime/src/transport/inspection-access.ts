/**
 * Who may open an inspection WebSocket (on a relay or on the dashboard's `/inspect`) and read what the
 * dashboard serves. Both bind 127.0.0.1, so the callers to keep out are web pages in the user's own
 * browser and, when a shared secret is configured, other users of the machine:
 *
 * - Host must name the server itself (`127.0.0.1:<port>` or `localhost:<port>`), so a page that rebinds a
 *   DNS name of its own to 127.0.0.1 is refused (403).
 * - Origin: a browser always sends one, so a socket with a foreign Origin is a web page from another site
 *   and is refused (403); a server's own page (the relay's bridge page) has its own origin. A process such
 *   as a broker or a consumer sends no Origin.
 * - With a secret (`--secret-file`, KACTOR_SECRET), the token is required as well (401 without it): a
 *   process presents the secret's token as it does to brokers (`Authorization: Bearer`), a page presents
 *   the viewer token from its address (`?token=`), since a browser cannot put a header on a page load or
 *   a WebSocket. The viewer token is derived from the secret but is not the secret's token: a viewer URL
 *   copied from a terminal or a browser's history lets its holder watch, not talk to the brokers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken, createSecretCheck, SECRET_LENGTH_MAX, secretToken } from './secret.js';

/** The response header a kactor inspection endpoint adds to its WebSocket handshake (see InspectionSocket). */
export const INSPECTION_ENDPOINT_HEADER = 'x-kactor-inspection';

/** The token a browser presents in `?token=` for a server protected by `secret`: watching only. */
export function viewerToken(secret: string): string {
  return secretToken(`kactor viewer token:${secret}`);
}

export interface InspectionAccessOptions {
  /** The host the server bound, besides 127.0.0.1 and localhost (a relay may bind another address). */
  host?: string;
  /** Without one, no token is asked for. */
  secret?: string | undefined;
  /** Whether the viewer token opens this door too (a relay's bridge page, the dashboard's JSON). */
  acceptViewerToken: boolean;
}

export type AccessCheck = (request: IncomingMessage, port: number) => AccessRefusal | undefined;

export interface AccessRefusal {
  status: 401 | 403;
  /** The HTTP status line's text and a sentence for a JSON body. */
  reason: 'Unauthorized' | 'Forbidden';
  message: string;
}

/** Builds the check once per server: the secret's digests are computed here, not per request. */
export function createAccessCheck(options: InspectionAccessOptions): AccessCheck {
  const checkSecret = options.secret === undefined ? undefined : createSecretCheck(options.secret);
  const checkViewer = options.secret === undefined || !options.acceptViewerToken ? undefined : tokenCheck(viewerToken(options.secret));
  const hosts = new Set(['127.0.0.1', 'localhost', ...(options.host === undefined ? [] : [options.host])]);
  return (request, port) => {
    const own = [...hosts].map((host) => `${host}:${port}`);
    if (!own.includes(request.headers.host ?? '')) return forbidden(`this server answers requests for 127.0.0.1:${port} only`);
    const origin = request.headers.origin;
    if (origin !== undefined && !own.some((host) => origin === `http://${host}`)) return forbidden(`connections from pages of ${origin} are refused`);
    if (checkSecret === undefined) return undefined;
    const presented = bearerToken(request.headers.authorization) ?? queryToken(request.url);
    if (checkSecret(presented) || checkViewer?.(presented) === true) return undefined;
    return { status: 401, reason: 'Unauthorized', message: 'this server needs the shared secret (--secret-file or KACTOR_SECRET): open the address it printed, with its ?token=' };
  };
}

const forbidden = (message: string): AccessRefusal => ({ status: 403, reason: 'Forbidden', message });

/** The `token` query parameter of a request target, else undefined. */
function queryToken(target: string | undefined): string | undefined {
  const query = (target ?? '').split('?')[1];
  if (query === undefined) return undefined;
  return new URLSearchParams(query).get('token') ?? undefined;
}

/** Compares a presented token with the expected one in constant time (over their SHA-256 digests). */
function tokenCheck(expected: string): (presented: string | undefined) => boolean {
  const expectedDigest = sha256(expected);
  return (presented) => presented !== undefined && presented.length <= SECRET_LENGTH_MAX && timingSafeEqual(sha256(presented), expectedDigest);
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Ends an upgrade request the check refused, with its status and no body. */
export function refuseUpgrade(socket: { end(data: string): void }, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
