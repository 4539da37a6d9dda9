#!/usr/bin/env node
// The `spacekit` command. All logic lives in run.ts; this file only binds it to the process.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// V8 keeps the code it compiled for the CLI's modules on disk, so that a second run skips parsing
// them: a quarter off `spacekit get` (docs/BENCHMARKS.md). Beside Spacekit's other caches rather than
// in the temp folder (Node's default); NODE_DISABLE_COMPILE_CACHE=1 turns it off. Enabled before
// anything else loads, which is why run.ts is imported dynamically.
enableCompileCache(join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'spacekit', 'node-compile-cache'));
const { run } = await import('./run.ts');

// Signal listeners do not keep Node running, and the control plane child is
// unref'd, so `up` holds a timer until Ctrl-C or SIGTERM arrives.
const untilStopped = () =>
  new Promise<void>((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stop = () => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

const code = await run(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  untilStopped,
  interactive: process.stdout.isTTY === true,
});
// Exit now rather than when idle: kept-alive connections to the apiserver would hold the process open.
process.exit(code);
