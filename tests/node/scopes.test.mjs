import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, scopes } from '@finfusion/keys';

before(() => ready());

test('parse is canonical', () => {
  const s = scopes.parse(['reporting', 'payments', 'kyc', 'payments']);
  assert.deepEqual(s.toList(), ['kyc', 'payments', 'reporting']);
  assert.deepEqual([...s], s.toList());
  assert.equal(s.size, 3);
  assert.ok(s.has('kyc') && !s.has('x'));
  assert.ok(s.equals(scopes.parse(['kyc', 'payments', 'reporting'])));
  assert.equal(JSON.stringify(s), '["kyc","payments","reporting"]');
});

test('invalid scopes', () => {
  for (const bad of ['Payments', 'paymënts', 'a::b', '**', 'pay*', 'payments:*:x', '', '!', ' a']) {
    assert.throws(() => scopes.parse(['ok', bad]), (e) => e.code === 'invalid_scope' && /entry 1/.test(e.message));
  }
  assert.throws(() => scopes.parse(Array(257).fill('a')), (e) => e.code === 'invalid_scope');
  assert.throws(() => scopes.parse('payments'), TypeError);
  assert.throws(() => scopes.parse([1]), TypeError);
});

test('allows and isSubset', () => {
  const granted = scopes.parse(['payments', '!payments:refund', 'kyc:read']);
  assert.equal(scopes.allows(granted, 'payments:charge'), true);
  assert.equal(scopes.allows(granted, 'payments:refund'), false);
  assert.equal(scopes.allows(granted, 'payments'), false);
  assert.equal(scopes.allows(['*'], 'anything'), true);
  assert.throws(() => scopes.allows(granted, '!payments'), (e) => e.code === 'invalid_scope');
  assert.equal(scopes.allowsAll(granted, ['payments:charge', 'kyc:read']), true);
  assert.equal(scopes.allowsAll(granted, ['payments:charge', 'reporting']), false);
  const parent = ['payments', 'kyc:read', '!payments:refund'];
  assert.equal(scopes.isSubset(['payments:charge'], parent), true);
  assert.equal(scopes.isSubset(['payments'], parent), false);
  assert.equal(scopes.isSubset(['payments', '!payments:refund'], parent), true);
  assert.equal(scopes.isSubset(['*'], parent), false);
});
