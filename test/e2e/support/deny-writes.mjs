/**
 * Loaded with `node --import` into a CLI process under test: the file system refuses to create anything
 * inside the directory $KACTOR_TEST_DENY_WRITES with EACCES, the answer the kernel gives a user without
 * write permission there. Root ignores permission bits, and running the CLI as a second user would make
 * the test depend on that user being able to read the checkout (not so under a private 0700 directory),
 * so as root the tests inject the kernel's answer instead; everything above it (the CLI's own error path)
 * runs as it does for a real unwritable directory.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

const denied = process.env.KACTOR_TEST_DENY_WRITES;
if (denied === undefined || denied === '') throw new Error('deny-writes.mjs needs KACTOR_TEST_DENY_WRITES');
const root = resolve(denied);
const inside = (path) => resolve(String(path)).startsWith(root + sep);
const permissionDenied = (syscall, path) =>
  Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(path)}'`), { code: 'EACCES', errno: -13, syscall, path: String(path) });

const { mkdirSync, openSync, writeFileSync } = fs;
const { mkdir, open, writeFile } = fs.promises;
const creates = (flags) => flags !== undefined && flags !== 'r' && flags !== fs.constants.O_RDONLY;
const missing = (path) => !fs.existsSync(path);

fs.mkdirSync = (path, ...rest) => {
  if (inside(path) && missing(path)) throw permissionDenied('mkdir', path);
  return mkdirSync(path, ...rest);
};
fs.openSync = (path, flags, ...rest) => {
  if (inside(path) && creates(flags)) throw permissionDenied('open', path);
  return openSync(path, flags, ...rest);
};
fs.writeFileSync = (path, ...rest) => {
  if (typeof path !== 'number' && inside(path)) throw permissionDenied('open', path);
  return writeFileSync(path, ...rest);
};
fs.promises.mkdir = async (path, ...rest) => {
  if (inside(path) && missing(path)) throw permissionDenied('mkdir', path);
  return mkdir(path, ...rest);
};
fs.promises.open = async (path, flags, ...rest) => {
  if (inside(path) && creates(flags)) throw permissionDenied('open', path);
  return open(path, flags, ...rest);
};
fs.promises.writeFile = async (path, ...rest) => {
  if (typeof path !== 'number' && inside(path)) throw permissionDenied('open', path);
  return writeFile(path, ...rest);
};
// `import { mkdirSync } from 'node:fs'` binds the ES module's exports: bring them in line with the patches.
syncBuiltinESMExports();
