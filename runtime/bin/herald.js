#!/usr/bin/env node
// The `herald` command: a committed entry, so npm can link it before the build has run.
import '../dist/cli/main.js';
