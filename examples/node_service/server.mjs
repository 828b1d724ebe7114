// A payments API whose middleware verifies FinFusion keys, in Node: the same checks, the
// same registry and the same answers as examples/python_service (the examples test sends
// both the same requests). `Authorization: Bearer <key>`, the RFC 9421 signature when the
// request carries one, the route's scopes, usage and audit through the registry; refusals
// are 401, 403 or 429 with the decision's code.
//
//   FINFUSION_REGISTRY=postgresql://... FINFUSION_PEPPERS=p1=<base64> node server.mjs --port 8082
//
// Environment as for the Python service: FINFUSION_REGISTRY, FINFUSION_PEPPERS,
// FINFUSION_SECRET_KEYS, FINFUSION_TYPE_TABLE, FINFUSION_ENVIRONMENT.
import { createServer } from 'node:http';
import { ready, hashing, keys, registry as reg, signing } from '@finfusion/keys';

// The scopes each route needs.
const SCOPES = new Map([['GET /v1/payments', ['payments:read']], ['POST /v1/payments', ['payments:charge']]]);
// Decision codes that are not "who are you" (401) but "not this" (403) or "not now" (429).
const STATUS = { insufficient_scope: 403, environment_mismatch: 403, rate_limited: 429 };

function keyed(variable) {
  const items = process.env[variable].split(',').filter(Boolean).map((item) => {
    const at = item.indexOf('=');
    return [item.slice(0, at), new Uint8Array(Buffer.from(item.slice(at + 1), 'base64'))];
  });
  return [Object.fromEntries(items), items[0][0]];
}

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function refuse(res, status, code, message, retryAfterMs = 0) {
  const headers = {};
  if (status === 429) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  send(res, status, { error: { code, message } }, headers);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function main() {
  const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 8082);
  const [peppers, current] = keyed('FINFUSION_PEPPERS');
  const registry = new reg.Registry(new hashing.Hasher(peppers, current),
    new keys.TypeTable(process.env.FINFUSION_TYPE_TABLE || '{}'), { store: process.env.FINFUSION_REGISTRY });
  if (process.env.FINFUSION_SECRET_KEYS) registry.setMasterKeys(...keyed('FINFUSION_SECRET_KEYS'));
  const environment = process.env.FINFUSION_ENVIRONMENT || 'production';
  const nonces = new signing.NonceCache(100000);

  // The keyid that signed the request ('' when unsigned), or the refusal code.
  function signer(req, url, key, body) {
    if (req.headers['signature-input'] === undefined) return ['', null];
    let verifying;
    try {
      verifying = registry.signingKey(keys.parse(key).id).verifyingKey();
    } catch {
      return ['', 'signature_invalid'];  // a signature, but no signing secret for this key
    }
    const v = signing.verifyRequest({ method: req.method, url, headers: Object.entries(req.headers), body },
      [verifying], { nonces });
    return v.valid ? [v.keyId, null] : ['', v.code];
  }

  async function authenticate(req, res, url) {
    const required = SCOPES.get(`${req.method} ${url.pathname}`);
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bearer ')) return refuse(res, 401, 'malformed_key', 'authorization: expected Bearer <key>');
    const key = header.slice('Bearer '.length).trim();
    const body = await readBody(req);
    const [signedBy, failure] = keys.checkFormat(key) === 'valid' ? signer(req, url.href, key, body) : ['', null];
    if (failure) return refuse(res, 401, failure, "the request's signature does not verify");
    const decision = registry.verify(key, { now: new Date(), required, environment, service: 'payments-api', signedBy });
    if (!decision.valid) {
      return refuse(res, STATUS[decision.code] ?? 401, decision.code, 'the key was refused', decision.rateLimit.retryAfterMs);
    }
    return { keyId: decision.keyId, body };
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, `http://${req.headers.host}`);
      if (!SCOPES.has(`${req.method} ${url.pathname}`)) return send(res, 404, { error: { code: 'not_found', message: 'no such route' } });
      const who = await authenticate(req, res, url);
      if (!who) return undefined;
      if (req.method === 'GET') return send(res, 200, { ok: true, keyId: who.keyId, payments: [] });
      return send(res, 201, { ok: true, keyId: who.keyId, charged: JSON.parse(who.body.toString('utf8') || '{}') });
    } catch (e) {
      return send(res, 500, { error: { code: e.code ?? 'internal', message: 'internal error' } });
    }
  });
  server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
  const stop = () => {
    server.close(() => { registry.dispose(); process.exit(0); });
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await ready();
main();
