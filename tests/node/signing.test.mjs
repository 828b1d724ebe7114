// RFC 9421 signing from Node: the published B.2.5 example, the shapes Node HTTP code has
// (objects, Headers, Map, pairs, fetch Request), tampering, replay, typed errors, and the
// cross-language check: a request signed by Python verifies here and the reverse.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { inspect } from 'node:util';
import { ready, signing, FinFusionError } from '@finfusion/keys';

const RFC = JSON.parse(readFileSync(new URL('../vectors/external/rfc9421_hmac.json', import.meta.url), 'utf8'));
const NOW = Date.UTC(2026, 0, 1);
const URL_ = 'https://api.finfusion.example/v1/payments?currency=EUR';
const HEADERS = { 'Content-Type': 'application/json', Authorization: 'Bearer prod_not_a_real_key', 'X-Request-Id': 'r1' };
const BODY = '{"amount": 1000}';
const fromHex = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));

before(() => ready());

test('RFC 9421 B.2.5: reproduced and verified', () => {
  const r = RFC.test_request;
  const b25 = RFC['B.2.5'];
  const key = signing.SigningKey.hmac(b25.keyid, fromHex(RFC.keys['test-shared-secret'].hex));
  const request = { method: r.method, url: `https://example.com${r.target}`, headers: r.headers, body: r.body };
  const added = signing.signRequest(request, key, {
    label: 'sig-b25', components: b25.covered_components, includeAlg: false, now: 1618884473000,
  });
  assert.deepEqual(added, { 'Signature-Input': b25.signature_input, Signature: b25.signature });
  const received = { ...request, headers: new Headers([...r.headers, ['Signature-Input', b25.signature_input], ['Signature', b25.signature]]) };
  const v = signing.verifyRequest(received, key, { requireContentDigest: false, now: new Date(1618884475000) });
  assert.equal(v.code, 'valid');
  assert.equal(v.signatureBase, b25.signature_base);
  key.dispose();
});

for (const algorithm of signing.ALGORITHMS) {
  test(`${algorithm}: round trip, tampering, uncovered headers`, () => {
    const key = signing.SigningKey.generate('key_1', algorithm);
    const added = signing.signRequest({ method: 'POST', url: new URL(URL_), headers: HEADERS, body: BODY }, key, { now: NOW });
    assert.deepEqual(Object.keys(added), ['Content-Digest', 'Signature-Input', 'Signature']);
    const headers = { ...HEADERS, ...added };
    const check = (m) => signing.verifyRequest(m, [key.verifyingKey()], { now: NOW });
    const ok = check({ method: 'POST', url: URL_, headers, body: new TextEncoder().encode(BODY) });
    assert.deepEqual([ok.valid, ok.code, ok.keyId, ok.alg], [true, 'valid', 'key_1', algorithm]);
    assert.ok(Object.isFrozen(ok));
    for (const m of [
      { method: 'PUT', url: URL_, headers, body: BODY },
      { method: 'POST', url: `${URL_}&x=1`, headers, body: BODY },
      { method: 'POST', url: URL_, headers, body: `${BODY} ` },
      { method: 'POST', url: URL_, headers: { ...headers, Authorization: 'Bearer other' }, body: BODY },
    ]) assert.equal(check(m).code, 'signature_invalid');
    for (let i = 0; i < URL_.length; i++) {
      const changed = URL_.slice(0, i) + String.fromCharCode(URL_.charCodeAt(i) ^ 1) + URL_.slice(i + 1);
      assert.equal(check({ method: 'POST', url: changed, headers, body: BODY }).valid, false, changed);
    }
    assert.equal(check({ method: 'POST', url: URL_, headers: { ...headers, 'X-Request-Id': 'r2', 'X-New': '1' }, body: BODY }).code, 'valid');
    key.dispose();
  });
}

test('a fetch Request is read with fromRequest; a stream body is a TypeError', async () => {
  const key = signing.SigningKey.generate('k', 'ed25519');
  const req = new Request(URL_, { method: 'POST', body: BODY, headers: HEADERS });
  assert.throws(() => signing.signRequest(req, key, { now: NOW }), TypeError);
  const added = signing.signRequest(await signing.fromRequest(req), key, { now: NOW });
  const signed = new Request(URL_, { method: 'POST', body: BODY, headers: { ...HEADERS, ...added } });
  assert.equal(signing.verifyRequest(await signing.fromRequest(signed), key, { now: NOW }).code, 'valid');
  // Or the body passed beside the Request.
  assert.equal(signing.verifyRequest(signed, key, { now: NOW, body: BODY }).code, 'valid');
  key.dispose();
});

test('time window, nonces and replay', () => {
  const key = signing.SigningKey.hmac('k', new Uint8Array(32).fill(7));
  const added = signing.signRequest({ method: 'GET', url: URL_ }, key, { nonce: true, expiresIn: '1m', now: NOW });
  const m = { method: 'GET', url: URL_, headers: new Map(Object.entries(added)) };
  const nonces = new signing.NonceCache(10);
  const first = signing.verifyRequest(m, key, { nonces, requireNonce: true, now: NOW });
  assert.equal(first.code, 'valid');
  assert.equal(first.expires, first.created + 60);
  assert.equal(signing.verifyRequest(m, key, { nonces, requireNonce: true, now: NOW }).code, 'replayed');
  assert.equal(nonces.size, 1);
  assert.equal(signing.verifyRequest(m, key, { now: NOW + 61000 }).code, 'signature_expired');
  assert.equal(signing.verifyRequest(m, key, { now: NOW - 301000 }).code, 'signature_expired');
  assert.equal(signing.verifyRequest(m, key, { now: NOW - 301000, tolerance: '10m' }).code, 'valid');
  assert.equal(signing.verifyRequest(m, key, { requireNonce: true, now: NOW }).code, 'invalid_request');
  nonces.dispose();
  key.dispose();
});

test('responses cover their request with ;req', () => {
  const key = signing.SigningKey.generate('svc', 'ed25519');
  const request = { method: 'POST', url: URL_, headers: HEADERS, body: BODY };
  const response = { status: 201, headers: { 'Content-Type': 'application/json' }, body: '{}' };
  const components = ['@status', 'content-digest', '@method;req', '@target-uri;req'];
  const added = signing.signResponse(response, key, { request, components, now: NOW });
  const received = { ...response, headers: { ...response.headers, ...added } };
  assert.equal(signing.verifyResponse(received, key, { request, now: NOW }).code, 'valid');
  assert.equal(signing.verifyResponse({ ...received, status: 200 }, key, { request, now: NOW }).code, 'signature_invalid');
  assert.equal(signing.verifyResponse(received, key, { request: { ...request, method: 'GET' }, now: NOW }).code, 'signature_invalid');
  key.dispose();
});

test('key rings, unknown keys, Ed25519 public keys', () => {
  const a = signing.SigningKey.hmac('a', new Uint8Array(32).fill(1));
  const b = signing.SigningKey.hmac('b', new Uint8Array(32).fill(2));
  const added = signing.signRequest({ method: 'GET', url: URL_ }, a, { now: NOW });
  const m = { method: 'GET', url: URL_, headers: added };
  assert.equal(signing.verifyRequest(m, b, { now: NOW }).code, 'not_found');
  const ring = new signing.KeyRing([b, a.verifyingKey()]);
  assert.equal(ring.size, 2);
  assert.ok(ring.has('a') && !ring.has('c'));
  assert.equal(signing.verifyRequest(m, ring, { now: NOW }).code, 'valid');
  const e = signing.SigningKey.ed25519('e', new Uint8Array(32).fill(9));
  const pub = signing.VerifyingKey.ed25519('e', e.publicKey);
  assert.ok(pub.verify('m', e.sign('m')));
  assert.ok(!pub.verify('n', e.sign('m')));
  for (const x of [a, b, ring, e, pub]) x.dispose();
});

test('content digests', () => {
  assert.equal(signing.contentDigest('{"hello": "world"}'), 'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:');
  assert.ok(signing.contentDigest('{"hello": "world"}', 'sha-512').startsWith('sha-512=:WZDPaVn/'));
  assert.equal(signing.verifyContentDigest('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', '{"hello": "world"}'), true);
  assert.equal(signing.verifyContentDigest('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:', 'x'), false);
  assert.throws(() => signing.verifyContentDigest('sha-256', 'x'), (e) => e instanceof FinFusionError && e.code === 'invalid_request');
});

test('what crosses in one buffer arrives whole: a body that grows memory, non-ASCII text, lone surrogates', () => {
  const key = signing.SigningKey.hmac('k-1', new Uint8Array(32).fill(9));
  // 24 MiB: more than the core's memory had, so it grows while the call is packed.
  const body = new Uint8Array(24 << 20).fill(0x61);
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Note': 'naïve café ☕ 𝄞' };
  const request = { method: 'PUT', url: `${URL_}&q=%C3%A9`, headers, body };
  const added = signing.signRequest(request, key, { now: NOW, tag: 'tag-1', components: ['@method', 'x-note', 'content-digest'] });
  assert.equal(added['Content-Digest'], signing.contentDigest(body));
  const v = signing.verifyRequest({ ...request, headers: { ...headers, ...added } }, key, { now: NOW });
  assert.deepEqual([v.valid, v.code, v.keyId, v.tag], [true, 'valid', 'k-1', 'tag-1']);
  assert.ok(v.signatureBase.includes('"x-note": naïve café ☕ 𝄞'), v.signatureBase);
  assert.deepEqual(v.covered, ['"@method"', '"x-note"', '"content-digest"']);
  const tampered = signing.verifyRequest({ ...request, body: body.subarray(1), headers: { ...headers, ...added } }, key, { now: NOW });
  assert.deepEqual([tampered.valid, tampered.code], [false, 'signature_invalid']);
  // A lone surrogate crosses as the invalid UTF-8 it is, which the core refuses in a label.
  assert.throws(() => signing.signRequest(request, key, { now: NOW, label: 'a\uD800' }),
    (e) => e instanceof FinFusionError && e.code === 'invalid_request');
  const ring = new signing.KeyRing([key]);
  ring.dispose();
  assert.throws(() => signing.verifyRequest({ ...request, headers: { ...headers, ...added } }, ring, { now: NOW }),
    (e) => e instanceof FinFusionError && e.code === 'precondition_failed');
});

test('bad input is typed; no secret in any text', () => {
  const secret = new TextEncoder().encode('s3cr3t-signing-material-xxxxxxxx');
  const secretText = new TextDecoder().decode(secret);
  const code = (fn) => { try { fn(); } catch (e) { return e instanceof FinFusionError ? e.code : e.name; } return 'none'; };
  assert.equal(code(() => signing.SigningKey.hmac('k', new Uint8Array(5))), 'invalid_request');
  assert.equal(code(() => signing.SigningKey.ed25519('k', new Uint8Array(31))), 'invalid_request');
  assert.equal(code(() => signing.VerifyingKey.ed25519('k', new Uint8Array(33))), 'invalid_request');
  assert.equal(code(() => signing.SigningKey.generate('k', 'rsa-pss-sha512')), 'invalid_request');
  assert.equal(code(() => signing.SigningKey.hmac('k', secretText)), 'TypeError');
  const key = signing.SigningKey.hmac('k', secret);
  for (const opts of [{ components: ['x-missing'] }, { label: 'Bad' }, { components: ['@status'] }, { nonce: 'é' }, { expiresIn: 0 }]) {
    assert.equal(code(() => signing.signRequest({ method: 'GET', url: URL_, headers: HEADERS }, key, { now: NOW, ...opts })), 'invalid_request');
  }
  assert.equal(code(() => signing.signRequest({ method: 'GET', url: '/relative' }, key, { now: NOW })), 'invalid_request');
  assert.equal(code(() => signing.signRequest({ method: 'GET', url: URL_, headers: 'x' }, key)), 'TypeError');
  assert.equal(code(() => signing.signRequest({ method: 'GET', url: URL_, body: 42 }, key)), 'TypeError');
  assert.equal(code(() => signing.verifyRequest({ method: 'GET', url: URL_ }, ['not a key'])), 'TypeError');
  const v = signing.verifyRequest({ method: 'GET', url: URL_, headers: { 'Signature-Input': 'sig1=(', Signature: 'sig1=:AA==:' } }, key, { now: NOW });
  assert.deepEqual([v.valid, v.code], [false, 'invalid_request']);
  const b64 = Buffer.from(secret).toString('base64');
  for (const text of [String(key), inspect(key), JSON.stringify(key), String(key.verifyingKey()), v.message]) {
    for (const form of [secretText, b64, Buffer.from(secret).toString('hex')]) assert.ok(!text.includes(form), text);
  }
  assert.deepEqual(key.revealSecret(), secret);
  key.dispose();
  assert.equal(code(() => key.sign('x')), 'precondition_failed');
});

// Cross-language: the Python package built by `make test-python` signs, Node verifies, and
// the reverse, over a real request with a body.
const PYTHON = new URL('../../.venv/bin/python', import.meta.url).pathname;

test('a request signed in Python verifies in Node, and the reverse', { skip: !existsSync(PYTHON) && 'no .venv (run make test-python first)' }, () => {
  const seed = 'a1'.repeat(32);
  const request = { method: 'POST', url: URL_, headers: HEADERS, body: BODY };
  const py = (script, input) => JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify(input), cwd: '/' }).toString());
  const pySign = `
import json, sys
from finfusion import signing
i = json.load(sys.stdin)
key = signing.SigningKey.ed25519("py-key", bytes.fromhex(i["seed"]))
print(json.dumps(signing.sign_request(i["method"], i["url"], i["headers"], i["body"], key=key, nonce="n-1", now=i["now"])))`;
  const pyVerify = `
import json, sys
from finfusion import signing
i = json.load(sys.stdin)
key = signing.SigningKey.ed25519("node-key", bytes.fromhex(i["seed"]))
v = signing.verify_request(i["method"], i["url"], i["headers"], i["body"], keys=key.verifying_key(), now=i["now"])
print(json.dumps([v.valid, v.code]))`;
  const fromPython = py(pySign, { ...request, seed, now: NOW });
  const key = signing.SigningKey.ed25519('py-key', fromHex(seed));
  const received = { ...request, headers: { ...HEADERS, ...fromPython } };
  assert.equal(signing.verifyRequest(received, key, { now: NOW }).code, 'valid');
  assert.equal(signing.verifyRequest({ ...received, body: `${BODY} ` }, key, { now: NOW }).code, 'signature_invalid');
  // Byte for byte what Node signs with the same key, nonce and time.
  assert.deepEqual(signing.signRequest(request, key, { nonce: 'n-1', now: NOW }), fromPython);
  const nodeKey = signing.SigningKey.ed25519('node-key', fromHex(seed));
  const fromNode = signing.signRequest(request, nodeKey, { now: NOW });
  assert.deepEqual(py(pyVerify, { ...request, headers: { ...HEADERS, ...fromNode }, seed, now: NOW }), [true, 'valid']);
  assert.deepEqual(py(pyVerify, { ...request, method: 'PUT', headers: { ...HEADERS, ...fromNode }, seed, now: NOW }), [false, 'signature_invalid']);
  key.dispose();
  nodeKey.dispose();
});

test('restricted keys that must sign: the registry takes the signature\'s signer', async () => {
  const { keys, hashing, registry } = await import('@finfusion/keys');
  const table = new keys.TypeTable({ restricted: { requires_signed_requests: true } });
  assert.equal(table.get('restricted').requiresSignedRequests, true);
  const hasher = new hashing.Hasher({ p: new Uint8Array(32).fill(1) }, 'p');
  const reg = new registry.Registry(hasher, table);
  const parent = reg.create({ name: 'p', type: 'production', permissions: ['payments'] }, { now: NOW, actor: 'admin' });
  const child = reg.create({ name: 'c', type: 'restricted', permissions: ['payments'], service: 'ledger', parentKeyId: parent.record.id }, { now: NOW, actor: 'admin' });
  const presented = child.key.reveal();
  const signer = signing.SigningKey.generate(child.record.id, 'ed25519');
  const headers = { Authorization: `Bearer ${presented}` };
  Object.assign(headers, signing.signRequest({ method: 'POST', url: URL_, headers, body: BODY }, signer, { now: NOW }));
  const v = signing.verifyRequest({ method: 'POST', url: URL_, headers, body: BODY }, signer, { now: NOW });
  assert.equal(v.signer, child.record.id);
  assert.equal(reg.verify(presented, { now: NOW, service: 'ledger' }).code, 'signature_invalid');
  assert.equal(reg.verify(presented, { now: NOW, service: 'ledger', signedBy: v.signer }).code, 'valid');
  const bad = signing.verifyRequest({ method: 'POST', url: URL_, headers, body: `${BODY}!` }, signer, { now: NOW });
  assert.equal(bad.signer, '');
  assert.equal(reg.verify(presented, { now: NOW, service: 'ledger', signedBy: bad.signer }).code, 'signature_invalid');
  for (const x of [signer, reg, hasher]) x.dispose();
});

test('Wycheproof HMAC-SHA256 and Ed25519 through the key types', () => {
  const load = (name) => JSON.parse(readFileSync(new URL(`../vectors/external/${name}`, import.meta.url), 'utf8'));
  let hmacCases = 0;
  for (const group of load('hmac_sha256_test.json').testGroups) {
    const tagBytes = group.tagSize / 8;
    for (const t of group.tests) {
      const key = fromHex(t.key);
      const msg = fromHex(t.msg);
      const tag = fromHex(t.tag);
      const verifier = signing.VerifyingKey.hmac('w', key);
      let got;
      if (tagBytes === 32) {
        got = verifier.verify(msg, tag);
      } else {
        const signer = signing.SigningKey.hmac('w', key);
        got = Buffer.from(signer.sign(msg).subarray(0, tagBytes)).equals(Buffer.from(tag));
        signer.dispose();
      }
      verifier.dispose();
      assert.equal(got, t.result === 'valid', `tcId ${t.tcId}`);
      hmacCases++;
    }
  }
  assert.equal(hmacCases, 174);
  let edCases = 0;
  for (const group of load('ed25519_test.json').testGroups) {
    const key = signing.VerifyingKey.ed25519('w', fromHex(group.publicKey.pk));
    for (const t of group.tests) {
      const msg = fromHex(t.msg);
      assert.equal(key.verify(msg, fromHex(t.sig)), t.result === 'valid', `tcId ${t.tcId}`);
      edCases++;
    }
    key.dispose();
  }
  assert.equal(edCases, 151);
});
