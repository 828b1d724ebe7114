import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, keys, FinFusionError } from '@finfusion/keys';

before(() => ready());

test('generate each type', () => {
  for (const type of Object.values(keys.KeyType)) {
    const key = keys.generate(type);
    const info = keys.TYPES[type];
    const text = key.reveal();
    assert.ok(text.startsWith(`${info.prefix}_`));
    assert.equal(key.type, type);
    assert.equal(key.environment, info.environment);
    assert.equal(key.id, text.slice(0, info.prefix.length + 17));
    assert.equal(keys.checkFormat(text), 'valid');
    assert.deepEqual(keys.parse(text), { id: key.id, type, environment: info.environment, formatVersion: 1 });
    assert.ok(new RegExp(keys.SCANNER_PATTERN).test(`FINFUSION_API_KEY=${text}\n`));
    assert.equal(keys.mask(text), `${key.id}_********`);
  }
});

test('unknown types and wrong JS types', () => {
  assert.throws(() => keys.generate('staging'), (e) => e instanceof FinFusionError && e.code === 'invalid_request');
  assert.throws(() => keys.generate(3), TypeError);
  assert.throws(() => keys.checkFormat(null), TypeError);
  assert.throws(() => keys.generateFromEntropy('development', 'text'), TypeError);
});

test('checkFormat never throws for a bad key', () => {
  const good = keys.generate('development').reveal();
  assert.equal(keys.checkFormat(''), 'malformed_key');
  assert.equal(keys.checkFormat(` ${good}`), 'malformed_key');
  assert.equal(keys.checkFormat(`${good.slice(0, 10)}\u0430${good.slice(11)}`), 'malformed_key');
  assert.equal(keys.checkFormat(`${good.slice(0, 10)}\ud800${good.slice(11)}`), 'malformed_key');
  assert.equal(keys.checkFormat('x'.repeat(100000)), 'malformed_key');
  assert.equal(keys.checkFormat(`DEV${good.slice(3)}`), 'unknown_prefix');
  assert.equal(keys.checkFormat(`prod${good.slice(3)}`), 'bad_checksum');
});

test('parse throws FinFusionError with the format code', () => {
  const key = keys.generate('production').reveal();
  for (const [bad, code] of [[key.slice(0, -1), 'malformed_key'], [`test${key.slice(4)}`, 'unknown_prefix'], [`rest${key.slice(4)}`, 'bad_checksum']]) {
    assert.throws(() => keys.parse(bad), (e) => e instanceof FinFusionError && e instanceof Error && e.code === code);
    assert.throws(() => keys.mask(bad), (e) => e.code === code);
  }
  const id = keys.generate('production').id;
  assert.equal(keys.parseId(id).type, 'production');
  assert.throws(() => keys.parseId(`live_${id.slice(5)}`), (e) => e.code === 'unknown_prefix');
});

test('generateFromEntropy is deterministic', () => {
  const a = keys.generateFromEntropy('development', new Uint8Array(192).fill(5));
  assert.equal(a.id, 'dev_5555555555555555');
  assert.throws(() => keys.generateFromEntropy('development', new Uint8Array(10)), (e) => e.code === 'invalid_request');
});

test('keys are unique', () => {
  const seen = new Set();
  for (let i = 0; i < 2000; i++) seen.add(keys.generate('production').reveal());
  assert.equal(seen.size, 2000);
});

test('type table', () => {
  const table = new keys.TypeTable();
  assert.equal(table.get('production').rotationPeriodMs, 90 * 86400000);
  assert.equal(table.get('restricted').requiresService, true);
  const custom = new keys.TypeTable({ production: { max_lifetime: '365d' } });
  assert.equal(custom.get('production').maxLifetimeMs, 365 * 86400000);
  assert.throws(() => new keys.TypeTable('{"production": {}, "production": {}}'), (e) => e.code === 'invalid_request' && /duplicate key/.test(e.message));
  assert.throws(() => table.get('staging'), (e) => e.code === 'invalid_request');
});
