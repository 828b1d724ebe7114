// Typed use of @finfusion/keys; `tsc --noEmit -p tests/node` must accept it against the
// hand-written index.d.ts (make test runs it).
import { ready, keys, scopes, hashing, time, lifecycle, ratelimit, FinFusionError, CODES, type ApiKey, type Code, type CreateRequest, type ParsedKey, type TypePolicy } from '@finfusion/keys';

export async function main(): Promise<string> {
  await ready();
  const key: ApiKey = keys.generate(keys.KeyType.PRODUCTION);
  const text: string = key.reveal();
  const code: 'valid' | 'malformed_key' | 'unknown_prefix' | 'bad_checksum' = keys.checkFormat(text);
  const parsed: ParsedKey = keys.parse(text);
  const masked: string = keys.mask(text);
  const hasher = new hashing.Hasher({ p1: hashing.generatePepper() }, 'p1');
  const stored: string = hasher.hash(text);
  const ok: boolean = hasher.verify(text, stored) && !hasher.needsRehash(stored);
  hasher.dispose();
  const granted = scopes.parse(['payments', '!payments:refund']);
  const allowed: boolean = scopes.allows(granted, 'payments:charge') && scopes.isSubset(['payments:charge'], granted);
  const until: Date = time.parseUntil('2025-12-31');
  const grace: number = time.durationMillis('48h');
  const policy: TypePolicy = new keys.TypeTable().get('production');
  let failure: Code = 'valid';
  try {
    keys.parse('nope');
  } catch (e) {
    if (e instanceof FinFusionError) failure = e.code;
  }
  const all: readonly Code[] = CODES;
  const req: CreateRequest = lifecycle.parseCreateRequest({ name: 'Production API Key', type: 'production', permissions: ['payments'], expiration: '2025-12-31' }, new Date('2025-06-01T00:00:00Z'));
  const expires: Date = req.expiresAt;
  const first = ratelimit.check(policy, null, Date.now());
  const second = ratelimit.check({ requests: 10, window: '1s' }, first.state, new Date(), 2);
  const waitMs: number = second.retryAfterMs;
  return [code, parsed.environment, masked, ok, allowed, time.formatTimestamp(until.getTime() - grace),
    policy.rateLimit.requests, failure, all.length, expires.getTime(), waitMs].join(' ');
}

export async function signed(): Promise<boolean> {
  await ready();
  const { signing, webhooks } = await import('@finfusion/keys');
  const key = signing.SigningKey.generate('key_1', 'ed25519');
  const headers: Record<string, string> = signing.signRequest({ method: 'POST', url: 'https://api.example.com/v1', headers: { 'content-type': 'application/json' }, body: '{}' }, key, { nonce: true, expiresIn: '5m' });
  const nonces = new signing.NonceCache();
  const v = signing.verifyRequest({ method: 'POST', url: new URL('https://api.example.com/v1'), headers: { 'content-type': 'application/json', ...headers }, body: '{}' }, [key], { nonces, requireNonce: true });
  const code: Code = v.code;
  const secret = webhooks.WebhookSecret.generate();
  const sent = webhooks.sign(secret, 'msg_1', '{}');
  const w = webhooks.verify([secret], sent, '{}', { tolerance: 300 });
  key.dispose();
  nonces.dispose();
  secret.dispose();
  return v.valid && w.valid && code === 'valid';
}

export async function outbox(): Promise<string[]> {
  await ready();
  const { registry } = await import('@finfusion/keys');
  const reg = new registry.Registry(new hashing.Hasher({ p1: hashing.generatePepper() }, 'p1'));
  reg.setAlertRecipients(['ops@example.com']);
  const queued: number = reg.queueWarnings({ now: new Date() });
  const claimed = reg.claimNotifications('mailer', { now: Date.now(), limit: 5, lease: '5m' });
  const settled = claimed.map((n) => reg.settleNotification(n, 'mailer', { now: Date.now(), delivered: true }));
  const kinds: readonly string[] = registry.NOTIFICATION_KINDS;
  const sentAt: (Date | null)[] = settled.map((n) => n.sentAt);
  const subjects = reg.notifications({ status: 'sent' }).map((n) => n.subject);
  reg.dispose();
  return [String(queued), String(sentAt.length), ...kinds, ...subjects];
}
