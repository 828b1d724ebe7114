// @finfusion/keys: the JavaScript face of the FinFusion Keys core (WebAssembly).
// This body is shared by the ES module and the CommonJS entry: build.mjs wraps it with
// the header (how to load the core) and footer (how to export) of each module system.
// Nothing here decides anything about a key: every verdict and error code comes from the
// C++ core; this layer converts types and turns failed results into FinFusionError.

/** The stable error codes, in the core's order (checked against the core by the tests). */
const CODES = Object.freeze([
  'valid', 'malformed_key', 'bad_checksum', 'unknown_prefix', 'invalid_scope',
  'invalid_duration', 'invalid_timestamp', 'invalid_request', 'not_found', 'expired',
  'revoked', 'disabled', 'environment_mismatch', 'insufficient_scope', 'rate_limited',
  'signature_invalid', 'signature_expired', 'replayed', 'conflict', 'precondition_failed',
  'storage_unavailable', 'internal',
]);

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Every failure the core reports: `code` is the stable code string shared by every language. */
class FinFusionError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'FinFusionError';
    this.code = code;
  }
}

let core = null;
let loading = null;
let threads = null;  // node:worker_threads, on Node (the PostgreSQL registry's)

async function randomSource() {
  // libsodium's WASM build looks for window/self.crypto or require('crypto'); an ES module
  // on Node has neither, so the core gets its random source from here.
  let webcrypto = globalThis.crypto;
  if (!webcrypto || typeof webcrypto.getRandomValues !== 'function') {
    webcrypto = (await loadNodeCrypto()).webcrypto;
  }
  const word = new Uint32Array(1);
  return () => {
    webcrypto.getRandomValues(word);
    return word[0] >>> 0;
  };
}

/** Loads the WebAssembly core once; every other call needs it done. Safe to call often. */
function ready() {
  if (!loading) {
    loading = (async () => {
      // The module's bytes, the random source and (on Node) worker threads load at once.
      const [wasmBinary, getRandomValue, nodeThreads] = await Promise.all([
        loadWasmBinary(), randomSource(),
        globalThis.process?.versions?.node ? loadNodeThreads().catch(() => null) : null]);
      threads = nodeThreads;
      core = await createFinFusionCore(wasmBinary ? { getRandomValue, wasmBinary } : { getRandomValue });
    })();
    loading.catch(() => { loading = null; });
  }
  return loading;
}

function need() {
  if (!core) throw new FinFusionError('precondition_failed', 'the core is not loaded: await ready() first');
  return core;
}

function unwrap(result) {
  if (result.ok) return result.value;
  throw new FinFusionError(result.code, result.message);
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

// A string with lone surrogates has no UTF-8 form; embind would mangle it into some other
// valid character. Such strings cross as WTF-8 bytes instead (what Python's surrogatepass
// gives), so the core sees, and refuses, the same invalid UTF-8 in every language.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;

function wtf8(value) {
  const out = [];
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

// Type checks name the type, never the value (a key is a secret).
function text(value, what) {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, not ${typeName(value)}`);
  return LONE_SURROGATE.test(value) ? wtf8(value) : value;
}

function bytes(value, what) {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array, not ${typeName(value)}`);
  return value;
}

function textList(value, what) {
  if (!Array.isArray(value)) throw new TypeError(`${what} must be an array of strings, not ${typeName(value)}`);
  return value.map((item) => text(item, `each of ${what}`));
}

// ---------------------------------------------------------------- keys

const KeyType = Object.freeze({ DEVELOPMENT: 'development', PRODUCTION: 'production', RESTRICTED: 'restricted' });
const Environment = Object.freeze({ SANDBOX: 'sandbox', PRODUCTION: 'production' });

/** A new key. Its text is shown only by reveal(): never by toString, inspect or JSON. */
class ApiKey {
  #key;
  constructor(fields) {
    this.id = fields.id;
    this.type = fields.type;
    this.environment = fields.environment;
    this.#key = fields.key;
    Object.freeze(this);
  }
  /** The full key: show it to its owner once, never log it. */
  reveal() { return this.#key; }
  toString() { return `ApiKey(id=${this.id}, type=${this.type})`; }
  toJSON() { return { id: this.id, type: this.type, environment: this.environment }; }
  [INSPECT]() { return this.toString(); }
}

function parsedKey(v) {
  return Object.freeze({ id: v.id, type: v.type, environment: v.environment, formatVersion: v.formatVersion });
}

function durationFields(p) {
  return Object.freeze({
    type: p.type,
    environment: p.environment,
    maxLifetimeMs: p.maxLifetimeMs,
    rotationPeriodMs: p.rotationPeriodMs,
    rotationWarningMs: p.rotationWarningMs,
    rateLimit: Object.freeze({ requests: p.rateLimitRequests, windowMs: p.rateLimitWindowMs }),
    maxScopes: p.maxScopes,
    requiresService: p.requiresService,
    allowsGlobalWildcard: p.allowsGlobalWildcard,
    requiresSignedRequests: p.requiresSignedRequests,
  });
}

/** The key-type policy table: the defaults, or a deployment's JSON overrides. */
class TypeTable {
  #json;
  #policies;
  constructor(overrides = '{}') {
    const source = typeof overrides === 'string' ? overrides : JSON.stringify(overrides);
    const v = unwrap(need().type_table(text(source, 'overrides')));
    this.#json = v.json;
    this.#policies = {};
    for (const [name, p] of Object.entries(v.policies)) this.#policies[name] = durationFields(p);
  }
  static defaults() { return new TypeTable(); }
  get(type) {
    const info = keys.typeInfo(type);
    return this.#policies[info.name];
  }
  toJSON() { return JSON.parse(this.#json); }
  toString() { return this.#json; }
}

const keys = {
  KeyType,
  Environment,
  ApiKey,
  TypeTable,
  get SCANNER_PATTERN() { return need().key_scanner_pattern(); },
  get TYPES() {
    const out = {};
    for (const name of need().key_types()) out[name] = keys.typeInfo(name);
    return Object.freeze(out);
  },
  typeInfo(type) { return Object.freeze(unwrap(need().key_type_info(text(type, 'type')))); },
  generate(type) { return new ApiKey(unwrap(need().key_generate(text(type, 'type')))); },
  generateFromEntropy(type, entropy) {
    return new ApiKey(unwrap(need().key_generate_from_entropy(text(type, 'type'), bytes(entropy, 'entropy'))));
  },
  /** 'valid' or the reason; never throws for a bad key. */
  checkFormat(key) {
    return CODES[packedWord([text(key, 'key')], (length) => need()._ff_check_format(length))];
  },
  parse(key) { return parsedKey(unwrap(need().key_parse(text(key, 'key')))); },
  parseId(id) { return parsedKey(unwrap(need().key_parse_id(text(id, 'key id')))); },
  mask(key) { return unwrap(need().key_mask(text(key, 'key'))); },
};

// ---------------------------------------------------------------- scopes

/** A canonical scope list: sorted, duplicates removed. */
class ScopeSet {
  #items;
  constructor(list) {
    this.#items = Object.freeze(unwrap(need().scope_parse(textList(list, 'scopes'))));
  }
  toList() { return [...this.#items]; }
  get size() { return this.#items.length; }
  has(scope) { return this.#items.includes(scope); }
  equals(other) {
    return other instanceof ScopeSet && other.size === this.size && this.#items.every((s, i) => s === other.#items[i]);
  }
  [Symbol.iterator]() { return this.#items[Symbol.iterator](); }
  toJSON() { return this.toList(); }
  toString() { return `ScopeSet(${JSON.stringify(this.#items)})`; }
  [INSPECT]() { return this.toString(); }
}

function scopeList(value, what) {
  return value instanceof ScopeSet ? value.toList() : textList(value, what);
}

const scopes = {
  ScopeSet,
  parse(list) { return new ScopeSet(list); },
  allows(granted, required) {
    return unwrap(need().scope_allows(scopeList(granted, 'granted'), text(required, 'required')));
  },
  allowsAll(granted, required) {
    return unwrap(need().scope_allows_all(scopeList(granted, 'granted'), scopeList(required, 'required')));
  },
  isSubset(child, parent) {
    return unwrap(need().scope_is_subset(scopeList(child, 'child'), scopeList(parent, 'parent')));
  },
};

// ---------------------------------------------------------------- hashing

// The native object behind each Hasher, for the Registry (which keeps its own copy).
const nativeHashers = new WeakMap();

// Frees a native object (and wipes the secrets it holds) when its JS owner is collected.
const nativeCleanup = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry((native) => { if (!native.isDeleted()) native.delete(); })
  : null;

/** Stored key hashes under server peppers. Shows the current pepper id only. */
class Hasher {
  #native;
  constructor(peppers, current, algorithm = 'hs256') {
    const entries = peppers instanceof Map ? [...peppers.entries()]
      : (peppers !== null && typeof peppers === 'object' && !Array.isArray(peppers) ? Object.entries(peppers) : null);
    if (!entries) throw new TypeError(`peppers must be an object or Map of id -> Uint8Array, not ${typeName(peppers)}`);
    const ids = entries.map(([id]) => text(id, 'pepper id'));
    const values = entries.map(([, value]) => bytes(value, 'pepper'));
    this.#native = unwrap(need().hasher_create(ids, values, text(current, 'current'), text(algorithm, 'algorithm')));
    nativeHashers.set(this, this.#native);
    if (nativeCleanup) nativeCleanup.register(this, this.#native, this);
  }
  #live() {
    if (!this.#native) throw new FinFusionError('precondition_failed', 'this hasher was disposed');
    return this.#native;
  }
  get currentPepperId() { return this.#live().currentPepperId(); }
  /** What new hashes use: 'hs256' (HMAC-SHA256) or 'b2b256' (keyed BLAKE2b-256). */
  get algorithm() { return this.#live().algorithm(); }
  hash(key) {
    const address = nativeAddress(this.#live());
    return packedTexts([text(key, 'key')], (length) => need()._ff_hash(address, length), (out) => out.item());
  }
  verify(key, stored) {
    const address = nativeAddress(this.#live());
    return packedTexts([text(key, 'key'), text(stored, 'stored')], (length) => need()._ff_hash_verify(address, length),
      (out) => out.word() === 1);
  }
  needsRehash(stored) { return unwrap(this.#live().needsRehash(text(stored, 'stored'))); }
  /** Frees the native hasher now and wipes its peppers. */
  dispose() {
    if (this.#native) {
      if (nativeCleanup) nativeCleanup.unregister(this);
      nativeHashers.delete(this);
      this.#native.delete();
      this.#native = null;
    }
  }
  toString() { return this.#native ? `Hasher(current=${this.currentPepperId})` : 'Hasher(disposed)'; }
  toJSON() { return { currentPepperId: this.#native ? this.currentPepperId : null }; }
  [INSPECT]() { return this.toString(); }
}

const hashing = {
  Hasher,
  PEPPER_BYTES: 32,
  generatePepper() { return unwrap(need().random_secret(32)); },
  parseStored(stored) { return Object.freeze(unwrap(need().hash_parse_stored(text(stored, 'stored')))); },
};

// ---------------------------------------------------------------- time

function toMillis(instant) {
  if (instant instanceof Date) {
    const ms = instant.getTime();
    if (Number.isNaN(ms)) throw new FinFusionError('invalid_timestamp', 'invalid Date');
    return ms;
  }
  if (typeof instant === 'number') {
    if (!Number.isSafeInteger(instant)) throw new FinFusionError('invalid_timestamp', 'epoch milliseconds must be a safe integer');
    return instant;
  }
  throw new TypeError(`instant must be a Date or epoch milliseconds, not ${typeName(instant)}`);
}

/** Milliseconds of a duration given as text ('48h') or as a number of seconds. */
function durationMillis(duration) {
  if (typeof duration === 'string') return unwrap(need().time_parse_duration(text(duration, 'duration')));
  if (typeof duration === 'number') {
    // Seconds as a float: 1.001 * 1000 is 1000.9999999999999, so round, then insist the
    // input really was a whole number of milliseconds.
    const ms = Math.round(duration * 1000);
    if (!Number.isSafeInteger(ms) || Math.abs(ms - duration * 1000) > 1e-6) {
      throw new FinFusionError('invalid_duration', 'seconds must be a whole number of milliseconds');
    }
    return ms;
  }
  throw new TypeError(`duration must be a string ('48h') or seconds, not ${typeName(duration)}`);
}

const time = {
  toMillis,
  durationMillis,
  /** Milliseconds of '48h', '1d12h', '250ms', '2w', '0'. */
  parseDuration(textValue) { return unwrap(need().time_parse_duration(text(textValue, 'duration'))); },
  /** Canonical text of a duration given as text or seconds: 129600 -> '1d12h'. */
  formatDuration(duration) { return unwrap(need().time_format_duration(durationMillis(duration))); },
  parseTimestamp(textValue) { return new Date(unwrap(need().time_parse_timestamp(text(textValue, 'timestamp')))); },
  /** End of a period, exclusive: '2025-12-31' -> 2026-01-01T00:00:00.000Z (the whole day is inside). */
  parseUntil(textValue) { return new Date(unwrap(need().time_parse_until(text(textValue, 'timestamp')))); },
  formatTimestamp(instant) { return unwrap(need().time_format_timestamp(toMillis(instant))); },
};

// ---------------------------------------------------------------- signing (RFC 9421)

// Native objects that hold key material: owned by one JS object each, freed (and wiped)
// by dispose() or when the owner is collected.
class NativeHolder {
  #native;
  constructor(native) {
    this.#native = native;
    if (nativeCleanup) nativeCleanup.register(this, native, this);
  }
  native() {
    if (!this.#native) throw new FinFusionError('precondition_failed', `this ${this.constructor.name} was disposed`);
    return this.#native;
  }
  get disposed() { return this.#native === null; }
  /** Frees the native object now and wipes what it holds. */
  dispose() {
    if (this.#native) {
      if (nativeCleanup) nativeCleanup.unregister(this);
      this.#native.delete();
      this.#native = null;
    }
  }
  [INSPECT]() { return this.toString(); }
}

/** A key that verifies RFC 9421 signatures: an HMAC secret or an Ed25519 public key. */
class VerifyingKey extends NativeHolder {
  static hmac(keyId, secret) { return new VerifyingKey(unwrap(need().verifying_key_hmac(text(keyId, 'keyId'), bytes(secret, 'secret')))); }
  static ed25519(keyId, publicKey) {
    return new VerifyingKey(unwrap(need().verifying_key_ed25519(text(keyId, 'keyId'), bytes(publicKey, 'publicKey'))));
  }
  get keyId() { return this.native().keyId(); }
  get algorithm() { return this.native().algorithm(); }
  verify(message, signature) { return this.native().verify(bodyBytes(message, 'message') ?? new Uint8Array(0), bytes(signature, 'signature')); }
  toString() { return this.disposed ? 'VerifyingKey(disposed)' : `VerifyingKey(keyId=${this.keyId}, algorithm=${this.algorithm})`; }
  toJSON() { return this.disposed ? {} : { keyId: this.keyId, algorithm: this.algorithm }; }
}

/** A key that signs: an HMAC-SHA256 secret or an Ed25519 private key. Never printed. */
class SigningKey extends NativeHolder {
  static hmac(keyId, secret) { return new SigningKey(unwrap(need().signing_key_hmac(text(keyId, 'keyId'), bytes(secret, 'secret')))); }
  static ed25519(keyId, seed) { return new SigningKey(unwrap(need().signing_key_ed25519(text(keyId, 'keyId'), bytes(seed, 'seed')))); }
  static generate(keyId, algorithm = 'hmac-sha256') {
    return new SigningKey(unwrap(need().signing_key_generate(text(keyId, 'keyId'), text(algorithm, 'algorithm'))));
  }
  get keyId() { return this.native().keyId(); }
  get algorithm() { return this.native().algorithm(); }
  /** The Ed25519 public key (empty for HMAC). */
  get publicKey() { return this.native().publicKey(); }
  /** The HMAC secret or Ed25519 seed, for storage: keep it encrypted and out of logs. */
  revealSecret() { return this.native().revealSecret(); }
  verifyingKey() { return new VerifyingKey(this.native().verifyingKey()); }
  sign(message) { return this.native().sign(bodyBytes(message, 'message') ?? new Uint8Array(0)); }
  toString() { return this.disposed ? 'SigningKey(disposed)' : `SigningKey(keyId=${this.keyId}, algorithm=${this.algorithm})`; }
  toJSON() { return this.disposed ? {} : { keyId: this.keyId, algorithm: this.algorithm }; }
}

/** The verifying keys a service trusts, found by keyid. */
class KeyRing extends NativeHolder {
  constructor(keys = []) {
    super(new (need().KeyRing)());
    for (const k of keys) this.add(k);
  }
  add(key) {
    if (key instanceof SigningKey) key = key.verifyingKey();
    if (!(key instanceof VerifyingKey)) throw new TypeError(`key must be a VerifyingKey or SigningKey, not ${typeName(key)}`);
    this.native().add(key.native());
    return this;
  }
  get size() { return this.native().size(); }
  has(keyId) { return this.native().contains(text(keyId, 'keyId')); }
  toString() { return `KeyRing(${this.disposed ? 'disposed' : `${this.size} keys`})`; }
}

/** Nonces seen recently (bounded; a full cache refuses new nonces rather than forget one). */
class NonceCache extends NativeHolder {
  constructor(maxEntries = 100000) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
    super(new (need().NonceCache)(maxEntries));
  }
  get size() { return this.native().size(); }
  get maxEntries() { return this.native().maxEntries(); }
  toString() { return this.disposed ? 'NonceCache(disposed)' : `NonceCache(${this.size}/${this.maxEntries})`; }
}

const encoder = new TextEncoder();

// A body or payload as bytes: string (UTF-8), Uint8Array/Buffer, ArrayBuffer or any view;
// null/undefined is no body.
function bodyBytes(body, what = 'body') {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'object' && typeof body.getReader === 'function') {
    throw new TypeError(`${what} is a stream: read it first (await signing.fromRequest(request)) or pass options.body`);
  }
  throw new TypeError(`${what} must be a string, Uint8Array or ArrayBuffer, not ${typeName(body)}`);
}

// Headers as parallel name/value lists: a plain object (array values are several lines), a
// Map, a fetch Headers, or an array of [name, value] pairs.
function headerLists(headers) {
  const names = [];
  const values = [];
  if (headers === undefined || headers === null) return { names, values };
  let entries;
  if (Array.isArray(headers)) entries = headers;
  else if (typeof headers === 'object' && typeof headers.entries === 'function') entries = [...headers.entries()];
  else if (typeof headers === 'object') entries = Object.entries(headers);
  else throw new TypeError(`headers must be an object, Map, Headers or [name, value] pairs, not ${typeName(headers)}`);
  for (const pair of entries) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('headers must be [name, value] pairs');
    const [name, value] = pair;
    for (const one of Array.isArray(value) ? value : [value]) {
      names.push(text(name, 'header name'));
      values.push(text(typeof one === 'number' ? String(one) : one, 'header value'));
    }
  }
  return { names, values };
}

function messageOf(m, status, body) {
  if (m === null || typeof m !== 'object') throw new TypeError(`the message must be an object, not ${typeName(m)}`);
  const { names, values } = headerLists(m.headers);
  return {
    method: status ? '' : text(m.method, 'method'),
    url: status ? '' : text(m.url instanceof URL ? m.url.href : m.url, 'url'),
    status,
    names,
    values,
    body: bodyBytes(body === undefined ? m.body : body),
  };
}

function statusOf(response) {
  if (!Number.isInteger(response?.status)) throw new TypeError('a response needs an integer status');
  return response.status;
}

function seconds(value, what) {
  if (typeof value === 'string') return unwrap(need().time_parse_duration(text(value, what))) / 1000;
  if (Number.isSafeInteger(value)) return value;
  throw new TypeError(`${what} must be whole seconds or a duration text ('5m'), not ${typeName(value)}`);
}

function ringOf(keys) {
  if (keys instanceof KeyRing) return keys;
  return new KeyRing(Array.isArray(keys) ? keys : [keys]);
}

function nowOf(now) { return now === undefined ? Date.now() : toMillis(now); }

// A call's texts and bytes, written straight into the core's memory for one of its packed
// exports (ff_sign, ff_verify, ff_webhook_headers, ff_webhook_verify; exports.cc describes the
// form): each item a little-endian u32
// length then its bytes (NONE for an absent one), counts as bare u32 words.
const NONE = 0xFFFFFFFF;
// Below this length (in characters) a loop beats TextEncoder.encodeInto and the view of memory
// it needs, about 80 to 100 ns a call in Node 20 whatever the length. (Reading answers the
// same way measured level with TextDecoder.)
const SHORT_TEXT = 64;
// `text`'s characters as bytes at `at` when every one is ASCII; false at the first that is not
// (what was written is then overwritten).
function asciiInto(text, heap, at) {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7F) return false;
    heap[at + i] = c;
  }
  return true;
}
const pack = {
  base: 0,
  capacity: 0,
  at: 0,
  heap: null,
  taken: true,  // whether an export took the last filling (its answer wipes what it was given)
  start() {
    // A filling no export took (something threw in between) is wiped here instead.
    if (!this.taken) need().HEAPU8.fill(0, this.base, this.base + this.at);
    this.taken = false;
    this.at = 0;
    this.reserve(4096);
  },
  reserve(extra) {
    const c = need();
    if (this.at + extra > this.capacity) {
      this.capacity = Math.max(2 * this.capacity, this.at + extra);
      this.base = c._ff_packed_reserve(this.capacity);
    }
    if (this.heap !== c.HEAPU8) this.heap = c.HEAPU8;  // memory grew
  },
  word(w) {
    this.reserve(4);
    const p = this.base + this.at;
    this.heap[p] = w & 0xFF;
    this.heap[p + 1] = (w >>> 8) & 0xFF;
    this.heap[p + 2] = (w >>> 16) & 0xFF;
    this.heap[p + 3] = (w >>> 24) & 0xFF;
    this.at += 4;
  },
  // A string from text() (or its WTF-8 bytes), or bytes. A short ASCII string (most header
  // names and values, methods, labels) is written a character at a time: TextEncoder's
  // encodeInto, and the view of memory it needs for each item, cost more than the loop.
  item(value) {
    if (value === null) {
      this.word(NONE);
      return;
    }
    const isText = typeof value === 'string';
    this.reserve(4 + (isText ? 3 * value.length : value.length));
    const from = this.base + this.at + 4;
    let n = value.length;
    if (!isText) this.heap.set(value, from);
    else if (n > SHORT_TEXT || !asciiInto(value, this.heap, from)) {
      n = ENCODER.encodeInto(value, this.heap.subarray(from, this.base + this.capacity)).written;
    }
    this.word(n);
    this.at += n;
  },
  items(values) {
    this.word(values.length);
    for (const v of values) this.item(v);
  },
  // Native objects by address (exports.cc reads them in place).
  addresses(natives) {
    this.word(natives.length);
    for (const n of natives) this.word(nativeAddress(n));
  },
  message(m) {
    this.item(m.method);
    this.item(m.url);
    this.item(m.body);
    this.word(m.names.length);
    for (let i = 0; i < m.names.length; i++) {
      this.item(m.names[i]);
      this.item(m.values[i]);
    }
  },
};

// Reads the answer of a packed export (at `address`) with `read`, given the reader of its
// items (one object, reused: calls do not overlap), or throws its failure; then has the core
// wipe it.
function unpacked(address, read) {
  pack.taken = true;
  try {
    return read(answer.open(address));
  } finally {
    answer.all = null;  // not kept past the call (a signature base may hold a key)
    need()._ff_packed_done();
  }
}

// The input of a packed call that takes only texts, all of them checked (text() above) before
// any is written, so that a bad argument cannot leave a key in the buffer; its length.
function packTexts(texts) {
  pack.start();
  for (const t of texts) pack.item(t);
  return pack.at;
}

// A packed call whose input is only texts; `call` gets the input's length and returns the
// answer's address.
function packedTexts(texts, call, read) {
  return unpacked(call(packTexts(texts)), read);
}

// The same for an export that answers in its return value, a word (-1 for a malformed call),
// rather than in the answer buffer: one call into the core and nothing to read back.
function packedWord(texts, call) {
  const word = call(packTexts(texts));
  pack.taken = true;  // the export wiped what it was given
  if (word < 0) throw new FinFusionError('internal', 'a malformed packed call');
  return word;
}

// An answer: its length, where its items' bytes start, then its words (the code, counts and
// each item's length), then those bytes in order (exports.cc). Its texts are decoded in one
// call when they are all ASCII, one character a byte (each item is then a slice of that
// string); otherwise each on its own. A decoder's fixed cost was most of reading an answer.
const answer = {
  heap: null,
  at: 0,
  text: 0,  // where the next item's bytes start
  texts: 0,  // where the items' bytes start
  all: null,  // every text of the answer, when they are ASCII
  open(address) {
    const heap = need().HEAPU8;
    this.heap = heap;
    this.at = address;
    const end = address + this.word();
    this.text = this.texts = address + this.word();
    this.all = null;
    if (end > this.texts) {
      const all = DECODER.decode(heap.subarray(this.texts, end));
      // As many characters as bytes, none of them U+FFFD (what a byte that is not UTF-8
      // becomes): ASCII, since any other character takes more bytes than it has units.
      if (all.length === end - this.texts && all.indexOf('\uFFFD') === -1) this.all = all;
    }
    const code = this.word();
    if (code !== 0) throw new FinFusionError(CODES[code], this.item());
    return this;
  },
  word() {
    const heap = this.heap, at = this.at;
    this.at = at + 4;
    return (heap[at] | (heap[at + 1] << 8) | (heap[at + 2] << 16) | (heap[at + 3] << 24)) >>> 0;
  },
  item() {
    const n = this.word();
    if (n === NONE) return null;
    const from = this.text;
    this.text = from + n;
    if (n === 0) return '';
    if (this.all !== null) return this.all.substring(from - this.texts, from - this.texts + n);
    return DECODER.decode(this.heap.subarray(from, from + n));
  },
  items() {
    const out = new Array(this.word());
    for (let i = 0; i < out.length; i++) out[i] = this.item();
    return out;
  },
  headers() {  // a count, then each name and value
    const out = {};
    for (let n = this.word(); n > 0; n--) {
      const name = this.item();
      out[name] = this.item();
    }
    return out;
  },
};

function signWith(message, request, key, opts) {
  if (!(key instanceof SigningKey)) throw new TypeError(`key must be a SigningKey, not ${typeName(key)}`);
  const {
    label = 'sig1', components = [], expiresIn = null, nonce = null, tag = '', includeAlg = true,
    digest = 'sha-256', now,
  } = options(opts, 'options');
  const native = key.native();
  const componentTexts = textList(components, 'components');
  const expires = expiresIn === null ? -1 : seconds(expiresIn, 'expiresIn');
  const at = nowOf(now);
  const labelText = text(label, 'label'), nonceText = typeof nonce === 'string' ? text(nonce, 'nonce') : '';
  const tagText = text(tag, 'tag'), digestText = text(digest, 'digest');
  pack.start();
  pack.message(message);
  if (request !== null) pack.message(request);
  pack.item(labelText);
  pack.items(componentTexts);
  pack.item(nonceText);
  pack.item(tagText);
  pack.item(digestText);
  return unpacked(need()._ff_sign(nativeAddress(native), pack.at, at, message.status, request === null ? 0 : 1,
    expires, nonce === true ? 1 : 0, includeAlg ? 1 : 0), (out) => out.headers());
}

const numberOrNull = (t) => (t === null ? null : Number(t));

function verifyWith(message, request, keys, opts) {
  const {
    nonces = null, tolerance = 300, requireNonce = false, requiredComponents = [], label = '',
    requireContentDigest = true, now,
  } = options(opts, 'options');
  if (nonces !== null && !(nonces instanceof NonceCache)) throw new TypeError(`nonces must be a NonceCache, not ${typeName(nonces)}`);
  const required = textList(requiredComponents, 'requiredComponents');
  const labelText = text(label, 'label');
  const toleranceSeconds = seconds(tolerance, 'tolerance');
  const at = nowOf(now);
  const ring = ringOf(keys);
  try {
    pack.start();
    pack.message(message);
    if (request !== null) pack.message(request);
    pack.items(required);
    pack.item(labelText);
    return unpacked(need()._ff_verify(nativeAddress(ring.native()), nonces === null ? 0 : nativeAddress(nonces.native()),
      pack.at, at, message.status, request === null ? 0 : 1, toleranceSeconds, requireNonce ? 1 : 0,
      requireContentDigest ? 1 : 0), (out) => {
      // In the answer's order (property values are evaluated left to right).
      return Object.freeze({
        valid: out.word() === 1, code: CODES[out.word()], message: out.item(), label: out.item(), keyId: out.item(),
        alg: out.item(), nonce: out.item(), tag: out.item(), created: Number(out.item()), expires: numberOrNull(out.item()),
        covered: out.items(), signatureBase: out.item(), signer: out.item(),
      });
    });
  } finally {
    if (ring !== keys) ring.dispose();
  }
}

// The address of a native object (SigningKey, KeyRing, NonceCache, WebhookSecret) for the
// packed exports, asked once per object.
const addresses = new WeakMap();
function nativeAddress(native) {
  let address = addresses.get(native);
  if (address === undefined) {
    address = native.address();
    addresses.set(native, address);
  }
  return address;
}

function relatedRequest(opts) {
  const request = opts?.request;
  return request === undefined || request === null ? null : messageOf(request, 0);
}

const signing = {
  SigningKey,
  VerifyingKey,
  KeyRing,
  NonceCache,
  ALGORITHMS: Object.freeze(['hmac-sha256', 'ed25519']),
  DIGEST_ALGORITHMS: Object.freeze(['sha-256', 'sha-512']),
  /**
   * Signs a request ({method, url, headers, body}); returns the headers to add
   * (Content-Digest when the body has none yet, Signature-Input, Signature).
   */
  signRequest(request, key, opts = {}) { return signWith(messageOf(request, 0, opts.body), null, key, opts); },
  /** Verifies a request's signature; never throws for a bad signature (read .valid and .code). */
  verifyRequest(request, keys, opts = {}) { return verifyWith(messageOf(request, 0, opts.body), null, keys, opts); },
  /** Signs a response ({status, headers, body}); options.request is the request it answers (for ;req). */
  signResponse(response, key, opts = {}) {
    return signWith(messageOf(response, statusOf(response), opts.body), relatedRequest(opts), key, opts);
  },
  verifyResponse(response, keys, opts = {}) {
    return verifyWith(messageOf(response, statusOf(response), opts.body), relatedRequest(opts), keys, opts);
  },
  /** A fetch Request (or Response) read into {method, url, status, headers, body} for the calls above. */
  async fromRequest(request) {
    const body = request.body === null || request.body === undefined ? null : new Uint8Array(await request.clone().arrayBuffer());
    return { method: request.method, url: request.url, status: request.status, headers: request.headers, body };
  },
  contentDigest(body, algorithm = 'sha-256') {
    return unwrap(need().signing_content_digest(bodyBytes(body) ?? new Uint8Array(0), text(algorithm, 'algorithm')));
  },
  /** True when every sha-256 / sha-512 digest matches; false when one does not; throws for a malformed field. */
  verifyContentDigest(field, body) {
    return unwrap(need().signing_verify_content_digest(text(field, 'field'), bodyBytes(body) ?? new Uint8Array(0)));
  },
};

// ---------------------------------------------------------------- webhooks (Standard Webhooks)

/** A Standard Webhooks signing secret (whsec_...). Never printed; reveal() shows it. */
class WebhookSecret extends NativeHolder {
  static parse(textValue) { return new WebhookSecret(unwrap(need().webhook_secret_parse(text(textValue, 'secret')))); }
  static fromBytes(raw) { return new WebhookSecret(unwrap(need().webhook_secret_from_bytes(bytes(raw, 'secret')))); }
  static generate() { return new WebhookSecret(unwrap(need().webhook_secret_generate())); }
  reveal() { return this.native().reveal(); }
  toString() { return this.disposed ? 'WebhookSecret(disposed)' : 'WebhookSecret(whsec_...)'; }
  toJSON() { return {}; }
}

// Secrets as native objects; text secrets are parsed for the call and freed after it.
function withSecrets(secrets, fn) {
  const list = Array.isArray(secrets) ? secrets : [secrets];
  const owned = [];
  try {
    const natives = list.map((s) => {
      if (s instanceof WebhookSecret) return s.native();
      const parsed = WebhookSecret.parse(s);
      owned.push(parsed);
      return parsed.native();
    });
    return fn(natives);
  } finally {
    for (const s of owned) s.dispose();
  }
}

// The first value of each of `wanted` (lowercase names) among the headers, '' when absent.
function headerValues(headers, wanted) {
  const { names, values } = headerLists(headers);
  return wanted.map((name) => {
    const i = names.findIndex((n) => typeof n === 'string' && n.toLowerCase() === name);
    return i < 0 ? '' : values[i];
  });
}

const NO_BYTES = new Uint8Array(0);
const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'];

const webhooks = {
  WebhookSecret,
  DEFAULT_TOLERANCE: 300,
  /** The headers to send: webhook-id, webhook-timestamp (now by default), webhook-signature (one entry per secret). */
  sign(secrets, msgId, payload, { timestamp } = {}) {
    const ts = Math.floor(nowOf(timestamp) / 1000);
    const id = text(msgId, 'msgId'), body = bodyBytes(payload, 'payload') ?? NO_BYTES;
    return withSecrets(secrets, (natives) => {
      pack.start();
      pack.addresses(natives);
      pack.item(id);
      pack.item(body);
      return unpacked(need()._ff_webhook_headers(pack.at, ts), (out) => out.headers());
    });
  },
  /** The `v1,<base64>` entry for one secret. */
  signature(secret, msgId, timestamp, payload) {
    return withSecrets(secret, ([native]) => unwrap(need().webhook_sign(native, text(msgId, 'msgId'),
      Math.floor(nowOf(timestamp) / 1000), bodyBytes(payload, 'payload') ?? new Uint8Array(0))));
  },
  /** Checks a received webhook's headers and raw payload; never throws for a bad signature. */
  verify(secrets, headers, payload, { now, tolerance = 300 } = {}) {
    const values = headerValues(headers, WEBHOOK_HEADERS);
    const body = bodyBytes(payload, 'payload') ?? NO_BYTES;
    const at = nowOf(now), toleranceSeconds = seconds(tolerance, 'tolerance');
    return withSecrets(secrets, (natives) => {
      pack.start();
      pack.addresses(natives);
      for (const value of values) pack.item(value);
      pack.item(body);
      return unpacked(need()._ff_webhook_verify(pack.at, at, toleranceSeconds), (out) => {
        const valid = out.word() === 1;
        const code = CODES[out.word()];
        const message = out.item(), msgId = out.item(), timestamp = Number(out.item());
        return Object.freeze({ valid, code, message, msgId, timestamp });
      });
    });
  },
};

// ---------------------------------------------------------------- lifecycle

const lifecycle = {
  /**
   * Validates the seed's create request (JSON text or an object) at `now` under `table`
   * (default: the built-in policies). Throws FinFusionError invalid_request naming the field.
   */
  parseCreateRequest(request, now, table) {
    const source = typeof request === 'string' ? request : JSON.stringify(request);
    if (typeof source !== 'string') throw new TypeError(`request must be a string or an object, not ${typeName(request)}`);
    const policy = table === undefined ? new TypeTable() : table;
    if (!(policy instanceof TypeTable)) throw new TypeError(`table must be a TypeTable, not ${typeName(table)}`);
    const v = unwrap(need().lifecycle_parse_create_request(text(source, 'request'), toMillis(now), String(policy)));
    const fields = JSON.parse(v.json);
    return Object.freeze({
      name: fields.name,
      type: fields.type,
      permissions: new ScopeSet(fields.permissions),
      expiresAt: new Date(v.expiresAtMs),
      service: fields.service ?? '',
      parentKeyId: fields.parentKeyId ?? '',
      owner: fields.owner ?? '',
      purpose: fields.purpose ?? '',
      toJSON() { return fields; },
    });
  },
};

// ---------------------------------------------------------------- rate limits

function wholeNumber(value, what) {
  if (typeof value !== 'number') throw new TypeError(`${what} must be a number, not ${typeName(value)}`);
  if (!Number.isSafeInteger(value)) throw new FinFusionError('invalid_request', `${what} must be a whole number`);
  return value;
}

const ratelimit = {
  /**
   * Decides one request of `cost` at `now` (GCRA). `limit` is {requests, window} (window as
   * '1s' or seconds), {requests, windowMs}, or a TypePolicy; `state` null is a fresh key.
   * Returns {allowed, limit, remaining, retryAfterMs, resetAfterMs, state}.
   */
  check(limit, state, now, cost = 1) {
    if (limit === null || typeof limit !== 'object') throw new TypeError(`limit must be an object, not ${typeName(limit)}`);
    const source = limit.rateLimit ?? limit;  // a TypePolicy carries its limit as rateLimit
    const windowMs = 'windowMs' in source ? wholeNumber(source.windowMs, 'limit.windowMs') : durationMillis(source.window);
    const requests = wholeNumber(source.requests, 'limit.requests');
    let tatMs = null;
    let tatFrac = 0;
    if (state !== null && state !== undefined) {
      if (typeof state !== 'object') throw new TypeError(`state must be an object or null, not ${typeName(state)}`);
      tatMs = wholeNumber(state.tatMs, 'state.tatMs');
      tatFrac = wholeNumber(state.tatFrac, 'state.tatFrac');
    }
    const d = unwrap(need().ratelimit_check(requests, windowMs, tatMs, tatFrac, toMillis(now), wholeNumber(cost, 'cost')));
    Object.freeze(d.state);
    return Object.freeze(d);
  },
};

// ---------------------------------------------------------------- registry

const INSTANT_FIELDS = new Set(['createdAt', 'expiresAt', 'revokedAt', 'graceUntil', 'lastUsedAt', 'at', 'dueAt',
  'leaseUntil', 'sentAt']);

// A value from the core's canonical JSON: instants become Dates; toJSON() gives the JSON back.
function fromCore(textValue) {
  const raw = JSON.parse(textValue);
  const convert = (value) => {
    if (Array.isArray(value)) return Object.freeze(value.map(convert));
    if (value === null || typeof value !== 'object') return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = INSTANT_FIELDS.has(k) && typeof v === 'string' ? new Date(v) : convert(v);
    return out;
  };
  const value = convert(raw);
  Object.defineProperty(value, 'toJSON', { value: () => raw, enumerable: false });
  return Object.freeze(value);
}

function options(value, what) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') throw new TypeError(`${what} must be an object, not ${typeName(value)}`);
  return value;
}

function optionalText(value, what) {
  return value === undefined || value === null ? '' : text(value, what);
}


// ---------------------------------------------------------------- PostgreSQL (Node)

const NO_IDS = Object.freeze([]);

/**
 * The PostgreSQL store's connection, for the core: `pg` in a worker thread
 * (postgres_worker.cjs) called synchronously (this thread waits on a shared slot while the
 * worker runs the statement), so the core runs the native build's statements, transactions,
 * retries and cache invalidation. Notifications arrive on a second port, drained before
 * each read. Every method returns a value and never throws: the core is below it.
 */
class PostgresBridge {
  #worker;
  #calls;
  #events;
  #signal = new Int32Array(new SharedArrayBuffer(4));
  #receive;
  #next = 0;
  #pending = [];
  #lost = false;
  #timeoutMs;
  hostname = '';

  constructor(url, timeoutMs) {
    if (!threads) throw new FinFusionError('storage_unavailable', 'postgresql: needs Node (worker threads)');
    const { Worker, MessageChannel, receiveMessageOnPort } = threads;
    this.#receive = receiveMessageOnPort;
    this.#timeoutMs = timeoutMs;
    const calls = new MessageChannel();
    const events = new MessageChannel();
    this.#worker = new Worker(postgresWorker(), {
      workerData: { url, signal: this.#signal, calls: calls.port2, events: events.port2 },
      transferList: [calls.port2, events.port2],
    });
    this.#worker.unref();
    this.#calls = calls.port1;
    this.#events = events.port1;
    this.#calls.unref();
    this.#events.unref();
    const hello = this.#call({ op: 'connect' });
    if (hello.error !== undefined) {
      this.delete();
      throw new FinFusionError('storage_unavailable', `postgresql: connect: ${hello.error}`);
    }
    this.hostname = hello.hostname;
  }

  // Posts one request and waits for its answer; a late answer to an earlier request (one
  // that timed out) is passed over.
  #call(message) {
    if (!this.#worker) return { error: 'the registry was disposed' };
    const id = this.#next = (this.#next % 0x7fffffff) + 1;
    this.#calls.postMessage({ ...message, id });
    const deadline = Date.now() + this.#timeoutMs;
    for (let seen = Atomics.load(this.#signal, 0); seen !== id; seen = Atomics.load(this.#signal, 0)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.#lost = true;
        return { error: `no answer in ${this.#timeoutMs} ms` };
      }
      Atomics.wait(this.#signal, 0, seen, left);
    }
    for (let got = this.#receive(this.#calls); got !== undefined; got = this.#receive(this.#calls)) {
      if (got.message.id === id) return got.message;
    }
    return { error: 'the answer went missing' };
  }

  #drain() {
    for (let got = this.#receive(this.#events); got !== undefined; got = this.#receive(this.#events)) {
      if (typeof got.message === 'string') this.#pending.push(got.message);
      else this.#lost = true;
    }
  }

  query(name, sql, params) {
    return this.#call(name === '' ? { op: 'query', name, sql } : { op: 'query', name, sql, params });
  }
  notifications() {
    this.#drain();
    if (this.#lost) return null;
    if (this.#pending.length === 0) return NO_IDS;
    const ids = this.#pending;
    this.#pending = [];
    return ids;
  }
  connected() {
    this.#drain();
    return !this.#lost;
  }
  reconnect() {
    this.#drain();
    const r = this.#call({ op: 'reconnect' });
    if (r.error === undefined) {
      this.#lost = false;
      this.#pending = [];
    }
    return r;
  }
  sleep(microseconds) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, microseconds / 1000);
  }
  isDeleted() { return !this.#worker; }
  /** Closes the connection and stops the worker. */
  delete() {
    if (!this.#worker) return;
    const saved = this.#timeoutMs;
    this.#timeoutMs = Math.min(saved, 5000);
    this.#call({ op: 'close' });
    this.#worker.terminate();
    this.#worker = null;
    this.#timeoutMs = saved;
  }
}

// "host:pid:random": this process's audit chain in a shared registry.
function writerName(hostname) {
  const random = unwrap(need().random_secret(4));  // libsodium's CSPRNG, as every key
  return `${hostname}:${globalThis.process?.pid ?? 0}:${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * Keys, their lifecycle and the audit log: in memory (WebAssembly), or in PostgreSQL with
 * `store: 'postgresql://...'` (Node, with `pg` from npm): the native build's store,
 * shared with Python services and the command line. Every call takes `now` (a Date or epoch
 * ms): the core reads no clock. `seed` makes key generation deterministic, for tests and
 * conformance vectors only.
 */
// The verification hot path reads the core's answer from WebAssembly memory (FastResult in
// bindings/wasm/src/exports.h: byte offsets below), not through embind and JSON.
const FAST_KEY_BYTES = 256;
const FAST_TYPES = Object.freeze(['', 'development', 'production', 'restricted']);
const FAST_ENVIRONMENTS = Object.freeze(['', 'sandbox', 'production']);
const NO_SCOPES = Object.freeze([]);
const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

// The core's text for an instant ("2026-01-01T00:00:00.000Z"); toISOString writes the same
// for the years 0 to 9999.
function instantText(date) {
  if (date === null) return null;
  const year = date.getUTCFullYear();
  return year >= 0 && year <= 9999 ? date.toISOString() : unwrap(need().time_format_timestamp(date.getTime()));
}

// A verification's outcome: frozen fields, and toJSON on the class (one defined on each
// decision, as fromCore does for other values, costs more than the rest of the object).
class Decision {
  constructor(valid, code, keyId, type, environment, permissions, expiresAt, inGrace, replacedBy, graceUntil, rateLimit) {
    this.valid = valid;
    this.code = code;
    this.keyId = keyId;
    this.type = type;
    this.environment = environment;
    this.permissions = permissions;
    this.expiresAt = expiresAt;
    this.inGrace = inGrace;
    this.replacedBy = replacedBy;
    this.graceUntil = graceUntil;
    this.rateLimit = rateLimit;
    Object.freeze(this);
  }

  // The canonical JSON, as the core writes it.
  toJSON() {
    return {
      valid: this.valid, code: this.code, keyId: this.keyId, type: this.type, environment: this.environment,
      permissions: [...this.permissions], expiresAt: instantText(this.expiresAt), inGrace: this.inGrace,
      replacedBy: this.replacedBy, graceUntil: instantText(this.graceUntil), rateLimit: { ...this.rateLimit },
    };
  }

  // From the core's JSON (the verifications that do not take the fast path).
  static fromCore(textValue) {
    const v = fromCore(textValue);
    return new Decision(v.valid, v.code, v.keyId, v.type, v.environment, v.permissions, v.expiresAt ?? null, v.inGrace,
      v.replacedBy, v.graceUntil ?? null, v.rateLimit);
  }
}

function sameTexts(a, b) {
  if (!Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class Registry {
  #native;
  #bridge = null;
  #timer = null;
  #store;
  #fast = null;      // the hot path's native half: the context, the key buffer and the result
  #fastAddress = 0;
  #keyAt = 0;
  #resultAt = 0;
  #heap = null;      // the heap the key view was made on (memory growth replaces it)
  #keyView = null;
  #context = null;   // the context last given to the core, as the caller gave it
  #scopes = NO_SCOPES;  // the last decision's permissions (the core says when they repeat)
  constructor(hasher, table, opts) {
    const native = nativeHashers.get(hasher);
    if (!native) throw new TypeError('hasher must be a live Hasher');
    const policy = table === undefined || table === null ? new TypeTable() : table;
    if (!(policy instanceof TypeTable)) throw new TypeError(`table must be a TypeTable, not ${typeName(table)}`);
    const { seed, store = 'memory:', writer, timeoutMs = 30000 } = options(opts, 'options');
    const url = text(store, 'store');
    const seedText = seed === undefined ? null : text(seed, 'seed');
    const writerText = optionalText(writer, 'writer');
    if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) throw new TypeError(`timeoutMs must be a positive number, not ${typeName(timeoutMs)}`);
    const core = need();
    if (POSTGRES_URL.test(url)) this.#bridge = new PostgresBridge(url, timeoutMs);
    const made = core.registry_new(native, String(policy), seedText, url, this.#bridge,
      this.#bridge && writerText === '' ? writerName(this.#bridge.hostname) : writerText);
    if (!made.ok) this.#bridge?.delete();
    this.#native = unwrap(made);
    this.#store = url.split(':', 1)[0];
    this.#fast = core.fast_new(this.#native);
    this.#fastAddress = this.#fast.address();
    this.#keyAt = this.#fast.keyBuffer();
    this.#resultAt = this.#fast.result();
    if (nativeCleanup) {
      nativeCleanup.register(this, this.#fast, this);
      nativeCleanup.register(this, this.#native, this);
    }
    if (this.#bridge) {
      // Held-back verifications are written at least once a second, even when no call comes.
      const self = new WeakRef(this);
      const timer = setInterval(() => {
        const live = self.deref();
        if (live) live.#flushQuietly();
        else clearInterval(timer);  // collected: its cleanup closes the store
      }, 1000);
      timer.unref();
      this.#timer = timer;
      if (nativeCleanup) nativeCleanup.register(this, this.#bridge, this);
    }
  }
  #flushQuietly() {
    try {
      if (this.#native) this.#native.flush();
    } catch {
      // the next operation reports it
    }
  }
  #live() {
    if (!this.#native) throw new FinFusionError('precondition_failed', 'this registry was disposed');
    return this.#native;
  }
  /** Creates a key from the seed's request; `key` is shown once. */
  create(request, opts) {
    const { now, actor } = options(opts, 'options');
    const source = typeof request === 'string' ? request : JSON.stringify(request);
    const v = unwrap(this.#live().create(text(source, 'request'), toMillis(now), optionalText(actor, 'actor') || 'system'));
    return Object.freeze({ key: new ApiKey(v.key), record: fromCore(v.record) });
  }
  /** Verifies a presented key; the decision is a value ({valid, code, ...}), never a throw. */
  verify(key, opts) {
    const { now, required = [], environment, service, cost = 1, actor, latencyMs, signedBy } = options(opts, 'options');
    if (latencyMs !== undefined && latencyMs !== null && typeof latencyMs !== 'number') {
      throw new TypeError(`latencyMs must be a number, not ${typeName(latencyMs)}`);
    }
    const native = this.#live();
    if (typeof key !== 'string') text(key, 'key');  // throws
    const at = toMillis(now);
    const units = wholeNumber(cost, 'cost');
    // The key goes into WebAssembly memory as UTF-8; one that is not ASCII or does not fit
    // (malformed either way) takes the embind path, which gives the same decision.
    const heap = core.HEAPU8;
    if (heap !== this.#heap) {
      this.#heap = heap;
      this.#keyView = heap.subarray(this.#keyAt, this.#keyAt + FAST_KEY_BYTES);
    }
    const { read, written } = ENCODER.encodeInto(key, this.#keyView);
    if (read !== key.length || written !== key.length) {
      this.#keyView.fill(0, 0, written);
      return Decision.fromCore(unwrap(native.verify(text(key, 'key'), textList(required, 'required'),
        optionalText(environment, 'environment'), optionalText(service, 'service'), units,
        optionalText(actor, 'actor'), latencyMs ?? -1, optionalText(signedBy, 'signedBy'), at)));
    }
    const c = this.#context;
    if (c === null || c.environment !== environment || c.service !== service || c.actor !== actor ||
        c.signedBy !== signedBy || !sameTexts(c.required, required)) {
      try {
        this.#fast.setContext(textList(required, 'required'), optionalText(environment, 'environment'),
          optionalText(service, 'service'), optionalText(actor, 'actor'), optionalText(signedBy, 'signedBy'));
      } catch (e) {
        this.#keyView.fill(0, 0, written);
        throw e;
      }
      this.#context = { required: [...required], environment, service, actor, signedBy };
    }
    core._ff_fast_verify(this.#fastAddress, written, at, units, latencyMs ?? -1);  // wipes the key
    const r = this.#resultAt;
    const i32 = core.HEAP32;
    const f64 = core.HEAPF64;
    const status = i32[(r + 40) >> 2];
    if (status !== 0) throw new FinFusionError(CODES[status], this.#fast.error());
    let permissions = this.#scopes;
    if (i32[(r + 92) >> 2] === 0) {
      const from = i32[(r + 84) >> 2] >>> 0;
      const length = i32[(r + 88) >> 2];
      permissions = length === 0 ? NO_SCOPES : Object.freeze(DECODER.decode(core.HEAPU8.subarray(from, from + length)).split('\n'));
      this.#scopes = permissions;
    }
    const replacedLength = i32[(r + 80) >> 2];
    const replacedFrom = i32[(r + 76) >> 2] >>> 0;
    return new Decision(
      i32[(r + 44) >> 2] !== 0,
      CODES[i32[(r + 48) >> 2]],
      key.slice(0, i32[(r + 56) >> 2]),
      FAST_TYPES[i32[(r + 60) >> 2]],
      FAST_ENVIRONMENTS[i32[(r + 64) >> 2]],
      permissions,
      i32[(r + 68) >> 2] !== 0 ? new Date(f64[r >> 3]) : null,
      i32[(r + 52) >> 2] !== 0,
      replacedLength === 0 ? '' : DECODER.decode(core.HEAPU8.subarray(replacedFrom, replacedFrom + replacedLength)),
      i32[(r + 72) >> 2] !== 0 ? new Date(f64[(r + 8) >> 3]) : null,
      { limit: f64[(r + 16) >> 3], remaining: f64[(r + 24) >> 3], retryAfterMs: f64[(r + 32) >> 3] });
  }
  /** The seed's getUsage({keyId, timeframe: {start, end}, metrics: ['requests', 'errors', 'latency']}). */
  getUsage(query) {
    const { keyId, timeframe, metrics } = options(query, 'query');
    const { start, end } = options(timeframe, 'timeframe');
    const instant = (value, what) => (value instanceof Date || typeof value === 'number' ? time.formatTimestamp(value) : optionalText(value, what));
    const body = { keyId: text(keyId, 'keyId'), timeframe: { start: instant(start, 'timeframe.start'), end: instant(end, 'timeframe.end') } };
    if (metrics !== undefined) body.metrics = metrics;
    return JSON.parse(unwrap(this.#live().getUsage(JSON.stringify(body))));
  }
  /** The state of a key by id, as the seed's apiKeys.verify(newKey.id). */
  status(keyId, opts) {
    const { now } = options(opts, 'options');
    return fromCore(unwrap(this.#live().status(text(keyId, 'keyId'), toMillis(now))));
  }
  /** The seed's rotate({currentKey, gracePeriod: '48h', notifyEmails}); gracePeriod 0 is an emergency rotation. */
  rotate(opts) {
    const { currentKey, gracePeriod = '48h', notifyEmails = [], force = false, now, actor } = options(opts, 'options');
    if (typeof force !== 'boolean') throw new TypeError(`force must be a boolean, not ${typeName(force)}`);
    const v = unwrap(this.#live().rotate(text(currentKey, 'currentKey'), durationMillis(gracePeriod),
      textList(notifyEmails, 'notifyEmails'), force, toMillis(now), optionalText(actor, 'actor') || 'system'));
    return Object.freeze({ key: new ApiKey(v.key), id: v.key.id, previous: fromCore(v.previous), current: fromCore(v.current) });
  }
  /**
   * The seed's automated rotation: rotates every key whose rotation is due or overdue (see
   * policyReport) and returns the rotations made; keys another instance rotated meanwhile are
   * skipped, so several hosts may run it at once.
   */
  rotateDue(opts) {
    const { gracePeriod = '48h', notifyEmails = [], now, actor } = options(opts, 'options');
    const made = unwrap(this.#live().rotateDue(durationMillis(gracePeriod), textList(notifyEmails, 'notifyEmails'),
      toMillis(now), optionalText(actor, 'actor') || 'system'));
    return Object.freeze(made.map((v) => Object.freeze({ key: new ApiKey(v.key), id: v.key.id, previous: fromCore(v.previous),
      current: fromCore(v.current) })));
  }
  revoke(keyId, opts) {
    const { now, reason, actor } = options(opts, 'options');
    return fromCore(unwrap(this.#live().revoke(text(keyId, 'keyId'), optionalText(reason, 'reason'), toMillis(now),
      optionalText(actor, 'actor') || 'system')));
  }
  /**
   * The seed's emergency procedure: revokes a compromised key, its rotation chain and every
   * restricted key derived from them; with `replace` (default), fresh keys for the chains that
   * were still usable. Returns {revoked: KeyRecord[], replacements: [{previousId, key, record}]}.
   */
  emergencyRevoke(keyId, opts) {
    const { now, reason, replace = true, actor } = options(opts, 'options');
    if (typeof replace !== 'boolean') throw new TypeError(`replace must be a boolean, not ${typeName(replace)}`);
    const v = unwrap(this.#live().emergencyRevoke(text(keyId, 'keyId'), optionalText(reason, 'reason'), replace,
      toMillis(now), optionalText(actor, 'actor') || 'system'));
    return Object.freeze({
      revoked: Object.freeze(v.revoked.map(fromCore)),
      replacements: Object.freeze(v.replacements.map((r) => Object.freeze({ previousId: r.previousId, key: new ApiKey(r.key), record: fromCore(r.record) }))),
    });
  }
  /** Every key with its rotation state (ok, due_soon, due, overdue, inactive), age, last use and expiry. */
  policyReport(opts) {
    const { now } = options(opts, 'options');
    return JSON.parse(unwrap(this.#live().policyReport(toMillis(now))));
  }
  get(keyId) { return fromCore(unwrap(this.#live().get(text(keyId, 'keyId')))); }
  list() { return unwrap(this.#live().list()).map(fromCore); }
  /** The seed's getLogs({keyId, limit: 100, eventTypes: [...]}): the newest `limit`, oldest first. */
  logs(opts) {
    const { keyId, limit = 100, eventTypes = [] } = options(opts, 'options');
    return unwrap(this.#live().logs(optionalText(keyId, 'keyId'), textList(eventTypes, 'eventTypes'), wholeNumber(limit, 'limit'))).map(fromCore);
  }
  // ---- the outbox
  /** Who gets every key's warnings and alerts, besides its owner when that is an email address (at most 20). */
  setAlertRecipients(recipients) { unwrap(this.#live().setAlertRecipients(textList(recipients, 'recipients'))); }
  /** Queues the expiry and rotation-due warnings due at `now` (once per key and date); returns how many were new. */
  queueWarnings(opts) {
    const { now } = options(opts, 'options');
    return unwrap(this.#live().queueWarnings(toMillis(now)));
  }
  /** Takes up to `limit` due notifications for `worker` (a mailer's name) for `lease`; settle each after sending. */
  claimNotifications(worker, opts) {
    const { now, limit = 10, lease = '5m' } = options(opts, 'options');
    return unwrap(this.#live().claimNotifications(text(worker, 'worker'), wholeNumber(limit, 'limit'),
      durationMillis(lease), toMillis(now))).map(fromCore);
  }
  /** Records a delivery: sent, or failed with `error` (tried again after a backoff, until MAX_DELIVERY_ATTEMPTS). */
  settleNotification(notification, worker, opts) {
    const { now, delivered, error = '' } = options(opts, 'options');
    if (typeof delivered !== 'boolean') throw new TypeError(`delivered must be a boolean, not ${typeName(delivered)}`);
    const id = notification !== null && typeof notification === 'object' ? notification.id : notification;
    return fromCore(unwrap(this.#live().settleNotification(text(id, 'id'), text(worker, 'worker'), delivered,
      optionalText(error, 'error'), toMillis(now))));
  }
  /** The outbox, newest first: all, those with `status` ('pending', 'sent', 'failed'), or the one with `id`. */
  notifications(opts) {
    const { status, id, limit = 100 } = options(opts, 'options');
    return unwrap(this.#live().notifications(optionalText(id, 'id'), optionalText(status, 'status'),
      wholeNumber(limit, 'limit'))).map(fromCore);
  }
  verifyChain() { return Object.freeze(unwrap(this.#live().verifyChain())); }
  /** Writes out what the store holds back (nothing for the in-memory store: parity with Python). */
  flush() { unwrap(this.#live().flush()); }
  /** The whole registry encrypted (XChaCha20-Poly1305) under a 32-byte key: "ffx1.<base64url>". */
  exportEncrypted(key, opts = {}) {
    const { now } = options(opts, 'options');
    return unwrap(this.#live().exportEncrypted(bytes(key, 'key'), now === undefined ? Date.now() : toMillis(now)));
  }
  /** Loads an export (made by any binding) into this registry, which must be empty. */
  importEncrypted(textValue, key) { unwrap(this.#live().importEncrypted(text(textValue, 'text'), bytes(key, 'key'))); }
  /** The master keys (id -> 32-byte Uint8Array) sealing the secrets kept here; `current` seals, all open. */
  setMasterKeys(keys, current) {
    const entries = keys instanceof Map ? [...keys.entries()]
      : (keys !== null && typeof keys === 'object' && !Array.isArray(keys) ? Object.entries(keys) : null);
    if (!entries) throw new TypeError(`keys must be an object or Map of id -> Uint8Array, not ${typeName(keys)}`);
    unwrap(this.#live().setMasterKeys(entries.map(([id]) => text(id, 'master key id')),
      entries.map(([, value]) => bytes(value, 'master key')), text(current, 'current')));
  }
  /** A new request-signing secret for the key ('hmac-sha256' or 'ed25519'), kept sealed; give it to the client. */
  issueSigningSecret(keyId, opts) {
    const { now, algorithm = 'hmac-sha256', actor } = options(opts, 'options');
    return new SigningKey(unwrap(this.#live().issueSigningSecret(text(keyId, 'keyId'), text(algorithm, 'algorithm'),
      toMillis(now), optionalText(actor, 'actor') || 'system')));
  }
  /** The key's request-signing secret, opened: verify its requests with `.verifyingKey()`. */
  signingKey(keyId) { return new SigningKey(unwrap(this.#live().signingKey(text(keyId, 'keyId')))); }
  /** A new webhook signing secret for the endpoint, kept sealed. */
  issueWebhookSecret(endpointId, opts) {
    const { now, actor } = options(opts, 'options');
    return new WebhookSecret(unwrap(this.#live().issueWebhookSecret(text(endpointId, 'endpointId'), toMillis(now),
      optionalText(actor, 'actor') || 'system')));
  }
  webhookSecret(endpointId) { return new WebhookSecret(unwrap(this.#live().webhookSecret(text(endpointId, 'endpointId')))); }
  /** Re-seals under the current master key whatever another sealed; returns how many. */
  reencryptSecrets(opts) {
    const { now, actor } = options(opts, 'options');
    return unwrap(this.#live().reencryptSecrets(toMillis(now), optionalText(actor, 'actor') || 'system'));
  }
  /** Frees the native registry now. */
  dispose() {
    if (this.#native) {
      if (nativeCleanup) nativeCleanup.unregister(this);
      clearInterval(this.#timer);
      this.#fast.delete();
      this.#fast = null;
      this.#native.delete();  // writes out what is held back
      this.#native = null;
      this.#bridge?.delete();
      this.#bridge = null;
    }
  }
  toString() { return `Registry(store=${this.#store}:)`; }
  toJSON() { return {}; }
  [INSPECT]() { return this.toString(); }
}

const registry = {
  Registry,
  EVENT_TYPES: Object.freeze(['key.created', 'key.rotated', 'key.revoked', 'key.expired', 'key.accessed',
    'key.verification_failed', 'key.rate_limited', 'key.anomaly', 'secret.issued', 'secret.reencrypted']),
  /** The kinds of notification the outbox holds. */
  NOTIFICATION_KINDS: Object.freeze(['key.rotated', 'key.expiring', 'key.rotation_due', 'key.anomaly', 'key.rate_limit']),
  /** Deliveries tried before a notification is 'failed' (the waits double from 30 s to an hour). */
  MAX_DELIVERY_ATTEMPTS: 12,
};

// ---------------------------------------------------------------- the seed's client

/**
 * The seed's client: new FinFusion({apiKey, environment, options: {timeout, retries}}), with
 * apiKeys.create / rotate / verify / revoke / list / getUsage / getLogs (async, as the seed
 * awaits them) over a registry (in memory unless one is passed). Arguments are checked by
 * the core: a key whose prefix contradicts `environment` is environment_mismatch.
 */
class FinFusion {
  #registry;
  #clock;
  constructor(config) {
    const { apiKey, environment = 'production', options: clientOptions = {}, registry: reg, clock } = options(config, 'config');
    const c = unwrap(need().client_configure(apiKey === undefined || apiKey === null ? '' : text(apiKey, 'apiKey'),
      text(environment, 'environment'), JSON.stringify(options(clientOptions, 'options'))));
    this.keyId = c.keyId;
    this.type = c.type;
    this.environment = c.environment;
    this.timeoutMs = c.timeoutMs;
    this.retries = c.retries;
    if (reg !== undefined && !(reg instanceof Registry)) throw new TypeError(`registry must be a Registry, not ${typeName(reg)}`);
    this.#registry = reg ?? new Registry(new Hasher({ local: hashing.generatePepper() }, 'local'));
    this.#clock = clock ?? (() => new Date());
    const client = this;
    const now = (value) => (value === undefined ? client.#clock() : value);
    const actor = `key:${c.keyId}`;
    this.apiKeys = Object.freeze({
      async create(request, opts = {}) { return client.#registry.create(request, { now: now(opts.now), actor }); },
      async rotate({ currentKey, gracePeriod = '48h', notifyEmails = [], force = false, now: at } = {}) {
        return client.#registry.rotate({ currentKey, gracePeriod, notifyEmails, force, now: now(at), actor });
      },
      /** A key id gives its state (the seed's verify(newKey.id)); a full key is verified here. */
      async verify(keyOrId, opts = {}) {
        const { required = [], service, latencyMs, now: at } = options(opts, 'options');
        if (keys.checkFormat(text(keyOrId, 'key')) === 'valid') {
          return client.#registry.verify(keyOrId, { now: now(at), required, environment: client.environment, service, latencyMs, actor });
        }
        return client.#registry.status(keyOrId, { now: now(at) });
      },
      async revoke(keyId, opts = {}) { return client.#registry.revoke(keyId, { now: now(opts.now), reason: opts.reason, actor }); },
      async list() { return client.#registry.list(); },
      async getUsage(query) { return client.#registry.getUsage(query); },
      async getLogs(query = {}) { return client.#registry.logs(query); },
    });
    Object.freeze(this);
  }
  toString() { return `FinFusion(keyId=${this.keyId}, environment=${this.environment})`; }
  [INSPECT]() { return this.toString(); }
}

function version() { return need().version(); }
