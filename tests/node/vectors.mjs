// The JavaScript answers to tests/vectors/*.json, shared by the Node runner and the browser
// page: `answer(api, file, input)` returns {expect} or {error}, exactly as the C++ core wrote.
export const FILES = ['key', 'scope', 'hash', 'time', 'create', 'ratelimit', 'registry', 'signing', 'webhooks'];

function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

// Bytes to a string as Python's surrogateescape does: valid UTF-8 decodes, each invalid byte
// b becomes the lone surrogate U+DC00+b (which the package passes on as invalid UTF-8).
function surrogateEscape(bytes) {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    try {
      if (len === 0 || i + len > bytes.length) throw new Error('invalid');
      out += strict.decode(bytes.subarray(i, i + len));
      i += len;
    } catch {
      out += String.fromCharCode(0xdc00 + b);
      i += 1;
    }
  }
  return out;
}

// Text given as "<name>" or as "<name>_hex" (bytes that JSON text cannot carry).
function text(input, name) {
  const hex = input[name === 'request_text' ? 'request_hex' : `${name}_hex`];
  return hex === undefined ? input[name] : surrogateEscape(fromHex(hex));
}

function parsed(k) {
  return { id: k.id, type: k.type, environment: k.environment, format_version: k.formatVersion };
}

function instant(api, date) {
  return { ms: date.getTime(), text: api.time.formatTimestamp(date) };
}

const ANSWER = {
  key(api, op, input) {
    const k = api.keys;
    switch (op) {
      case 'check_format': return k.checkFormat(text(input, 'key'));
      case 'parse': return parsed(k.parse(text(input, 'key')));
      case 'parse_id': return parsed(k.parseId(text(input, 'id')));
      case 'mask': return k.mask(text(input, 'key'));
      case 'generate': {
        const key = k.generateFromEntropy(input.type, fromHex(input.entropy_hex));
        return { key: key.reveal(), id: key.id };
      }
      case 'type': {
        const info = k.typeInfo(input.name);
        return { prefix: info.prefix, environment: info.environment };
      }
      case 'type_table': {
        const source = 'overrides_text' in input ? input.overrides_text : JSON.stringify(input.overrides);
        return new k.TypeTable(source).toJSON();
      }
      default: throw new Error(`unknown key op ${op}`);
    }
  },
  scope(api, op, input) {
    const s = api.scopes;
    switch (op) {
      case 'parse': return s.parse(input.scopes).toList();
      case 'allows': return s.allows(input.granted, input.required);
      case 'allows_all': return s.allowsAll(input.granted, input.required);
      case 'is_subset': return s.isSubset(input.child, input.parent);
      default: throw new Error(`unknown scope op ${op}`);
    }
  },
  hash(api, op, input) {
    const peppers = new Map(input.peppers.map(([id, hex]) => [id, fromHex(hex)]));
    const hasher = new api.hashing.Hasher(peppers, input.current, input.algorithm ?? 'hs256');
    try {
      switch (op) {
        case 'hash': return hasher.hash(text(input, 'key'));
        case 'verify': return hasher.verify(text(input, 'key'), input.stored);
        case 'needs_rehash': return hasher.needsRehash(input.stored);
        default: throw new Error(`unknown hash op ${op}`);
      }
    } finally {
      hasher.dispose();
    }
  },
  time(api, op, input) {
    const t = api.time;
    switch (op) {
      case 'parse_duration': return t.parseDuration(text(input, 'text'));
      case 'format_duration': return t.formatDuration(input.ms / 1000);
      case 'parse_timestamp': return instant(api, t.parseTimestamp(text(input, 'text')));
      case 'parse_until': return instant(api, t.parseUntil(text(input, 'text')));
      case 'format_timestamp': return t.formatTimestamp(input.ms);
      default: throw new Error(`unknown time op ${op}`);
    }
  },
  create(api, op, input) {
    if (op !== 'parse_create_request') throw new Error(`unknown create op ${op}`);
    const request = 'request' in input ? input.request : text(input, 'request_text');
    const table = new api.keys.TypeTable(input.overrides ?? {});
    return api.lifecycle.parseCreateRequest(request, api.time.parseTimestamp(input.now), table).toJSON();
  },
  ratelimit(api, op, input) {
    if (op !== 'sequence') throw new Error(`unknown ratelimit op ${op}`);
    const limit = { requests: input.limit.requests, windowMs: input.limit.window_ms };
    let state = input.state ? { tatMs: input.state.tat_ms, tatFrac: input.state.tat_frac } : null;
    return input.steps.map((step) => {
      const d = api.ratelimit.check(limit, state, step.at_ms, step.cost ?? 1);
      state = d.state;
      return { allowed: d.allowed, remaining: d.remaining, retry_after_ms: d.retryAfterMs, reset_after_ms: d.resetAfterMs,
        tat_ms: d.state.tatMs, tat_frac: d.state.tatFrac };
    });
  },
  registry(api, op, input) {
    if (op !== 'scenario') throw new Error(`unknown registry op ${op}`);
    const hasher = new api.hashing.Hasher(new Map(input.peppers.map(([id, hex]) => [id, fromHex(hex)])), input.current);
    const table = input.table ? new api.keys.TypeTable(input.table) : undefined;
    const reg = new api.registry.Registry(hasher, table, { seed: input.seed });
    const madeKeys = [];
    const madeIds = [];
    const raw = (value) => JSON.parse(JSON.stringify(value));
    try {
      return input.steps.map((step) => {
        const key = step.key ?? (step.key_of !== undefined ? madeKeys[step.key_of] : '');
        const id = step.id ?? (step.id_of !== undefined ? madeIds[step.id_of] : '');
        const now = step.at ? new Date(step.at) : undefined;
        const actor = step.actor ?? 'system';
        let newKey = '';
        let newId = '';
        let out;
        try {
          switch (step.do) {
            case 'create': {
              const body = { ...step.request };
              if (step.parent_of !== undefined) body.parentKeyId = madeIds[step.parent_of];
              const c = reg.create(body, { now, actor });
              newKey = c.key.reveal();
              newId = c.record.id;
              out = { ok: { key: newKey, record: raw(c.record) } };
              break;
            }
            case 'verify':
              out = { ok: raw(reg.verify(key, { now, required: step.required ?? [], environment: step.environment, service: step.service, cost: step.cost ?? 1, actor: step.actor, latencyMs: step.latency_ms, signedBy: step.signed_by_id_of !== undefined ? madeIds[step.signed_by_id_of] : undefined })) };
              break;
            case 'status': out = { ok: raw(reg.status(id, { now })) }; break;
            case 'rotate': {
              const r = reg.rotate({ currentKey: id, gracePeriod: step.grace, notifyEmails: step.notify ?? [], force: step.force ?? false, now, actor });
              newKey = r.key.reveal();
              newId = r.current.id;
              out = { ok: { key: newKey, previous: raw(r.previous), current: raw(r.current) } };
              break;
            }
            case 'revoke': out = { ok: raw(reg.revoke(id, { now, reason: step.reason ?? '', actor })) }; break;
            case 'logs': out = { ok: raw(reg.logs({ keyId: id, limit: step.limit ?? 100, eventTypes: step.types ?? [] })) }; break;
            case 'emergency_revoke': {
              const er = reg.emergencyRevoke(id, { now, reason: step.reason ?? '', replace: step.replace ?? true, actor });
              if (er.replacements.length) {
                newKey = er.replacements[0].key.reveal();
                newId = er.replacements[0].record.id;
              }
              out = { ok: { revoked: raw(er.revoked), replacements: er.replacements.map((r) => ({ previousId: r.previousId, key: r.key.reveal(), record: raw(r.record) })) } };
              break;
            }
            case 'policy': out = { ok: reg.policyReport({ now }) }; break;
            case 'usage': {
              const q = step.query;
              out = { ok: raw(reg.getUsage({ keyId: id || q.keyId, timeframe: q.timeframe, metrics: q.metrics })) };
              break;
            }
            case 'verify_chain': out = { ok: raw(reg.verifyChain()) }; break;
            default: throw new Error(`unknown step ${step.do}`);
          }
        } catch (e) {
          if (!(e instanceof api.FinFusionError)) throw e;
          out = { error: e.code };
        }
        madeKeys.push(newKey);
        madeIds.push(newId);
        return out;
      });
    } finally {
      reg.dispose();
      hasher.dispose();
    }
  },

  signing(api, op, input) {
    const sg = api.signing;
    if (op === 'content_digest') return sg.contentDigest(input.body, input.algorithm);
    if (op === 'verify_content_digest') return sg.verifyContentDigest(input.field, input.body);
    const owned = [];
    const own = (x) => { owned.push(x); return x; };
    const signingKey = (k) => {
      const secret = fromHex(k.secret_hex);
      if (k.algorithm === 'ed25519') return own(sg.SigningKey.ed25519(k.key_id, secret));
      if (k.algorithm !== 'hmac-sha256') return own(sg.SigningKey.generate(k.key_id, k.algorithm));
      return own(sg.SigningKey.hmac(k.key_id, secret));
    };
    const verifyingKeys = (ks) => ks.map((k) => own('public_hex' in k
      ? sg.VerifyingKey.ed25519(k.key_id, fromHex(k.public_hex)) : signingKey(k).verifyingKey()));
    const verification = (v) => ({
      valid: v.valid, code: v.code, label: v.label, keyId: v.keyId, alg: v.alg, created: v.created,
      expires: v.expires, nonce: v.nonce, tag: v.tag, covered: [...v.covered], signatureBase: v.signatureBase,
    });
    const request = input.request ? { ...input.request } : undefined;
    const sign = (m, key, o) => {
      const opts = {
        label: o.label, components: o.components, expiresIn: o.expires_in ?? null, nonce: o.nonce ?? null,
        tag: o.tag, includeAlg: o.include_alg, digest: o.digest, now: input.now, request,
      };
      for (const k of Object.keys(opts)) if (opts[k] === undefined) delete opts[k];
      return m.status ? sg.signResponse(m, key, opts) : sg.signRequest(m, key, opts);
    };
    const verify = (m, keys, p, nonces, now) => {
      const opts = {
        nonces, tolerance: p.tolerance ?? 300, requireNonce: p.require_nonce ?? false,
        requiredComponents: p.required_components ?? [], label: p.label ?? '',
        requireContentDigest: p.require_content_digest ?? true, now, request,
      };
      return m.status ? sg.verifyResponse(m, keys, opts) : sg.verifyRequest(m, keys, opts);
    };
    try {
      const m = input.message;
      if (op === 'sign' || op === 'sign_verify') {
        const added = sign(m, signingKey(input.key), input.options ?? {});
        if (op === 'sign') return { headers: Object.entries(added) };
        const received = { ...m, headers: [...m.headers.map((h) => [...h]), ...Object.entries(added)] };
        const t = input.tamper ?? {};
        for (const field of ['method', 'url', 'body']) if (field in t) received[field] = t[field];
        if (t.set_header) received.headers = received.headers.map(([n, v]) => [n, n === t.set_header[0] ? t.set_header[1] : v]);
        if (t.add_header) received.headers.push(t.add_header);
        if (t.remove_header) received.headers = received.headers.filter(([n]) => n !== t.remove_header);
        const keys = input.keys ? verifyingKeys(input.keys) : [signingKey(input.key)];
        const nonces = own(new sg.NonceCache());
        return verification(verify(received, keys, input.policy ?? {}, nonces, input.verify_at ?? input.now));
      }
      if (op === 'verify') {
        const keys = verifyingKeys(input.keys);
        const times = input.times ?? 1;
        if (times === 1) return verification(verify(m, keys, input.policy ?? {}, null, input.now));
        const nonces = own(new sg.NonceCache(input.nonce_cache ?? 100000));
        return Array.from({ length: times }, () => verify(m, keys, input.policy ?? {}, nonces, input.now).code);
      }
      throw new Error(`unknown signing op ${op}`);
    } finally {
      for (const x of owned) x.dispose();
    }
  },
  webhooks(api, op, input) {
    const wh = api.webhooks;
    if (op === 'parse_secret') {
      const s = wh.WebhookSecret.parse(input.secret);
      try { return s.reveal(); } finally { s.dispose(); }
    }
    if (op === 'sign') return wh.sign(input.secrets, input.msg_id, input.payload, { timestamp: input.timestamp * 1000 });
    if (op === 'verify') {
      const v = wh.verify(input.secrets, input.headers, input.payload, { now: input.now, tolerance: input.tolerance ?? 300 });
      return { valid: v.valid, code: v.code, msgId: v.msgId, timestamp: v.timestamp };
    }
    throw new Error(`unknown webhooks op ${op}`);
  },
};

export function answer(api, file, input) {
  try {
    return { expect: ANSWER[file](api, input.op, input) };
  } catch (e) {
    if (e instanceof api.FinFusionError) return { error: e.code };
    throw e;
  }
}

// Compares answers with the expectations of every case; returns the mismatches.
export function runAll(api, documents) {
  const failures = [];
  let count = 0;
  for (const file of FILES) {
    for (const c of documents[file].cases) {
      const expected = 'error' in c ? { error: c.error } : { expect: c.expect };
      let got;
      try {
        got = answer(api, file, c.input);
      } catch (e) {
        got = { exception: String(e) };
      }
      count++;
      if (!deepEqual(got, expected)) failures.push({ file, name: c.name, expected, got });
    }
  }
  return { count, failures };
}

export function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}
