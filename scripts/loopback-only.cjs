/*
 * Node preload (`NODE_OPTIONS=--require …/loopback-only.cjs`) that refuses every
 * outgoing connection to anything but this machine.
 *
 * Why: the Agents Playground tries to reach the cloud metadata address
 * (169.254.169.254) and telemetry hosts at start, even with --disable-telemetry.
 * `npm run playground` and the tests start it with this preload so that nothing leaves
 * the machine. Allowed: loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x), the
 * "any" addresses (0.0.0.0, ::, which connect locally), `localhost` and `*.localhost`,
 * and Unix sockets. Everything else fails like a closed port (ECONNREFUSED), and each
 * refused host is logged once to stderr.
 */
"use strict";

const net = require("node:net");
const dns = require("node:dns");

const TAG = "[loopback-only]";
const logged = new Set();

function isLoopbackIp(ip) {
  const family = net.isIP(ip);
  if (family === 4) return ip.startsWith("127.") || ip === "0.0.0.0";
  if (family === 6) {
    const lower = ip.toLowerCase();
    if (lower === "::1" || lower === "::" || lower === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && isLoopbackIp(mapped[1]);
  }
  return false;
}

function isLoopbackHost(host) {
  if (host === undefined || host === null || host === "") return true; // Node's default is localhost
  const bare = String(host).replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").toLowerCase();
  if (net.isIP(bare)) return isLoopbackIp(bare);
  return bare === "localhost" || bare.endsWith(".localhost");
}

function refusal(host, port, syscall) {
  const where = port === undefined ? String(host) : `${host}:${port}`;
  if (!logged.has(where)) {
    logged.add(where);
    process.stderr.write(`${TAG} refused ${syscall} to ${where}: only loopback connections are allowed\n`);
  }
  const error = new Error(`${syscall} ECONNREFUSED ${where} (refused by loopback-only preload)`);
  error.code = "ECONNREFUSED";
  error.errno = -111;
  error.syscall = syscall;
  error.address = String(host);
  if (port !== undefined) error.port = port;
  return error;
}

/** The target of Socket#connect(...) in any of its call forms. */
function connectTarget(args) {
  let first = args[0];
  // net.connect() passes its already normalised [options, callback] array.
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === "object") {
    if (first.path) return { local: true };
    return { host: first.host, port: first.port };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { local: true }; // a pipe path
  return { host: typeof args[1] === "string" ? args[1] : undefined, port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  const target = connectTarget(args);
  if (!target.local && !isLoopbackHost(target.host)) {
    const error = refusal(target.host, target.port, "connect");
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.apply(this, args);
};

/** Only loopback names are resolved at all, so no DNS query leaves the machine either. */
const originalLookup = dns.lookup;
dns.lookup = function lookup(hostname, options, callback) {
  const cb = typeof options === "function" ? options : callback;
  const opts = typeof options === "function" ? undefined : options;
  if (!isLoopbackHost(hostname)) {
    process.nextTick(cb, refusal(hostname, undefined, "getaddrinfo"));
    return {};
  }
  return originalLookup.call(this, hostname, opts ?? {}, (err, address, family) => {
    if (err) return cb(err);
    if (Array.isArray(address)) return cb(null, address.filter((a) => isLoopbackIp(a.address)), family);
    if (!isLoopbackIp(address)) return cb(refusal(address, undefined, "getaddrinfo"));
    return cb(null, address, family);
  });
};

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function lookup(hostname, options) {
  if (!isLoopbackHost(hostname)) throw refusal(hostname, undefined, "getaddrinfo");
  const result = await originalPromisesLookup.call(this, hostname, options);
  if (Array.isArray(result)) return result.filter((a) => isLoopbackIp(a.address));
  if (!isLoopbackIp(result.address)) throw refusal(result.address, undefined, "getaddrinfo");
  return result;
};

module.exports = { isLoopbackHost, isLoopbackIp };
