// RFC 9421 sign + verify of the typical request through @finfusion/keys (WebAssembly), as ns
// per operation in JSON on stdout (bench/tables.py puts it beside native and Python).
import { ready, signing, webhooks } from '../bindings/node/dist/index.mjs';
import { perOp } from './per_op.mjs';

const BODY = new TextEncoder().encode(`{"data":"${'x'.repeat(1013)}"}`);
const URL_ = 'https://api.finfusion.example/v1/payments?currency=EUR';
const HEADERS = [['Host', 'api.finfusion.example'], ['Content-Type', 'application/json'],
  ['Authorization', 'Bearer prod_EnqIrqy2roi4qe8B_phPgxLdgHFjpBZJfuHYfyr6RNJ6cO3nMVjDUiyy7CZR3u29HZ'],
  ['X-Request-Id', 'req-7f2c']];
const NOW = 1767225600000;

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
}
const secret = webhooks.WebhookSecret.generate();
out.webhook_sign_verify = perOp(() => {
  const sent = webhooks.sign(secret, 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', BODY, { timestamp: NOW });
  if (!webhooks.verify(secret, sent, BODY, { now: NOW }).valid) throw new Error('webhook');
});
console.log(JSON.stringify(out));
