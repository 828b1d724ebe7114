// The PostgreSQL registry from Node: the native build's store running in WebAssembly over
// `pg` (a worker thread answering synchronously). The same story as in memory, conflicts
// between instances, revocations reaching other instances' caches, a lost connection, and
// the fleet test: Python creates and revokes, Node verifies, against one database.
// Needs FINFUSION_TEST_POSTGRES (scripts/with-postgres.sh; make test sets it).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { ready, hashing, registry, FinFusionError } from '@finfusion/keys';

before(() => ready());

const SERVER = process.env.FINFUSION_TEST_POSTGRES ?? '';
const REQUIRED = process.env.FINFUSION_REQUIRE_POSTGRES === '1';
const skip = SERVER === '' && !REQUIRED ? 'FINFUSION_TEST_POSTGRES is not set' : false;
const PEPPER = new Uint8Array(32).fill(7);
const NOW = new Date('2025-12-31T12:00:00Z');
const SEED = { name: 'Production API Key', type: 'production', permissions: ['payments', 'kyc'] };

let databases = 0;
function freshDatabase() {
  if (SERVER === '') throw new Error('FINFUSION_TEST_POSTGRES is not set');
  const name = `node_${process.pid}_${++databases}`;
  execFileSync('psql', ['-q', SERVER, '-c', `CREATE DATABASE ${name}`]);
  return SERVER.replace(/\/[^/]*$/, `/${name}`);
}

function open(store, opts = {}) {
  return new registry.Registry(new hashing.Hasher({ p1: PEPPER }, 'p1'), undefined, { seed: 'store', store, ...opts });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Verifies until `code` comes back (notifications are asynchronous), for at most 2 s.
async function eventually(reg, key, code, now) {
  let last;
  for (let i = 0; i < 200; i++) {
    last = reg.verify(key, { now }).code;
    if (last === code) return;
    await sleep(10);
  }
  assert.equal(last, code);
}

function story(reg) {
  const parent = reg.create(SEED, { now: NOW, actor: 'admin:alice' });
  const key = parent.key.reveal();
  for (let i = 0; i < 3; i++) {
    assert.equal(reg.verify(key, { now: NOW.getTime() + i * 1000, required: ['payments:charge'], latencyMs: 3.5 }).valid, true);
  }
  assert.equal(reg.verify(key, { now: NOW, required: ['reporting'] }).code, 'insufficient_scope');
  const rotated = reg.rotate({ currentKey: parent.record.id, gracePeriod: '1h', now: NOW.getTime() + 5000 });
  assert.throws(() => reg.rotate({ currentKey: parent.record.id, now: NOW.getTime() + 6000 }), { code: 'conflict' });
  reg.revoke(rotated.id, { now: NOW.getTime() + 7000, reason: 'leaked' });
  const records = reg.list();
  const usage = records.map((r) => reg.getUsage({ keyId: r.id, timeframe: { start: '2025-12-31', end: '2026-01-02' } }));
  const logs = reg.logs({ limit: 1000 }).map((e) => ({ ...e, writer: undefined }));
  const chain = reg.verifyChain();
  assert.equal(chain.ok, true);
  assert.equal(chain.chains, 1);
  return JSON.stringify([records, usage, logs, chain.checked, chain.head]);
}

test('a PostgreSQL registry tells the same story as one in memory', { skip }, () => {
  const pg = open(freshDatabase());
  const memory = open('memory:');
  try {
    assert.equal(story(pg), story(memory));
    assert.equal(String(pg), 'Registry(store=postgresql:)');
  } finally {
    pg.dispose();
    memory.dispose();
  }
});

test('two instances rotating one key: one successor and one conflict', { skip }, () => {
  const url = freshDatabase();
  const a = open(url, { writer: 'a' });
  const b = open(url, { writer: 'b' });
  try {
    const created = a.create(SEED, { now: NOW });
    assert.equal(b.get(created.record.id).id, created.record.id);
    a.rotate({ currentKey: created.record.id, now: NOW });
    assert.throws(() => b.rotate({ currentKey: created.record.id, now: NOW }), (e) => e instanceof FinFusionError && e.code === 'conflict');
    const successors = a.list().filter((r) => r.replaces === created.record.id);
    assert.equal(successors.length, 1);
    b.revoke(successors[0].id, { now: NOW });
    const chain = b.verifyChain();
    assert.equal(chain.ok, true);
    assert.equal(chain.chains, 2);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test("a revocation reaches another instance's cache at once", { skip }, async () => {
  const url = freshDatabase();
  const a = open(url);
  const b = open(url);
  try {
    const created = a.create(SEED, { now: NOW });
    const key = created.key.reveal();
    assert.equal(b.verify(key, { now: NOW }).code, 'valid');  // cached in b now
    a.revoke(created.record.id, { now: NOW, reason: 'compromised' });
    await eventually(b, key, 'revoked', NOW);
  } finally {
    a.dispose();
    b.dispose();
  }
});

test('held-back verifications are written on dispose; a lost connection is reopened', { skip }, () => {
  const url = freshDatabase();
  const a = open(url);
  const created = a.create(SEED, { now: NOW });
  const key = created.key.reveal();
  for (let i = 0; i < 5; i++) assert.equal(a.verify(key, { now: NOW }).code, 'valid');
  a.dispose();
  assert.throws(() => a.list(), { code: 'precondition_failed' });
  const b = open(url);
  try {
    assert.equal(b.logs({ keyId: created.record.id, eventTypes: ['key.accessed'] }).length, 5);
    // Every session of this database but the one asking is cut (b's included).
    const name = url.slice(url.lastIndexOf('/') + 1);
    execFileSync('psql', ['-q', SERVER, '-c',
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`]);
    let code;
    for (let i = 0; i < 3 && code === undefined; i++) {
      try {
        code = b.revoke(created.record.id, { now: NOW }).status;
      } catch (e) {
        assert.equal(e.code, 'storage_unavailable');  // the cut was noticed by this call; the next one reconnects
      }
    }
    assert.equal(code, 'revoked');
    assert.equal(b.verify(key, { now: NOW }).code, 'revoked');
  } finally {
    b.dispose();
  }
});

test('an unreachable server is storage_unavailable, and its password is not in the message', { skip }, () => {
  assert.throws(() => open('postgresql://finfusion:hunter2-secret@127.0.0.1:1/none', { timeoutMs: 20000 }), (e) => {
    assert.equal(e.code, 'storage_unavailable');
    assert.ok(!e.message.includes('hunter2'), e.message);
    return true;
  });
  assert.throws(() => open('sqlite:/tmp/x.db'), { code: 'storage_unavailable' });
  assert.throws(() => open('postgresql://127.0.0.1/x', { timeoutMs: 0 }), TypeError);
});

// Python's side of the fleet test: a live registry reading JSON commands, one per line.
const PYTHON_SIDE = String.raw`
import datetime as dt, json, sys
from finfusion import hashing, registry
reg = registry.Registry(hashing.Hasher({"p1": bytes([7]) * 32}, current="p1"), store=sys.argv[1])
reg.set_master_keys({"m1": bytes([0x11]) * 32}, "m1")
now = dt.datetime(2025, 12, 31, 12, tzinfo=dt.timezone.utc)
for line in sys.stdin:
    c = json.loads(line)
    if c["op"] == "create":
        created = reg.create(c["request"], now=now, actor="python")
        out = {"id": created.record.id, "key": created.key.reveal()}
    elif c["op"] == "verify":
        out = {"code": reg.verify(c["key"], now=now).code}
    elif c["op"] == "webhook":
        out = {"secret": reg.webhook_secret(c["id"]).reveal()}
    elif c["op"] == "deliver":
        claimed = reg.claim_notifications("python-mailer", now=now)
        out = {"sent": [reg.settle_notification(n, "python-mailer", now=now, delivered=True).id for n in claimed]}
    else:
        out = {"status": reg.revoke(c["id"], now=now, actor="python").status}
    print(json.dumps(out), flush=True)
`;

function python() {
  const candidates = [process.env.FINFUSION_PYTHON, new URL('../../.venv/bin/python', import.meta.url).pathname];
  return candidates.find((p) => p && existsSync(p));
}

test('the fleet: Python creates and revokes, Node verifies, and the other way round', { skip }, async () => {
  const exe = python();
  assert.ok(exe, 'no Python with finfusion installed (make test-python, or set FINFUSION_PYTHON)');
  const url = freshDatabase();
  const child = spawn(exe, ['-c', PYTHON_SIDE, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (command) => {
    child.stdin.write(JSON.stringify(command) + '\n');
    const { value, done } = await lines.next();
    assert.equal(done, false, 'the Python side stopped');
    return JSON.parse(value);
  };
  const node = open(url);
  try {
    const first = await ask({ op: 'create', request: SEED });
    const second = await ask({ op: 'create', request: { ...SEED, name: 'second' } });
    assert.equal(node.verify(first.key, { now: NOW }).code, 'valid');
    assert.equal(node.verify(second.key, { now: NOW }).code, 'valid');
    assert.equal((await ask({ op: 'verify', key: second.key })).code, 'valid');  // cached in Python now
    // Python revokes: Node's cached record is dropped by the notification.
    assert.equal((await ask({ op: 'revoke', id: first.id })).status, 'revoked');
    await eventually(node, first.key, 'revoked', NOW);
    // Node revokes: Python's cached record is dropped the same way.
    node.revoke(second.id, { now: NOW, actor: 'node' });
    let code;
    for (let i = 0; i < 200 && code !== 'revoked'; i++) {
      code = (await ask({ op: 'verify', key: second.key })).code;
      if (code !== 'revoked') await sleep(10);
    }
    assert.equal(code, 'revoked');
    // Same decisions for the same reason in both, and one log with a chain per writer.
    assert.equal(node.verify('prod_' + 'x'.repeat(40), { now: NOW }).code, (await ask({ op: 'verify', key: 'prod_' + 'x'.repeat(40) })).code);
    const actors = node.logs({ eventTypes: ['key.created', 'key.revoked'] }).map((e) => `${e.type}:${e.actor}`);
    assert.deepEqual(actors, ['key.created:python', 'key.created:python', 'key.revoked:python', 'key.revoked:node']);
    // A webhook secret Node keeps sealed opens in Python with the same master key.
    node.setMasterKeys({ m1: new Uint8Array(32).fill(0x11) }, 'm1');
    const hook = node.issueWebhookSecret('ep_fleet', { now: NOW, actor: 'node' });
    assert.equal((await ask({ op: 'webhook', id: 'ep_fleet' })).secret, hook.reveal());
    // A rotation notice Node queues is delivered by Python's mailer, once.
    const third = await ask({ op: 'create', request: { ...SEED, name: 'third' } });
    node.rotate({ currentKey: third.id, gracePeriod: '1h', notifyEmails: ['ops@example.com'], now: NOW });
    const [notice] = node.notifications();
    assert.equal(notice.kind, 'key.rotated');
    assert.deepEqual((await ask({ op: 'deliver' })).sent, [notice.id]);
    assert.deepEqual((await ask({ op: 'deliver' })).sent, []);
    assert.equal(node.notifications({ id: notice.id })[0].status, 'sent');
    const chain = node.verifyChain();
    assert.equal(chain.ok, true);
    assert.equal(chain.chains, 2);
  } finally {
    child.stdin.end();
    node.dispose();
    await new Promise((resolve) => child.once('exit', resolve));
  }
});

// Both languages at once, in separate processes: each rotates the head of every chain, round
// after round (a rotation that loses the race is a conflict), and prints how many it won.
// Python's side is the pytest suite's (tests/support/rotate_worker.py).
const NODE_ROTATOR = `
import { ready, hashing, registry } from '@finfusion/keys';
await ready();
const [url, rounds, ...ids] = process.argv.slice(1);
const reg = new registry.Registry(new hashing.Hasher({ p1: new Uint8Array(32).fill(7) }, 'p1'), undefined, { store: url });
let won = 0;
for (let r = 0; r < Number(rounds); r++) {
  for (let i = 0; i < ids.length; i++) {
    let head = reg.get(ids[i]);
    while (head.replacedBy) head = reg.get(head.replacedBy);
    ids[i] = head.id;
    try {
      reg.rotate({ currentKey: head.id, gracePeriod: 0, now: Date.UTC(2026, 0, 1) + r });
      won++;
    } catch (e) {
      if (e.code !== 'conflict') throw e;
    }
  }
}
reg.dispose();
console.log(won);
`;

function run(exe, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`${exe} exited with ${code}`))));
  });
}

test('Node and Python rotating the same keys at once: one successor per key, no event lost', { skip }, async () => {
  const exe = python();
  assert.ok(exe, 'no Python with finfusion installed (make test-python, or set FINFUSION_PYTHON)');
  const url = freshDatabase();
  const reg = open(url);
  try {
    const ids = [0, 1, 2].map(() => reg.create(SEED, { now: NOW }).record.id);
    const rounds = '30';
    const won = await Promise.all([
      run(process.execPath, ['--input-type=module', '-e', NODE_ROTATOR, url, rounds, ...ids]),
      run(exe, [new URL('../support/rotate_worker.py', import.meta.url).pathname, url, 'python', rounds, ...ids]),
    ]);
    const total = won[0] + won[1];
    assert.ok(won[0] > 0 && won[1] > 0, `won ${won}`);
    const records = reg.list();
    assert.equal(records.length, 3 + total);
    const successors = records.filter((r) => r.replaces).map((r) => r.replaces);
    assert.equal(new Set(successors).size, successors.length);  // one successor per key
    const chain = reg.verifyChain();
    assert.equal(chain.ok, true);
    assert.equal(chain.checked, 3 + 2 * total);
  } finally {
    reg.dispose();
  }
});
