// Parity: Node exposes the binding surface of tests/surface.json (Python is checked against
// the same file), and the core's codes are the closed list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '@finfusion/keys';

const surface = JSON.parse(readFileSync(new URL('../surface.json', import.meta.url), 'utf8'));
const camel = (name) => (/^[A-Z0-9_]+$/.test(name) || /^[A-Z]/.test(name) ? name : name.replace(/_([a-z])/g, (_, c) => c.toUpperCase()));

before(() => api.ready());

test('every module exposes the surface, in camelCase', () => {
  for (const [module, names] of Object.entries(surface.modules)) {
    for (const name of names) assert.ok(camel(name) in api[module], `${module}.${camel(name)}`);
  }
  for (const name of surface.top_level) {
    const js = name === '__version__' ? 'version' : name;
    assert.ok(js in api, js);
  }
});

test('codes: the closed list, the same in the core, the package and the surface file', async () => {
  assert.deepEqual([...api.CODES], surface.codes);
  const core = await import('@finfusion/keys');
  assert.deepEqual([...core.CODES], surface.codes);
});

test('version is the repository VERSION', () => {
  assert.equal(api.version(), readFileSync(new URL('../../VERSION', import.meta.url), 'utf8').trim());
});

test('FinFusionError is an Error with a code', () => {
  const e = new api.FinFusionError('conflict', 'x');
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'conflict');
  assert.equal(e.name, 'FinFusionError');
});

test('calls before ready() would fail with precondition_failed, not crash', async () => {
  // This process is already loaded; check the message through a fresh CommonJS instance.
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const fresh = require('@finfusion/keys');
  // The CommonJS entry is a separate module instance: not loaded until its own ready().
  assert.throws(() => fresh.keys.checkFormat('x'), (e) => e.code === 'precondition_failed');
  await fresh.ready();
  assert.equal(fresh.keys.checkFormat('x'), 'malformed_key');
});
