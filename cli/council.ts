#!/usr/bin/env node
import { ownerOnlyUmask } from '../core/db/ownerOnly.js';
import { useCheckoutDataDir } from '../core/paths.js';
import { runCli } from './runCli.js';

// DATA_DIR is private to its owner, whatever umask the shell has.
ownerOnlyUmask();
useCheckoutDataDir();

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // The first Ctrl-C cancels the model call in flight and lets the command store what it has; a second one quits.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});

const code = await runCli(
  process.argv.slice(2),
  { out: process.stdout, err: process.stderr, input: process.stdin, env: process.env, cwd: process.cwd(), interactive: Boolean(process.stdin.isTTY) },
  controller.signal,
);
process.stdin.pause();
process.exitCode = interrupted ? 130 : code;
