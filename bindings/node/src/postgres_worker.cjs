'use strict';
// The PostgreSQL side of @finfusion/keys' PostgreSQL registry: one `pg` client in a worker
// thread. The core (WebAssembly, on the caller's thread) sends each statement on `calls` and
// waits on `signal`; the answer is posted back, then the statement's id is stored in `signal`
// and the waiting thread woken. Notifications (LISTEN finfusion_keys) go to `events` as
// they arrive, and {lost: true} when the connection goes, for the core to drain before reads.
// Values come back as PostgreSQL's text, exactly as libpq gives them to the native build.
const { workerData } = require('node:worker_threads');
const os = require('node:os');

const { url, signal, calls, events } = workerData;
const asText = { getTypeParser: () => (value) => value };
const SQLSTATE = /^[0-9A-Z]{5}$/;
let client = null;

function lost(c) {
  if (c !== client) return;
  client = null;
  events.postMessage({ lost: true });
}

async function connect() {
  let pg;
  try {
    pg = require('pg');
  } catch {
    throw new Error('the pg package is not installed (npm install pg)');
  }
  const c = new pg.Client({ connectionString: url, types: asText });
  c.on('notification', (n) => events.postMessage(String(n.payload ?? '')));
  c.on('error', () => lost(c));
  c.on('end', () => lost(c));
  await c.connect();
  client = c;
}

async function drop() {
  const c = client;
  client = null;
  if (c) await c.end().catch(() => {});
}

async function handle(m) {
  switch (m.op) {
    case 'connect':
      await connect();
      return { hostname: os.hostname() };
    case 'reconnect':
      await drop();
      await connect();
      return {};
    case 'query': {
      if (!client) return { error: 'the connection is lost' };
      const r = await client.query(m.name
        ? { name: m.name, text: m.sql, values: m.params, rowMode: 'array' }
        : { text: m.sql, rowMode: 'array' });
      const last = Array.isArray(r) ? r[r.length - 1] : r;  // several statements: the last one's rows
      const cells = [];
      for (const row of last.rows) for (const value of row) cells.push(value ?? '');
      return { columns: last.fields.length, cells };
    }
    case 'close':
      await drop();
      return {};
    default:
      return { error: `unknown operation ${m.op}` };
  }
}

calls.on('message', async (m) => {
  let reply;
  try {
    reply = await handle(m);
  } catch (e) {
    const message = String((e && e.message) || e).trim();
    reply = { error: message, sqlstate: e && typeof e.code === 'string' && SQLSTATE.test(e.code) ? e.code : '' };
  }
  reply.id = m.id;
  calls.postMessage(reply);
  Atomics.store(signal, 0, m.id);
  Atomics.notify(signal, 0);
});
