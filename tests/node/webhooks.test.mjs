// Standard Webhooks from Node: the specification's vectors, rotation, the time window,
// typed errors, and no secret in any text.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ready, webhooks, FinFusionError } from '@finfusion/keys';

const VECTORS = JSON.parse(readFileSync(new URL('../vectors/external/standard_webhooks.json', import.meta.url), 'utf8'));

before(() => ready());

test('specification vectors: sign reproduces, verify accepts, negatives fail', () => {
  for (const c of VECTORS.cases) {
    const ms = c.timestamp * 1000;
    assert.deepEqual(webhooks.sign(c.secret, c.msg_id, c.payload, { timestamp: ms }), c.headers);
    assert.equal(webhooks.signature(c.secret, c.msg_id, ms, c.payload), c.expected_signature);
    const headers = new Headers(c.headers);
    const v = webhooks.verify(c.secret, headers, new TextEncoder().encode(c.payload), { now: ms });
    assert.deepEqual([v.valid, v.code, v.msgId, v.timestamp], [true, 'valid', c.msg_id, c.timestamp]);
  }
  for (const n of VECTORS.negative_cases) {
    const c = VECTORS.cases.find((x) => x.name === n.base_case);
    const v = webhooks.verify(c.secret, { ...c.headers, 'webhook-signature': n.signature }, c.payload, { now: c.timestamp * 1000 });
    assert.deepEqual([v.valid, v.code], [false, 'signature_invalid']);
  }
});

test('rotation and the time window', () => {
  const [oldS, newS] = [webhooks.WebhookSecret.generate(), webhooks.WebhookSecret.generate()];
  const now = Date.UTC(2026, 0, 1);
  const headers = webhooks.sign([newS, oldS], 'msg_1', '{}', { timestamp: now });
  assert.equal(headers['webhook-signature'].split(' ').length, 2);
  assert.equal(webhooks.verify(oldS, headers, '{}', { now }).code, 'valid');
  assert.equal(webhooks.verify(newS, headers, '{ }', { now }).code, 'signature_invalid');
  assert.equal(webhooks.verify(newS, headers, '{}', { now: now + 301000 }).code, 'signature_expired');
  assert.equal(webhooks.verify(newS, headers, '{}', { now: now + 301000, tolerance: 600 }).code, 'valid');
  assert.equal(webhooks.verify(newS, {}, '{}', { now }).code, 'invalid_request');
  // Several secrets, a binary payload of 1 MiB and header values in any case cross in one buffer.
  const big = new Uint8Array(1 << 20).map((_, i) => i & 0xFF);
  const signed = webhooks.sign([oldS, newS], 'msg_2KWPBgLl', big, { timestamp: now });
  const shouted = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]));
  const v = webhooks.verify([webhooks.WebhookSecret.generate(), newS], shouted, big, { now });
  assert.deepEqual([v.valid, v.code, v.msgId, v.timestamp], [true, 'valid', 'msg_2KWPBgLl', now / 1000]);
  oldS.dispose();
  newS.dispose();
  assert.throws(() => webhooks.sign(oldS, 'msg_1', '{}'), (e) => e instanceof FinFusionError && e.code === 'precondition_failed');
  assert.throws(() => webhooks.verify([newS], headers, '{}', { now }), (e) => e instanceof FinFusionError && e.code === 'precondition_failed');
});

test('secrets are typed and never shown', () => {
  const s = webhooks.WebhookSecret.generate();
  const text = s.reveal();
  assert.ok(text.startsWith('whsec_'));
  for (const out of [String(s), inspect(s), JSON.stringify(s)]) assert.ok(!out.includes(text.slice(6, 20)), out);
  const code = (fn) => { try { fn(); } catch (e) { return e instanceof FinFusionError ? e.code : e.name; } return 'none'; };
  assert.equal(code(() => webhooks.WebhookSecret.parse('whsec_!!!')), 'invalid_request');
  assert.equal(code(() => webhooks.WebhookSecret.fromBytes(new Uint8Array(23))), 'invalid_request');
  assert.equal(code(() => webhooks.sign(s, 'msg.1', '{}')), 'invalid_request');
  assert.equal(code(() => webhooks.sign(s, 'msg_1', 42)), 'TypeError');
  s.dispose();
});
