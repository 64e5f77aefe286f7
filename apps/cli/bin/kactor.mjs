#!/usr/bin/env node
// The `kactor` command as an installed bin (root node_modules/.bin/kactor): `pnpm kactor ...` runs it
// directly, with no `> kactor ...` script header on stdout, so `pnpm kactor topics list --json | jq` works.
// The CLI is TypeScript run without a build step: tsx's loader is registered in this same process (no
// wrapper process in front, so Ctrl-C and the exit code are the CLI's own).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
