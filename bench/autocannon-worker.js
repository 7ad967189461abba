/* eslint-disable */
/**
 * The load generator of bench (b), in its own process (child_process.fork) so it never shares
 * the server's event loop. Takes one {args} message:
 *   { url, connections, durationS, warmupS, mode: 'bare' | 'receipts', barePath, token, projects, bodies }
 * runs a warm-up (discarded) and then the measured run with autocannon's programmatic API, and
 * sends back {ok, value: {requestsPerS, requests, non2xx, errors, timeouts, p50Ms, p99Ms}}; or
 * {args, windows: [{mode, barePath?, durationS}]}: one measured run per window, in order, and
 * {ok, value: [summary per window]}.
 *
 * 'receipts': every request is a fresh receipt (its own receiptId, reference and Idempotency-Key)
 * on one of `projects`, built from the templates `bodies` (one per funding source).
 */
'use strict';
const { randomUUID } = require('node:crypto');
const autocannon = require('autocannon');

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function optionsFor(args, durationS, tag) {
  const base = { url: args.url, connections: args.connections, duration: durationS, pipelining: 1 };
  if (args.mode === 'bare') return { ...base, url: `${args.url}${args.barePath}`, method: 'GET' };
  let n = 0;
  const prefix = `${tag}-${process.pid}-${Date.now().toString(36)}`;
  return {
    ...base,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const i = n++;
          const projectId = args.projects[i % args.projects.length];
          const template = args.bodies[i % args.bodies.length];
          const receiptId = `R-${prefix}-${i}`;
          return {
            ...req,
            method: 'POST',
            path: `/api/projects/${projectId}/receipts`,
            headers: {
              ...req.headers,
              'content-type': 'application/json',
              authorization: `Bearer ${args.token}`,
              'idempotency-key': randomUUID(), // as a client would send: random, one per request
            },
            body: JSON.stringify({ ...template, receiptId, reference: `国库集中支付凭证 ${prefix}-${i}` }),
          };
        },
      },
    ],
  };
}

function summary(r) {
  return {
    requestsPerS: r.requests.total / r.duration,
    requestsPerSAverage: r.requests.average,
    requests: r.requests.total,
    durationS: r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
  };
}

process.once('message', async ({ args, windows }) => {
  let reply;
  try {
    if (windows) {
      // A sequence of measured windows, one after another: [{mode, barePath?, durationS}], each a
      // fresh autocannon run; the answer is one summary per window, in order.
      const value = [];
      for (const w of windows)
        value.push(summary(await run(optionsFor({ ...args, ...w }, w.durationS, `m${value.length}`))));
      reply = { ok: true, value };
    } else {
      if (args.warmupS > 0) await run(optionsFor(args, args.warmupS, 'w'));
      reply = { ok: true, value: summary(await run(optionsFor(args, args.durationS, 'm'))) };
    }
  } catch (err) {
    reply = { ok: false, error: err && err.stack ? err.stack : String(err) };
  }
  process.send(reply, () => process.exit(reply.ok ? 0 : 1));
});
