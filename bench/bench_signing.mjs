// RFC 9421 sign + verify of the typical request through @finfusion/keys (WebAssembly), as ns
// per operation in JSON on stdout (bench/tables.py puts it beside native and Python), beside
// the "peer": the same RFC 9421 work on node:crypto (createHash, createHmac, timingSafeEqual,
// sign and verify for Ed25519), as bench_signing.py's Python peer does it: the same
// components, created, keyid and alg; verification parses Signature-Input and Signature and
// checks created, the key id, the Content-Digest and the signature over the rebuilt base. It
// skips the rest of what we check, so the comparison favours the peer.
import * as crypto from 'node:crypto';
import { ready, signing, webhooks } from '../bindings/node/dist/index.mjs';
import { perOp } from './per_op.mjs';

const BODY = new TextEncoder().encode(`{"data":"${'x'.repeat(1013)}"}`);
const URL_ = 'https://api.finfusion.example/v1/payments?currency=EUR';
const HEADERS = [['Host', 'api.finfusion.example'], ['Content-Type', 'application/json'],
  ['Authorization', 'Bearer prod_EnqIrqy2roi4qe8B_phPgxLdgHFjpBZJfuHYfyr6RNJ6cO3nMVjDUiyy7CZR3u29HZ'],
  ['X-Request-Id', 'req-7f2c']];
const NOW = 1767225600000;

const COMPONENTS = ['@method', '@target-uri', 'content-digest', 'content-type', 'authorization'];
const INPUT = /^([a-z*][a-z0-9_.*-]*)=\(((?:"[^"]*" ?)*)\)((?:;[a-z]+=(?:[0-9]+|"[^"]*"))*)$/;
const PARAM = /;([a-z]+)=([0-9]+|"[^"]*")/g;
const SIGNATURE = /^([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):$/;

function peerFields(headers) {
  const fields = new Map();
  for (const [name, value] of headers) {
    const n = name.toLowerCase(), v = value.trim();
    fields.set(n, fields.has(n) ? `${fields.get(n)}, ${v}` : v);
  }
  return fields;
}

function peerBase(method, url, fields, components, params) {
  const lines = components.map((c) => `"${c}": ${c === '@method' ? method.toUpperCase() : c === '@target-uri' ? url : fields.get(c)}`);
  lines.push(`"@signature-params": ${params}`);
  return Buffer.from(lines.join('\n'));
}

const peerDigest = (body) => `sha-256=:${crypto.createHash('sha256').update(body).digest('base64')}:`;

function peerSign(method, url, headers, body, alg, key, keyid, now) {
  const fields = peerFields(headers);
  fields.set('content-digest', peerDigest(body));
  const params = `(${COMPONENTS.map((c) => `"${c}"`).join(' ')});created=${now};keyid="${keyid}";alg="${alg}"`;
  const base = peerBase(method, url, fields, COMPONENTS, params);
  const sig = alg === 'hmac-sha256' ? crypto.createHmac('sha256', key).update(base).digest() : crypto.sign(null, base, key);
  return { 'Content-Digest': fields.get('content-digest'), 'Signature-Input': `sig1=${params}`, Signature: `sig1=:${sig.toString('base64')}:` };
}

function peerVerify(method, url, headers, body, keys, now, tolerance = 300) {
  const fields = peerFields(headers);
  const m = INPUT.exec(fields.get('signature-input') ?? ''), s = SIGNATURE.exec(fields.get('signature') ?? '');
  if (!m || !s || m[1] !== s[1]) return false;
  const params = Object.fromEntries([...m[3].matchAll(PARAM)].map(([, k, v]) => [k, v.replace(/"/g, '')]));
  if (params.created === undefined || Math.abs(now - Number(params.created)) > tolerance || !keys.has(params.keyid)) return false;
  const [alg, key] = keys.get(params.keyid);
  if ((params.alg ?? alg) !== alg) return false;
  const digest = Buffer.from(peerDigest(body)), got = Buffer.from(fields.get('content-digest') ?? '');
  if (digest.length !== got.length || !crypto.timingSafeEqual(digest, got)) return false;
  const components = m[2].split(' ').filter(Boolean).map((c) => c.slice(1, -1));
  if (components.some((c) => !c.startsWith('@') && !fields.has(c))) return false;
  const base = peerBase(method, url, fields, components, m[0].slice(m[1].length + 1));
  const sig = Buffer.from(s[2], 'base64');
  if (alg === 'hmac-sha256') {
    const expected = crypto.createHmac('sha256', key).update(base).digest();
    return sig.length === expected.length && crypto.timingSafeEqual(expected, sig);
  }
  return crypto.verify(null, base, key, sig);
}

function peerPair(algorithm) {
  let signer, keys, ours;
  if (algorithm === 'hmac-sha256') {
    signer = Buffer.alloc(32, 7);
    keys = new Map([['key_01HZXSIGN', [algorithm, signer]]]);
    ours = signing.VerifyingKey.hmac('key_01HZXSIGN', new Uint8Array(signer));
  } else {
    const pair = crypto.generateKeyPairSync('ed25519');
    signer = pair.privateKey;
    keys = new Map([['key_01HZXSIGN', [algorithm, pair.publicKey]]]);
    ours = signing.VerifyingKey.ed25519('key_01HZXSIGN', new Uint8Array(pair.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)));
  }
  const now = NOW / 1000;
  const run = () => {
    const added = peerSign('POST', URL_, HEADERS, BODY, algorithm, signer, 'key_01HZXSIGN', now);
    if (!peerVerify('POST', URL_, [...HEADERS, ...Object.entries(added)], BODY, keys, now)) throw new Error('peer');
  };
  run();
  // What the peer signs, ours verifies: the same RFC 9421 work, not a lookalike.
  const added = peerSign('POST', URL_, HEADERS, BODY, algorithm, signer, 'key_01HZXSIGN', now);
  const v = signing.verifyRequest({ method: 'POST', url: URL_, headers: [...HEADERS, ...Object.entries(added)], body: BODY }, new signing.KeyRing([ours]), { now: NOW });
  if (!v.valid) throw new Error(`ours rejects the peer's signature: ${v.code}`);
  return run;
}

await ready();
const out = {};
for (const algorithm of signing.ALGORITHMS) {
  const key = signing.SigningKey.generate('key_01HZXSIGN', algorithm);
  const ring = new signing.KeyRing([key]);
  out[`sign_verify_pair/${algorithm}`] = perOp(() => {
    const added = signing.signRequest({ method: 'POST', url: URL_, headers: HEADERS, body: BODY }, key, { now: NOW });
    const v = signing.verifyRequest({ method: 'POST', url: URL_, headers: [...HEADERS, ...Object.entries(added)], body: BODY }, ring, { now: NOW });
    if (!v.valid) throw new Error(v.code);
  });
  out[`sign_verify_pair/${algorithm}/peer`] = perOp(peerPair(algorithm));
}
const secret = webhooks.WebhookSecret.generate();
out.webhook_sign_verify = perOp(() => {
  const sent = webhooks.sign(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', BODY, { timestamp: NOW });
  if (!webhooks.verify(secret, sent, BODY, { now: NOW }).valid) throw new Error('webhook');
});
console.log(JSON.stringify(out));
