import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, keys, lifecycle, FinFusionError } from '@finfusion/keys';

before(() => ready());

const NOW = new Date('2025-06-01T12:00:00Z');
const SEED = { name: 'Production API Key', type: 'production', permissions: ['payments', 'kyc', 'reporting'], expiration: '2025-12-31' };

test("the seed's create request", () => {
  const req = lifecycle.parseCreateRequest(SEED, NOW);
  assert.equal(req.name, 'Production API Key');
  assert.deepEqual(req.permissions.toList(), ['kyc', 'payments', 'reporting']);
  assert.equal(req.expiresAt.toISOString(), '2026-01-01T00:00:00.000Z');
  assert.equal(req.service, '');
  const again = lifecycle.parseCreateRequest(JSON.stringify(req), NOW.getTime());
  assert.deepEqual(again.toJSON(), req.toJSON());
});

test('restricted requests and the policy table', () => {
  const req = lifecycle.parseCreateRequest({ name: 'ledger sync', type: 'restricted', permissions: ['payments:read'], service: 'ledger-sync', parentKeyId: 'prod_7kNsV0dGlOW9eHuP' }, NOW);
  assert.equal(req.parentKeyId, 'prod_7kNsV0dGlOW9eHuP');
  const short = new keys.TypeTable({ production: { max_lifetime: '30d', rotation_period: '7d', rotation_warning: '1d' } });
  assert.throws(() => lifecycle.parseCreateRequest(SEED, NOW, short), (e) => e.code === 'invalid_request' && /^expiration: beyond the 30d/.test(e.message));
});

test('field-level errors', () => {
  for (const [change, field] of [[{ name: '' }, 'name'], [{ type: 'staging' }, 'type'], [{ permissions: ['Payments'] }, 'permissions'],
    [{ expiration: '2025-05-31' }, 'expiration'], [{ service: 'x' }, 'service'], [{ colour: 'red' }, '"colour"']]) {
    assert.throws(() => lifecycle.parseCreateRequest({ ...SEED, ...change }, NOW),
      (e) => e instanceof FinFusionError && e.code === 'invalid_request' && e.message.startsWith(`${field}:`));
  }
  assert.throws(() => lifecycle.parseCreateRequest('{"name": "a", "name": "b"}', NOW), (e) => /duplicate key/.test(e.message));
  assert.throws(() => lifecycle.parseCreateRequest(SEED, 'now'), TypeError);
  assert.throws(() => lifecycle.parseCreateRequest(SEED, NOW, {}), TypeError);
});

test('lone surrogates reach the core as invalid UTF-8, as in Python', () => {
  assert.throws(() => lifecycle.parseCreateRequest('{"name": "a\udcffb", "type": "production", "permissions": []}', NOW),
    (e) => e.code === 'invalid_request' && /UTF-8/.test(e.message));
  assert.throws(() => lifecycle.parseCreateRequest({ ...SEED, name: 'a\ud800' }, NOW), (e) => e.code === 'invalid_request');
  assert.equal(lifecycle.parseCreateRequest({ ...SEED, name: 'emoji \ud83d\udd11' }, NOW).name, 'emoji \ud83d\udd11');
});
