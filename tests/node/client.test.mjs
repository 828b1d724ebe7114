// The seed's Node usage, verbatim where it can be.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { readFileSync } from 'node:fs';
import { ready, keys, FinFusion } from '@finfusion/keys';

before(() => ready());

const surface = JSON.parse(readFileSync(new URL('../surface.json', import.meta.url), 'utf8'));
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

test("the seed's client and its calls", async () => {
  process.env.FINFUSION_API_KEY = keys.generate('production').reveal();
  const finfusion = new FinFusion({
    apiKey: process.env.FINFUSION_API_KEY,
    environment: 'production',
    options: {
      timeout: 30000,
      retries: 3,
    },
  });
  assert.equal(finfusion.timeoutMs, 30000);
  assert.ok(!inspect(finfusion).includes(process.env.FINFUSION_API_KEY.slice(22)));
  for (const name of surface.client) assert.equal(typeof finfusion.apiKeys[camel(name)], 'function', name);
  const now = new Date('2025-06-01T00:00:00Z');
  const created = await finfusion.apiKeys.create({ name: 'Production API Key', type: 'production', permissions: ['payments', 'kyc', 'reporting'], expiration: '2025-12-31' }, { now });
  // Rotate API key
  const newKey = await finfusion.apiKeys.rotate({
    currentKey: created.record.id,
    gracePeriod: '48h', // Both keys will work for 48 hours
    notifyEmails: ['security@yourcompany.com'],
    now,
  });
  // Verify key rotation
  const keyInfo = await finfusion.apiKeys.verify(newKey.id, { now });
  assert.equal(keyInfo.valid, true);
  const decision = await finfusion.apiKeys.verify(created.key.reveal(), { now, required: ['payments'] });
  assert.equal(decision.inGrace, true);
  const usage = await finfusion.apiKeys.getUsage({
    keyId: created.record.id,
    timeframe: { start: '2025-06-01', end: '2025-06-30' },
    metrics: ['requests', 'errors', 'latency'],
  });
  assert.equal(usage.requests, 1);
  const logs = await finfusion.apiKeys.getLogs({
    keyId: created.record.id,
    limit: 100,
    eventTypes: ['key.created', 'key.rotated', 'key.accessed'],
  });
  assert.deepEqual(logs.map((e) => e.type), ['key.created', 'key.rotated', 'key.accessed']);
  assert.equal(logs[0].actor, `key:${finfusion.keyId}`);
  assert.equal((await finfusion.apiKeys.revoke(newKey.id, { now })).status, 'revoked');
  assert.equal((await finfusion.apiKeys.list()).length, 2);
});

test('client arguments are checked by the core', () => {
  assert.throws(() => new FinFusion({ apiKey: undefined, environment: 'production' }), (e) => e.code === 'invalid_request' && /api_key/.test(e.message));
  const dev = keys.generate('development').reveal();
  assert.throws(() => new FinFusion({ apiKey: dev, environment: 'production' }), (e) => e.code === 'environment_mismatch');
  assert.equal(new FinFusion({ apiKey: dev, environment: 'sandbox' }).environment, 'sandbox');
  const prod = keys.generate('production').reveal();
  for (const opts of [{ timeout: 0 }, { timeout: '30s' }, { retries: 11 }, { retry: 3 }]) {
    assert.throws(() => new FinFusion({ apiKey: prod, options: opts }), (e) => e.code === 'invalid_request' && !e.message.includes(prod.slice(22)));
  }
  assert.throws(() => new FinFusion({ apiKey: 42 }), TypeError);
});
