// Key verification through @finfusion/keys (WebAssembly) beside what a Node team would write
// with node:crypto alone (the "peer": a regex, a CRC-32, createHmac + timingSafeEqual over a
// Map of records), as ns per operation in JSON on stdout; bench/tables.py puts it beside
// native and Python. Ours also enforces the rate limit and writes usage and a hash-chained
// audit event on every verification; the peer only decides.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import zlib from 'node:zlib';
import { ready, hashing, keys, registry, signing } from '../bindings/node/dist/index.mjs';
import { perOp } from './per_op.mjs';

const NOW = 1748779200000;
const PEPPER = new Uint8Array(32).fill(7);
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPE = /^(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}([0-9A-Za-z]{6})$/;

// zlib.crc32 from Node 20.15; a table otherwise.
const TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = zlib.crc32 ?? ((text) => {
  let c = -1;
  for (let i = 0; i < text.length; i++) c = TABLE[(c ^ text.charCodeAt(i)) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
});

function peerCheckFormat(key) {
  const m = SHAPE.exec(key);
  if (!m) return 'malformed_key';
  let n = crc32(key.slice(0, -6));
  let digits = '';
  for (let i = 0; i < 6; i++) {
    digits = ALPHABET[n % 62] + digits;
    n = Math.floor(n / 62);
  }
  return digits === m[2] ? 'valid' : 'bad_checksum';
}

const peerDigest = (key) => createHmac('sha256', PEPPER).update(key).digest();
const peerHash = (key) => `ffk$1$hs256$p1$${peerDigest(key).toString('base64url')}`;

class PeerRegistry {
  records = new Map();
  add(key, scopes, expiresAt) {
    this.records.set(key.slice(0, -50), { digest: peerDigest(key), status: 'active', expiresAt, scopes });
  }
  verify(key, required, now) {
    const code = peerCheckFormat(key);
    if (code !== 'valid') return { valid: false, code };
    const record = this.records.get(key.slice(0, -50));
    if (!record || !timingSafeEqual(peerDigest(key), record.digest)) return { valid: false, code: 'not_found' };
    if (record.status !== 'active') return { valid: false, code: record.status };
    if (now >= record.expiresAt) return { valid: false, code: 'expired' };
    for (const need of required) {
      if (!record.scopes.some((s) => need === s || need.startsWith(`${s}:`))) return { valid: false, code: 'insufficient_scope' };
    }
    return { valid: true, code: 'valid', keyId: key.slice(0, -50) };
  }
}

// The first ready() in a process instantiates the core (decode, compile, start): timed once.
const started = process.hrtime.bigint();
await ready();
const instantiateMs = Number(process.hrtime.bigint() - started) / 1e6;
const hasher = new hashing.Hasher({ p1: PEPPER }, 'p1');
const reg = new registry.Registry(hasher, new keys.TypeTable('{"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}}'));
const key = reg.create({ name: 'bench', type: 'production', permissions: ['payments'] }, { now: NOW }).key.reveal();
const peer = new PeerRegistry();
peer.add(key, ['payments'], NOW + 86400000);
const required = ['payments:charge'];
if (keys.checkFormat(key) !== 'valid' || peerCheckFormat(key) !== 'valid') throw new Error('check_format');
if (hasher.hash(key) !== peerHash(key)) throw new Error('hash');
if (!reg.verify(key, { now: NOW, required }).valid || !peer.verify(key, required, NOW).valid) throw new Error('verify');

// The floor in WebAssembly: one SHA-256 compression of ours (portable: WebAssembly has no SHA
// instructions), as the Content-Digest of a 64 KiB body over its 1,025 blocks (the call's own
// cost spread across them). A key's stored form is three of them.
const LONG = new Uint8Array(65536).fill(0x6b);
const BLOCKS = LONG.length / 64 + 1;
const expected = `sha-256=:${createHash('sha256').update(LONG).digest('base64')}:`;
if (signing.contentDigest(LONG) !== expected) throw new Error('content digest');

console.log(JSON.stringify({
  check_format: perOp(() => keys.checkFormat(key)),
  'check_format/peer': perOp(() => peerCheckFormat(key)),
  hash: perOp(() => hasher.hash(key)),
  'hash/peer': perOp(() => peerHash(key)),
  verify: perOp(() => reg.verify(key, { now: NOW, required })),
  'verify/peer': perOp(() => peer.verify(key, required, NOW)),
  sha256_block: perOp(() => signing.contentDigest(LONG)) / BLOCKS,
  instantiate_ms: instantiateMs,
}));
