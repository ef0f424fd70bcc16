// Preload (NODE_OPTIONS="--require <this file>") that makes every listen() without a host, or with a wildcard
// host, bind 127.0.0.1: the KubeSphere BFF has no bind-address setting (console-local.md §9).
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = require('node:net');

const WILDCARD = new Set([undefined, null, '', '0.0.0.0', '::', '::0']);
const listen = net.Server.prototype.listen;

net.Server.prototype.listen = function loopbackListen(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const isSocket =
      first.path !== undefined || first.fd !== undefined || first.handle !== undefined || first._handle;
    if (!isSocket && WILDCARD.has(first.host)) args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string' || args[1] === null) {
      if (WILDCARD.has(args[1])) args[1] = '127.0.0.1';
    } else {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (first === undefined || typeof first === 'function') {
    args.unshift(0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
