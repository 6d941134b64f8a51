#!/usr/bin/env node
// The `gradspec` command. tsx compiles the TypeScript CLI on the fly, so a clone and an installed
// package run the same sources without a build step.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports */
require('tsx/cjs');
require('../cli/gradspec.ts').runCli(process.argv.slice(2));
