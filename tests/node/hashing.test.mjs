import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready, keys, hashing } from '@finfusion/keys';

before(() => ready());

test('hash, verify, needsRehash', () => {
  const peppers = { p1: hashing.generatePepper(), p2: hashing.generatePepper() };
  const h1 = new hashing.Hasher(peppers, 'p1');
  const h2 = new hashing.Hasher(new Map(Object.entries(peppers)), 'p2');
  const key = keys.generate('production').reveal();
  const stored = h1.hash(key);
  assert.ok(stored.startsWith('ffk$1$hs256$p1$'));
  assert.equal(h1.verify(key, stored), true);
  assert.equal(h2.verify(key, stored), true);
  assert.equal(h1.verify(keys.generate('production').reveal(), stored), false);
  assert.equal(h1.needsRehash(stored), false);
  assert.equal(h2.needsRehash(stored), true);
  assert.deepEqual({ ...hashing.parseStored(h2.hash(key)) }, { algorithm: 'hs256', pepperId: 'p2' });
  // Keyed BLAKE2b forms keep verifying and ask to be rehashed.
  const old = new hashing.Hasher(peppers, 'p1', 'b2b256');
  assert.equal(old.algorithm, 'b2b256');
  assert.equal(h1.algorithm, 'hs256');
  const oldStored = old.hash(key);
  assert.ok(oldStored.startsWith('ffk$1$b2b256$p1$'));
  assert.equal(h1.verify(key, oldStored), true);
  assert.equal(h1.needsRehash(oldStored), true);
  assert.equal(old.needsRehash(oldStored), false);
  assert.throws(() => new hashing.Hasher(peppers, 'p1', 'sha1'), { code: 'invalid_request' });
  old.dispose();
  assert.equal(h1.currentPepperId, 'p1');
  assert.equal(String(h1), 'Hasher(current=p1)');
  h1.dispose();
  h1.dispose();
  assert.throws(() => h1.hash(key), (e) => e.code === 'precondition_failed');
  h2.dispose();
});

test('the digest is 32 bytes of base64url and depends on the pepper', () => {
  // The exact keyed BLAKE2b-256 digests are checked by tests/vectors/hash.json (node:crypto's
  // BLAKE2b takes no key, so there is no independent reference here).
  const h = new hashing.Hasher({ p: hashing.generatePepper() }, 'p');
  const other = new hashing.Hasher({ p: hashing.generatePepper() }, 'p');
  const key = keys.generate('development').reveal();
  const digest = h.hash(key).split('$')[4];
  assert.equal(Buffer.from(digest, 'base64url').length, 32);
  assert.equal(Buffer.from(digest, 'base64url').toString('base64url'), digest);
  assert.notEqual(other.hash(key), h.hash(key));
  h.dispose();
  other.dispose();
});

test('bad input', () => {
  const h = new hashing.Hasher({ p1: hashing.generatePepper() }, 'p1');
  const key = keys.generate('production').reveal();
  assert.throws(() => h.hash(`rest${key.slice(4)}`), (e) => e.code === 'bad_checksum');
  assert.equal(h.verify(` ${key}`, h.hash(key)), false);
  assert.throws(() => h.verify(key, 'not-a-hash'), (e) => e.code === 'invalid_request');
  assert.throws(() => h.verify(key, h.hash(key).replace('$p1$', '$p9$')), (e) => e.code === 'precondition_failed');
});

test('wrong-length peppers are typed errors, never a libsodium abort', () => {
  for (const n of [0, 16, 31, 33, 64]) {
    assert.throws(() => new hashing.Hasher({ p1: new Uint8Array(n) }, 'p1'),
      (e) => e.code === 'invalid_request' && /exactly 32 bytes/.test(e.message));
  }
  assert.throws(() => new hashing.Hasher({ p1: 'a'.repeat(32) }, 'p1'), TypeError);
  assert.throws(() => new hashing.Hasher([['p1', new Uint8Array(32)]], 'p1'), TypeError);
  assert.throws(() => new hashing.Hasher({ 'p 1': new Uint8Array(32) }, 'p 1'), (e) => e.code === 'invalid_request');
  assert.throws(() => new hashing.Hasher({ p1: new Uint8Array(32) }, 'p2'), (e) => e.code === 'invalid_request');
  assert.throws(() => new hashing.Hasher({}, 'p1'), (e) => e.code === 'invalid_request');
});
