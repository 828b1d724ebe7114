// What a call writes into the core's memory for a packed export (a key, a request's headers)
// is wiped once the call is answered, and a filling no export took (something threw between
// writing it and the call) is wiped by the next one. The core's memory is caught as
// Emscripten instantiates it, before ready().
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

let memory = null;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const made = await instantiate(...args);
  memory = (made.instance ?? made).exports.memory ?? Object.values((made.instance ?? made).exports)
    .find((e) => e instanceof WebAssembly.Memory);
  return made;
};
const { ready, keys, hashing, signing, webhooks } = await import('@finfusion/keys');

before(() => ready());

function holds(text) {
  const bytes = new Uint8Array(memory.buffer);
  const needle = new TextEncoder().encode(text);
  outer: for (let i = bytes.indexOf(needle[0]); i >= 0 && i + needle.length <= bytes.length; i = bytes.indexOf(needle[0], i + 1)) {
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

test('the memory was caught, and a search in it finds what is there', () => {
  assert.ok(memory instanceof WebAssembly.Memory);
  const marker = `marker-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const hasher = new hashing.Hasher({ p1: new Uint8Array(32).fill(3) }, 'p1');
  const stored = hasher.hash(keys.generate('production').reveal());
  assert.ok(!holds(marker));
  const bytes = new Uint8Array(memory.buffer);
  const kept = bytes.slice(1024, 1024 + marker.length);  // the core's own data there, put back
  bytes.set(new TextEncoder().encode(marker), 1024);
  assert.ok(holds(marker));
  bytes.set(kept, 1024);
  assert.ok(stored.startsWith('ffk$1$hs256$p1$'));
});

test('a key hashed, checked or verified against a stored hash is not left in the core', () => {
  const hasher = new hashing.Hasher({ p1: new Uint8Array(32).fill(3) }, 'p1');
  for (let i = 0; i < 20; i++) {
    const key = keys.generate(i % 2 ? 'production' : 'development').reveal();
    const stored = hasher.hash(key);
    assert.equal(keys.checkFormat(key), 'valid');
    assert.equal(hasher.verify(key, stored), true);
    assert.ok(!holds(key.slice(-49, -6)), `round ${i}`);
  }
});

test('a generated key, a signed request read back and a revealed webhook secret leave no copy in the core', () => {
  // The key reaches JavaScript decoded from its own (wiping) storage, not through a string
  // embind would hand over in a buffer it frees unwiped.
  for (let i = 0; i < 20; i++) {
    const key = keys.generate(i % 2 ? 'production' : 'restricted').reveal();
    assert.ok(!holds(key.slice(-49, -6)), `key ${i}`);
  }
  // A webhook secret lives in the core as bytes; its text form only in JavaScript.
  const secret = webhooks.WebhookSecret.generate();
  const text = secret.reveal();
  assert.ok(text.startsWith('whsec_'));
  assert.ok(!holds(text.slice(6, 30)));
  // An answer's texts (a signature base holding a bearer token) are wiped once read.
  const token = `Bearer prod_${Array.from({ length: 60 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;
  const key = signing.SigningKey.generate('key_mem', 'hmac-sha256');
  const request = { method: 'GET', url: 'https://api.example/v1', headers: [['Authorization', token]] };
  const added = signing.signRequest(request, key, { components: ['@method', 'authorization'] });
  const v = signing.verifyRequest({ ...request, headers: [...request.headers, ...Object.entries(added)] },
    new signing.KeyRing([key]));
  assert.ok(v.valid && v.signatureBase.includes(token));
  assert.ok(!holds(token.slice(7)));
});

test('a signature base that outgrows its first buffer, a field of several lines and a ;bs value leave no copy', () => {
  const random = (n) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');
  const key = signing.SigningKey.generate('key_mem', 'hmac-sha256');
  const ring = new signing.KeyRing([key]);
  // A bearer token of a JWT's length makes the base longer than the 768 bytes it starts with.
  const long = `Bearer ${random(1500)}`;
  // A field given on two lines is joined in the core's own storage.
  const first = `t1-${random(40)}`;
  const second = `t2-${random(40)}`;
  // A ;bs component is the field's base64, written by the core.
  const raw = `bs-${random(45)}`;
  const request = {
    method: 'GET', url: 'https://api.example/v1',
    headers: [['Authorization', long], ['X-Token', first], ['X-Token', second], ['X-Raw', raw]],
  };
  const components = ['@method', 'authorization', 'x-token', '"x-raw";bs'];
  const added = signing.signRequest(request, key, { components });
  const v = signing.verifyRequest({ ...request, headers: [...request.headers, ...Object.entries(added)] }, ring);
  assert.ok(v.valid, v.message);
  const b64 = Buffer.from(raw).toString('base64');
  assert.ok(v.signatureBase.includes(long) && v.signatureBase.includes(`${first}, ${second}`) && v.signatureBase.includes(b64));
  const left = Object.entries({
    'the long token': long.slice(7, 71), "the long token's end": long.slice(-64), 'the first line': first.slice(3),
    'the second line': second.slice(3), 'the ;bs value': b64.slice(0, 40),
  }).filter(([, text]) => holds(text)).map(([what]) => what);
  assert.deepEqual(left, []);
});

test('a request that outgrows the input buffer leaves no copy in the buffer it outgrew', () => {
  const token = `Bearer prod_${Array.from({ length: 60 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;
  const key = signing.SigningKey.generate('key_mem', 'hmac-sha256');
  // The token is written after a few KiB (beyond what the call's own allocations reuse of
  // the old buffer); the header after it makes the buffer grow into a new one, the token
  // copied along, whatever its size was.
  const request = { method: 'GET', url: 'https://api.example/v1',
    headers: [['X-Pad', 'p'.repeat(2500)], ['Authorization', token], ['X-Big', 'x'.repeat(4 << 20)]] };
  try {
    signing.signRequest(request, key, { components: ['@method'] });
  } catch {
    // refused or not, the buffer it was written into must be wiped
  }
  assert.ok(!holds(token.slice(7)));
});

test('a request packed for a call that never ran is wiped by the next call', () => {
  const token = `Bearer prod_${Array.from({ length: 60 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('')}`;
  const key = signing.SigningKey.generate('key_mem', 'hmac-sha256');
  const nonces = new signing.NonceCache();
  nonces.dispose();  // verifying with it throws after the request was written for the call
  const request = { method: 'GET', url: 'https://api.example/v1', headers: [['Authorization', token]] };
  assert.throws(() => signing.verifyRequest(request, new signing.KeyRing([key]), { nonces }),
    (e) => e.code === 'precondition_failed');
  assert.ok(holds(token), 'the filling is there until another call');
  assert.equal(keys.checkFormat('dev_x'), 'malformed_key');
  assert.ok(!holds(token));
});
