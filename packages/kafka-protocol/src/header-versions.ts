/**
 * Which header version goes with which API version. Flexible API versions (KIP-482) use request header v2
 * and response header v1, the others request header v1 and response header v0. Two exceptions, both Kafka's:
 * ApiVersions responses always use header v0, because the client cannot yet know whether the broker speaks
 * flexible headers (KIP-511); ControlledShutdown v0 used request header v0, which has no client id.
 */
import { apiNameForKey, isFlexibleVersion } from './api.js';

export const API_VERSIONS_KEY = 18;
export const CONTROLLED_SHUTDOWN_KEY = 7;

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

/** The request header version, or undefined for an API key this package does not encode. */
export function requestHeaderVersion(apiKey: number, apiVersion: number): RequestHeaderVersion | undefined {
  if (apiKey === CONTROLLED_SHUTDOWN_KEY && apiVersion === 0) return 0;
  const api = apiNameForKey(apiKey);
  if (api === undefined) return undefined;
  return isFlexibleVersion(api, apiVersion) ? 2 : 1;
}

/** The response header version, or undefined for an API key this package does not encode. */
export function responseHeaderVersion(apiKey: number, apiVersion: number): ResponseHeaderVersion | undefined {
  if (apiKey === API_VERSIONS_KEY) return 0;
  const api = apiNameForKey(apiKey);
  if (api === undefined) return undefined;
  return isFlexibleVersion(api, apiVersion) ? 1 : 0;
}
