/* eslint-disable */
/**
 * A bench child process: node bench/child.js <module.ts relative to bench/> <exported function>.
 * Waits for {args} on the IPC channel, runs `await module[exported](args)` and sends back
 * {ok, value} or {ok: false, error}, then exits. Used where a figure must be the process's own
 * (peak memory of a rebuild) or must not share a core's event loop with what it measures.
 */
'use strict';
const path = require('node:path');
require('../tools/register-ts');

const [modulePath, exported] = process.argv.slice(2);
process.once('message', async ({ args }) => {
  let reply;
  try {
    const mod = require(path.join(__dirname, modulePath));
    reply = { ok: true, value: await mod[exported](args) };
  } catch (err) {
    reply = { ok: false, error: err && err.stack ? err.stack : String(err) };
  }
  process.send(reply, () => process.exit(reply.ok ? 0 : 1));
});
