/**
 * Preloaded into every Node process of the test run (vitest, its workers, and each `wrangler`
 * they start) through NODE_OPTIONS: any connection or name lookup beyond this machine is refused
 * and written to TERMINI_NETWORK_LOG, which the run checks is empty at the end. This is how CI
 * proves that nothing (wrangler's update check and telemetry included) contacts the network.
 */
"use strict";
const net = require("node:net");
const dns = require("node:dns");
const fs = require("node:fs");

const LOG = process.env.TERMINI_NETWORK_LOG;
const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0", "::", ""]);
const isLocal = (host) => host === undefined || LOCAL_NAMES.has(String(host).replace(/^\[|\]$/g, "")) || /^127\./.test(String(host)) || /^::ffff:127\./.test(String(host));

function refuse(what, host) {
  if (LOG) fs.appendFileSync(LOG, `${new Date().toISOString()} pid ${process.pid} ${what} ${host} (${process.argv.slice(1, 3).join(" ")})\n`);
  const err = new Error(`network refused in tests: ${what} ${host}`);
  err.code = "ECONNREFUSED";
  return err;
}

/** Where a connect() call goes: a host name, or null for a local (path) socket. */
function targetOf(args) {
  const a = Array.isArray(args[0]) ? args[0] : args;
  const first = a[0];
  if (first !== null && typeof first === "object") return first.path !== undefined ? null : (first.host ?? "localhost");
  if (typeof first === "string" && !/^\d+$/.test(first)) return null;
  return typeof a[1] === "string" ? a[1] : "localhost";
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const host = targetOf(args);
  if (host !== null && !isLocal(host)) {
    const err = refuse("connect", host);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return connect.apply(this, args);
};

// Name lookups (fetch and http resolve names before they connect).
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  if (!isLocal(hostname)) return process.nextTick(() => cb(refuse("lookup", hostname)));
  return lookup.call(this, hostname, options, callback);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, options) {
  if (!isLocal(hostname)) return Promise.reject(refuse("lookup", hostname));
  return promisesLookup.call(this, hostname, options);
};
