#!/usr/bin/env node
// The checkout's `scia` command: the CLI package, built by `npm run build`.
import '../packages/cli/bin/scia.js';
