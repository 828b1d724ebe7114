// Encrypted export and import in Node (the browser's way to load a registry), and across
// languages: a registry exported by Python loads here and verifies its keys, and the reverse.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ready, registry, hashing, FinFusionError } from '@finfusion/keys';

const NOW = Date.UTC(2026, 0, 1);
const PEPPER = new Uint8Array(32).fill(7);
const MASTER = new Uint8Array(32).fill(0x2a);
const make = () => new registry.Registry(new hashing.Hasher({ p1: PEPPER }, 'p1'));
const code = (fn) => { try { fn(); } catch (e) { return e instanceof FinFusionError ? e.code : e.name; } return 'none'; };

before(() => ready());

test('export and import round trip, refusals, nothing half-loaded', () => {
  const source = make();
  const created = source.create({ name: 'Production API Key', type: 'production', permissions: ['payments'] }, { now: NOW, actor: 'admin' });
  assert.equal(source.verify(created.key.reveal(), { now: NOW }).code, 'valid');
  source.rotate({ currentKey: created.record.id, gracePeriod: '1h', now: NOW + 1000 });
  const text = source.exportEncrypted(MASTER, { now: NOW });
  assert.ok(text.startsWith('ffx1.'));
  assert.ok(!text.includes(created.record.id));
  const target = make();
  target.importEncrypted(text, MASTER);
  assert.deepEqual(JSON.parse(JSON.stringify(target.list())), JSON.parse(JSON.stringify(source.list())));
  assert.deepEqual(target.verifyChain(), source.verifyChain());
  assert.equal(target.verify(created.key.reveal(), { now: NOW + 2000 }).inGrace, true);
  assert.equal(code(() => target.importEncrypted(text, MASTER)), 'precondition_failed');
  const empty = make();
  assert.equal(code(() => empty.importEncrypted(text, new Uint8Array(32).fill(1))), 'invalid_request');
  assert.equal(code(() => empty.importEncrypted(text, new Uint8Array(5))), 'invalid_request');
  assert.equal(code(() => empty.importEncrypted(text, 'not bytes')), 'TypeError');
  assert.equal(code(() => empty.importEncrypted(`${text.slice(0, -3)}AAA`, MASTER)), 'invalid_request');
  assert.deepEqual(empty.list(), []);
  for (const r of [source, target, empty]) r.dispose();
});

const PYTHON = new URL('../../.venv/bin/python', import.meta.url).pathname;

test('a registry exported by Python loads in Node, and the reverse', { skip: !existsSync(PYTHON) && 'no .venv (run make test-python first)' }, () => {
  const py = (script, input) => execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(input), cwd: '/' }).toString();
  const fromPython = JSON.parse(py(`
import json, sys
from finfusion import hashing, registry
i = json.load(sys.stdin)
reg = registry.Registry(hashing.Hasher({"p1": b"\\x07" * 32}, current="p1"))
c = reg.create({"name": "from python", "type": "production", "permissions": ["payments"]}, now=i["now"])
print(json.dumps({"key": c.key.reveal(), "text": reg.export_encrypted(b"\\x2a" * 32, now=i["now"])}))`, { now: NOW }));
  const reg = make();
  reg.importEncrypted(fromPython.text, MASTER);
  assert.equal(reg.verify(fromPython.key, { now: NOW }).code, 'valid');
  const created = reg.create({ name: 'from node', type: 'development', permissions: ['kyc'] }, { now: NOW, actor: 'node' });
  const back = py(`
import json, sys
from finfusion import hashing, registry
i = json.load(sys.stdin)
reg = registry.Registry(hashing.Hasher({"p1": b"\\x07" * 32}, current="p1"))
reg.import_encrypted(i["text"], b"\\x2a" * 32)
print(json.dumps([reg.verify(k, now=i["now"]).code for k in i["keys"]] + [reg.verify_chain().ok]))`,
  { text: reg.exportEncrypted(MASTER, { now: NOW }), keys: [fromPython.key, created.key.reveal()], now: NOW });
  assert.deepEqual(JSON.parse(back), ['valid', 'valid', true]);
  reg.dispose();
});
