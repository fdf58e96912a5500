#!/usr/bin/env node
// Runs the TypeScript sources directly: Node 24 strips types, so there is no build step to forget.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv);
