import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ready, hashing, registry, signing } from '@finfusion/keys';

before(() => ready());

const NOW = new Date('2025-06-01T12:00:00Z');
const HOUR = 3600000;
const SEED = { name: 'Production API Key', type: 'production', permissions: ['payments', 'kyc', 'reporting'], expiration: '2025-12-31' };

function fresh() {
  return new registry.Registry(new hashing.Hasher({ p1: hashing.generatePepper() }, 'p1'));
}

test("the seed's calls: create, verify, rotate with gracePeriod, verify(newKey.id), getLogs", () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW, actor: 'admin:alice' });
  const key = created.key.reveal();
  assert.equal(reg.verify(key, { now: NOW, required: ['payments:charge'], environment: 'production' }).code, 'valid');
  const newKey = reg.rotate({ currentKey: created.record.id, gracePeriod: '48h', notifyEmails: ['security@yourcompany.com'], now: NOW });
  assert.equal(newKey.current.version, 2);
  assert.equal(reg.status(newKey.id, { now: NOW }).valid, true);
  const before = reg.verify(key, { now: NOW.getTime() + 48 * HOUR - 1 });
  assert.equal(before.valid, true);
  assert.equal(before.inGrace, true);
  assert.equal(reg.verify(key, { now: NOW.getTime() + 48 * HOUR }).code, 'expired');
  const logs = reg.logs({ keyId: created.record.id, limit: 100, eventTypes: ['key.created', 'key.rotated', 'key.accessed'] });
  assert.deepEqual(logs.map((e) => e.type), ['key.created', 'key.accessed', 'key.rotated', 'key.accessed']);
  assert.ok(logs[0].at instanceof Date);
  assert.equal(reg.verifyChain().ok, true);
  for (const e of reg.logs({ limit: 1000 })) assert.ok(!JSON.stringify(e).includes(key.slice(22, 40)));
  reg.dispose();
});

test('refusals are values; bad arguments throw', () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW });
  const key = created.key.reveal();
  assert.equal(reg.verify('garbage', { now: NOW }).code, 'malformed_key');
  assert.equal(reg.verify(key, { now: NOW, environment: 'sandbox' }).code, 'environment_mismatch');
  assert.equal(reg.verify(key, { now: NOW, required: ['payouts'] }).code, 'insufficient_scope');
  reg.revoke(created.record.id, { now: NOW, reason: 'leaked' });
  assert.equal(reg.verify(key, { now: NOW }).code, 'revoked');
  assert.throws(() => reg.revoke(created.record.id, { now: NOW }), (e) => e.code === 'conflict');
  assert.throws(() => reg.verify(key, { now: NOW, required: ['Payments'] }), (e) => e.code === 'invalid_scope');
  assert.throws(() => reg.verify(42, { now: NOW }), TypeError);
  assert.throws(() => reg.create(SEED, { now: 'now' }), TypeError);
  assert.throws(() => reg.rotate({ currentKey: created.record.id, gracePeriod: '-1h', now: NOW }), (e) => e.code === 'invalid_duration');
  assert.throws(() => new registry.Registry({}), TypeError);
});

test('no secret in inspect, JSON or the registry itself', () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW });
  const secret = created.key.reveal().slice(22, 60);
  for (const textValue of [inspect(created, { depth: 5 }), JSON.stringify(created), String(reg), inspect(reg)]) {
    assert.ok(!textValue.includes(secret), textValue);
  }
});

test("getUsage as the seed asks", () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW });
  for (const ms of [10, 20, 30, 40]) reg.verify(created.key.reveal(), { now: NOW, latencyMs: ms });
  reg.verify(created.key.reveal(), { now: NOW, required: ['payouts'], latencyMs: 5 });
  const usage = reg.getUsage({ keyId: created.record.id, timeframe: { start: '2025-06-01', end: '2025-06-01' }, metrics: ['requests', 'errors', 'latency'] });
  assert.deepEqual([usage.requests, usage.errors, usage.latency.count], [5, 1, 5]);
  assert.ok(Math.abs(usage.latency.p50Ms - 20) <= 20 / 16);
  const onlyErrors = reg.getUsage({ keyId: created.record.id, timeframe: { start: NOW, end: new Date(NOW.getTime() + HOUR) }, metrics: ['errors'] });
  assert.equal(onlyErrors.errors, 1);
  assert.equal('requests' in onlyErrors, false);
  assert.throws(() => reg.getUsage({ keyId: created.record.id, timeframe: { start: '2025-06-01', end: '2025-06-01' }, metrics: ['cpu'] }), (e) => e.code === 'invalid_request');
  assert.throws(() => reg.verify(created.key.reveal(), { now: NOW, latencyMs: '5' }), TypeError);
});

test('actors that are not text are refused, not crashed', () => {
  const reg = fresh();
  assert.throws(() => reg.create(SEED, { now: NOW, actor: 'admin\udcff' }), (e) => e.code === 'invalid_request' && /actor/.test(e.message));
  const created = reg.create(SEED, { now: NOW, actor: 'admin:élodie' });
  assert.throws(() => reg.revoke(created.record.id, { now: NOW, reason: 'a\ud800' }), (e) => e.code === 'invalid_request');
  assert.equal(reg.verifyChain().ok, true);
});

test('sealed secrets: request-signing and webhook secrets kept under master keys, which rotate', () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW });
  const id = created.record.id;
  assert.throws(() => reg.issueSigningSecret(id, { now: NOW }), { code: 'precondition_failed' });
  reg.setMasterKeys({ m1: new Uint8Array(32).fill(0x11) }, 'm1');
  const issued = reg.issueSigningSecret(id, { now: NOW, algorithm: 'ed25519', actor: 'admin:alice' });
  assert.equal(issued.keyId, id);
  const request = { method: 'POST', url: 'https://api.example.com/v1/charges', headers: { 'content-type': 'application/json' }, body: '{}' };
  const added = signing.signRequest(request, issued, { now: NOW });
  const v = signing.verifyRequest({ ...request, headers: { ...request.headers, ...added } }, reg.signingKey(id), { now: NOW });
  assert.equal(v.valid, true);
  assert.equal(v.keyId, id);
  const hook = reg.issueWebhookSecret('ep_orders', { now: NOW });
  assert.equal(reg.webhookSecret('ep_orders').reveal(), hook.reveal());
  assert.equal(String(reg.webhookSecret('ep_orders')), 'WebhookSecret(whsec_...)');
  reg.setMasterKeys(new Map([['m1', new Uint8Array(32).fill(0x11)], ['m2', new Uint8Array(32).fill(0x22)]]), 'm2');
  assert.equal(reg.reencryptSecrets({ now: NOW }), 2);
  assert.equal(reg.reencryptSecrets({ now: NOW }), 0);
  reg.setMasterKeys({ m2: new Uint8Array(32).fill(0x22) }, 'm2');
  assert.equal(reg.webhookSecret('ep_orders').reveal(), hook.reveal());
  assert.deepEqual(reg.logs({ eventTypes: ['secret.issued', 'secret.reencrypted'] }).map((e) => e.type),
    ['secret.issued', 'secret.issued', 'secret.reencrypted']);
  assert.throws(() => reg.webhookSecret('ep_missing'), { code: 'not_found' });
  assert.throws(() => reg.issueWebhookSecret('bad endpoint', { now: NOW }), { code: 'invalid_request' });
  assert.throws(() => reg.setMasterKeys({ m3: new Uint8Array(5) }, 'm3'), { code: 'invalid_request' });
  assert.throws(() => reg.setMasterKeys('m3', 'm3'), TypeError);
  for (const e of reg.logs({ limit: 1000 })) assert.ok(!JSON.stringify(e).includes(hook.reveal()));
  reg.dispose();
});

test('automated rotation rotates what is due, once', () => {
  const reg = fresh();
  const old = reg.create({ name: 'old', type: 'production', permissions: ['payments'] }, { now: NOW });
  const young = reg.create({ name: 'young', type: 'production', permissions: ['payments'] }, { now: NOW.getTime() + 60 * 24 * HOUR });
  const later = NOW.getTime() + 95 * 24 * HOUR;
  const made = reg.rotateDue({ now: later, gracePeriod: '48h', notifyEmails: ['security@yourcompany.com'], actor: 'cron' });
  assert.deepEqual(made.map((r) => r.previous.id), [old.record.id]);
  assert.equal(made[0].previous.graceUntil.getTime(), later + 48 * HOUR);
  assert.equal(reg.verify(made[0].key.reveal(), { now: later }).valid, true);
  assert.deepEqual(reg.rotateDue({ now: later + HOUR, actor: 'cron' }), []);
  assert.equal(reg.get(young.record.id).replacedBy, '');
  assert.throws(() => reg.rotateDue({ now: later, gracePeriod: 'soon' }), { code: 'invalid_duration' });
});

test('the outbox: a rotation notice, warnings and alerts, claimed with a lease and settled', () => {
  const reg = fresh();
  assert.deepEqual(registry.NOTIFICATION_KINDS, ['key.rotated', 'key.expiring', 'key.rotation_due', 'key.anomaly', 'key.rate_limit']);
  assert.equal(registry.MAX_DELIVERY_ATTEMPTS, 12);
  reg.setAlertRecipients(['security@example.com']);
  assert.throws(() => reg.setAlertRecipients(['nobody']), { code: 'invalid_request' });
  assert.throws(() => reg.setAlertRecipients('security@example.com'), TypeError);
  const created = reg.create({ ...SEED, owner: 'alice@example.com' }, { now: NOW });
  const rotated = reg.rotate({ currentKey: created.record.id, gracePeriod: '48h', notifyEmails: ['ops@example.com'], now: NOW });
  const [notice] = reg.notifications();
  assert.equal(notice.kind, 'key.rotated');
  assert.deepEqual(notice.recipients, ['ops@example.com']);
  assert.equal(notice.subject, 'FinFusion Keys: API key "Production API Key" was rotated');
  assert.ok(notice.body.includes(rotated.id));
  assert.ok(!notice.body.includes(rotated.key.reveal()));
  assert.ok(notice.createdAt instanceof Date && notice.leaseUntil === null && notice.sentAt === null);

  const claimed = reg.claimNotifications('mailer-1', { now: NOW, lease: '5m' });
  assert.deepEqual(claimed.map((n) => n.id), [notice.id]);
  assert.equal(claimed[0].leaseUntil.getTime(), NOW.getTime() + 300000);
  assert.deepEqual(reg.claimNotifications('mailer-2', { now: NOW }), []);
  assert.throws(() => reg.settleNotification(notice, 'mailer-2', { now: NOW, delivered: true }), { code: 'conflict' });
  assert.throws(() => reg.settleNotification(notice, 'mailer-1', { now: NOW }), TypeError);
  const failed = reg.settleNotification(notice, 'mailer-1', { now: NOW, delivered: false, error: 'connection refused' });
  assert.equal(failed.attempts, 1);
  assert.equal(failed.dueAt.getTime(), NOW.getTime() + 30000);
  reg.claimNotifications('mailer-1', { now: NOW.getTime() + 30000 });
  const sent = reg.settleNotification(notice.id, 'mailer-1', { now: NOW.getTime() + 30000, delivered: true });
  assert.equal(sent.status, 'sent');
  assert.deepEqual(sent.toJSON(), reg.notifications({ status: 'sent' })[0].toJSON());

  // By late December the successor nears its expiry (the 31st) and is past its rotation
  // date: warned once each, to its owner and the alert recipients.
  const december = Date.UTC(2025, 11, 20);
  assert.equal(reg.queueWarnings({ now: december }), 2);
  assert.equal(reg.queueWarnings({ now: december + HOUR }), 0);
  const warnings = reg.notifications({ status: 'pending' });
  assert.deepEqual(warnings.map((n) => n.kind).sort(), ['key.expiring', 'key.rotation_due']);
  assert.deepEqual(warnings[0].recipients, ['alice@example.com', 'security@example.com']);
  assert.throws(() => reg.claimNotifications('', { now: NOW }), { code: 'invalid_request' });
  assert.throws(() => reg.notifications({ status: 'lost' }), { code: 'invalid_request' });
});

test('the verification hot path follows every change of context and refuses what does not fit', () => {
  const reg = fresh();
  const created = reg.create(SEED, { now: NOW });
  const key = created.key.reveal();
  const required = ['payments:charge'];
  assert.equal(reg.verify(key, { now: NOW, required }).code, 'valid');
  required[0] = 'admin';  // the same array, changed in place
  assert.equal(reg.verify(key, { now: NOW, required }).code, 'insufficient_scope');
  assert.equal(reg.verify(key, { now: NOW, required: [] }).code, 'valid');
  assert.equal(reg.verify(key, { now: NOW, environment: 'sandbox' }).code, 'environment_mismatch');
  assert.equal(reg.verify(key, { now: NOW, actor: 'svc:a' }).code, 'valid');
  assert.equal(reg.verify(key, { now: NOW, actor: 'svc:b' }).code, 'valid');
  assert.deepEqual(reg.logs({ limit: 2 }).map((e) => e.actor), ['svc:a', 'svc:b']);
  assert.throws(() => reg.verify(key, { now: NOW, environment: 'staging' }), { code: 'invalid_request' });
  assert.throws(() => reg.verify(key, { now: NOW, required: [7] }), TypeError);
  assert.equal(reg.verify(key, { now: NOW }).code, 'valid');  // a refused context left nothing behind
  // Keys that are not ASCII, or longer than the hot path's buffer, get the same answers.
  assert.equal(reg.verify(key.slice(0, -1) + 'é', { now: NOW }).code, 'malformed_key');
  assert.equal(reg.verify(key + 'x'.repeat(300), { now: NOW }).code, 'malformed_key');
  assert.equal(reg.verify('', { now: NOW }).code, 'malformed_key');
  const d = reg.verify(key, { now: NOW, required: ['payments'] });
  assert.deepEqual(Object.keys(d), ['valid', 'code', 'keyId', 'type', 'environment', 'permissions', 'expiresAt',
    'inGrace', 'replacedBy', 'graceUntil', 'rateLimit']);
  assert.ok(Object.isFrozen(d) && Object.isFrozen(d.permissions));
  assert.equal(d.keyId, created.record.id);
  assert.deepEqual(d.permissions, ['kyc', 'payments', 'reporting']);
  assert.equal(JSON.stringify(d.toJSON()), JSON.stringify({ valid: true, code: 'valid', keyId: created.record.id,
    type: 'production', environment: 'production', permissions: ['kyc', 'payments', 'reporting'],
    expiresAt: '2026-01-01T00:00:00.000Z', inGrace: false, replacedBy: '', graceUntil: null,
    rateLimit: { limit: 100, remaining: d.rateLimit.remaining, retryAfterMs: 0 } }));
  // In its grace window, the old key names its successor.
  const next = reg.rotate({ currentKey: created.record.id, gracePeriod: '1h', now: NOW });
  const old = reg.verify(key, { now: NOW.getTime() + 1000 });
  assert.equal(old.inGrace, true);
  assert.equal(old.replacedBy, next.id);
  assert.equal(old.graceUntil.getTime(), NOW.getTime() + HOUR);
  reg.dispose();
  assert.throws(() => reg.verify(key, { now: NOW }), { code: 'precondition_failed' });
});
