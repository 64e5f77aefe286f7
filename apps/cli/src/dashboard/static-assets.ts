/**
 * The page's files (HTML, CSS, JS in ./public), read once when the dashboard starts: no build step, no
 * CDN, nothing fetched from the internet; the page works on a machine with no network at all.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** URL path -> file in public/. Only these are served: no directory listing, no path from the request touches the disk. */
const assetFiles: ReadonlyArray<readonly [string, string, string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/dashboard.css', 'dashboard.css', 'text/css; charset=utf-8'],
  ['/dashboard.js', 'dashboard.js', 'text/javascript; charset=utf-8'],
  ['/statecharts.js', 'statecharts.js', 'text/javascript; charset=utf-8'],
];

export const defaultPublicDirectory = fileURLToPath(new URL('./public/', import.meta.url));

export function loadStaticAssets(directory = defaultPublicDirectory): Map<string, StaticAsset> {
  return new Map(assetFiles.map(([path, file, contentType]) => [path, { body: readFileSync(`${directory}/${file}`), contentType }]));
}
