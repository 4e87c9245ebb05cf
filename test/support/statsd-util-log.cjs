// Preloaded into the real Etsy statsd daemon (test/support/statsd-daemon.ts): statsd 0.9 logs through util.log,
// which Node 24 removed. This gives back that one function, in util.log's own format ("30 Nov 07:22:01 - text"),
// so the unchanged daemon runs beside every Node the tests run on. On a Node that still has util.log it does nothing.
'use strict';
const util = require('node:util');

if (typeof util.log !== 'function') {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const two = (n) => String(n).padStart(2, '0');
  util.log = function log(...args) {
    const d = new Date();
    const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    process.stdout.write(`${d.getDate()} ${MONTHS[d.getMonth()]} ${time} - ${util.format(...args)}\n`);
  };
}
