#!/usr/bin/env node
/** The `kactor` command (see program.ts for its commands and flags). */
import { buildProgram } from './program.js';

await buildProgram().parseAsync(process.argv);
