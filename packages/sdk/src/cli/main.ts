#!/usr/bin/env node
// The `spacekit` command. All logic lives in run.ts; this file only binds it to the process.
import { run } from './run.ts';

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
