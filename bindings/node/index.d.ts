// Type declarations for @finfusion/keys (hand-written; checked by `tsc --noEmit` against
// tests/node/typed_usage.ts). index.d.cts is a copy for CommonJS consumers.

/** Loads the WebAssembly core once. Await it before any other call. */
export function ready(): Promise<void>;
/** The library version (the repository's VERSION). */
export function version(): string;

export type Code =
  | 'valid' | 'malformed_key' | 'bad_checksum' | 'unknown_prefix' | 'invalid_scope'
  | 'invalid_duration' | 'invalid_timestamp' | 'invalid_request' | 'not_found' | 'expired'
  | 'revoked' | 'disabled' | 'environment_mismatch' | 'insufficient_scope' | 'rate_limited'
  | 'signature_invalid' | 'signature_expired' | 'replayed' | 'conflict' | 'precondition_failed'
  | 'storage_unavailable' | 'internal';

/** Every code of the closed list, 'valid' first. */
export const CODES: readonly Code[];

/** Every failure the core reports; `code` is the stable string shared by every language. */
export class FinFusionError extends Error {
  constructor(code: Code, message: string);
  readonly code: Code;
}

export type KeyTypeName = 'development' | 'production' | 'restricted';
export type EnvironmentName = 'sandbox' | 'production';
export type FormatCode = 'valid' | 'malformed_key' | 'unknown_prefix' | 'bad_checksum';

/** A new key. Only reveal() shows its text: toString, util.inspect and JSON show the id. */
export class ApiKey {
  private constructor();
  readonly id: string;
  readonly type: KeyTypeName;
  readonly environment: EnvironmentName;
  reveal(): string;
  toJSON(): { id: string; type: KeyTypeName; environment: EnvironmentName };
}

export interface ParsedKey {
  readonly id: string;
  readonly type: KeyTypeName;
  readonly environment: EnvironmentName;
  readonly formatVersion: number;
}

export interface TypeInfo {
  readonly name: KeyTypeName;
  readonly prefix: 'dev' | 'prod' | 'rest';
  readonly environment: EnvironmentName;
}

export interface TypePolicy {
  readonly type: KeyTypeName;
  readonly environment: EnvironmentName;
  readonly maxLifetimeMs: number;
  readonly rotationPeriodMs: number;
  readonly rotationWarningMs: number;
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
  readonly maxScopes: number;
  readonly requiresService: boolean;
  readonly allowsGlobalWildcard: boolean;
  /** Verification also needs the request's RFC 9421 signature by the key itself (pass `signedBy`). */
  readonly requiresSignedRequests: boolean;
}

export class TypeTable {
  /** Defaults with a deployment's overrides (JSON text or an object). */
  constructor(overrides?: string | object);
  static defaults(): TypeTable;
  get(type: KeyTypeName | string): TypePolicy;
  toJSON(): object;
}

export const keys: {
  readonly KeyType: { readonly DEVELOPMENT: 'development'; readonly PRODUCTION: 'production'; readonly RESTRICTED: 'restricted' };
  readonly Environment: { readonly SANDBOX: 'sandbox'; readonly PRODUCTION: 'production' };
  readonly ApiKey: typeof ApiKey;
  readonly TypeTable: typeof TypeTable;
  /** Matches every generated key as a whole word, and nothing of another system. */
  readonly SCANNER_PATTERN: string;
  readonly TYPES: Readonly<Record<KeyTypeName, TypeInfo>>;
  typeInfo(type: KeyTypeName | string): TypeInfo;
  generate(type: KeyTypeName | string): ApiKey;
  generateFromEntropy(type: KeyTypeName | string, entropy: Uint8Array): ApiKey;
  /** 'valid' or the reason; never throws for a bad key. */
  checkFormat(key: string): FormatCode;
  parse(key: string): ParsedKey;
  parseId(id: string): ParsedKey;
  mask(key: string): string;
};

export class ScopeSet implements Iterable<string> {
  constructor(scopes: readonly string[]);
  readonly size: number;
  toList(): string[];
  has(scope: string): boolean;
  equals(other: unknown): boolean;
  [Symbol.iterator](): Iterator<string>;
  toJSON(): string[];
}

export type ScopesLike = ScopeSet | readonly string[];

export const scopes: {
  readonly ScopeSet: typeof ScopeSet;
  parse(scopes: readonly string[]): ScopeSet;
  allows(granted: ScopesLike, required: string): boolean;
  allowsAll(granted: ScopesLike, required: ScopesLike): boolean;
  isSubset(child: ScopesLike, parent: ScopesLike): boolean;
};

export type HashAlgorithm = 'hs256' | 'b2b256';

export class Hasher {
  /**
   * Peppers are exactly 32 bytes each; `current` names the one new hashes use, `algorithm`
   * their MAC: 'hs256' (HMAC-SHA256, the default) or 'b2b256' (keyed BLAKE2b-256). Stored
   * forms of both verify; needsRehash is true for the other one.
   */
  constructor(peppers: Record<string, Uint8Array> | Map<string, Uint8Array>, current: string, algorithm?: HashAlgorithm);
  readonly currentPepperId: string;
  readonly algorithm: HashAlgorithm;
  hash(key: string): string;
  /** Constant time. A malformed key matches nothing (false). */
  verify(key: string, stored: string): boolean;
  needsRehash(stored: string): boolean;
  /** Frees the native hasher now and wipes its peppers. */
  dispose(): void;
}

export interface StoredHash {
  readonly algorithm: string;
  readonly pepperId: string;
}

export const hashing: {
  readonly Hasher: typeof Hasher;
  readonly PEPPER_BYTES: 32;
  generatePepper(): Uint8Array;
  parseStored(stored: string): StoredHash;
};

/** A duration as text ('48h', '1d12h') or as a number of seconds. */
export type Duration = string | number;
/** An instant as a Date or epoch milliseconds. */
export type Instant = Date | number;

export const time: {
  toMillis(instant: Instant): number;
  durationMillis(duration: Duration): number;
  /** Milliseconds. */
  parseDuration(text: string): number;
  formatDuration(duration: Duration): string;
  parseTimestamp(text: string): Date;
  /** End of a period, exclusive: '2025-12-31' -> 2026-01-01T00:00:00.000Z. */
  parseUntil(text: string): Date;
  formatTimestamp(instant: Instant): string;
};

/** A validated create request; optional text fields are '' when not given. */
export interface CreateRequest {
  readonly name: string;
  readonly type: KeyTypeName;
  readonly permissions: ScopeSet;
  readonly expiresAt: Date;
  readonly service: string;
  readonly parentKeyId: string;
  readonly owner: string;
  readonly purpose: string;
  /** Canonical JSON fields (camelCase, canonical scopes, expiresAt in UTC). */
  toJSON(): object;
}

export const lifecycle: {
  /** The seed's create request, validated at `now`; FinFusionError invalid_request names the field. */
  parseCreateRequest(request: string | object, now: Instant, table?: TypeTable): CreateRequest;
};

export interface RateLimitState {
  readonly tatMs: number;
  readonly tatFrac: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** 0 when allowed. */
  readonly retryAfterMs: number;
  readonly resetAfterMs: number;
  /** Store it with the key; unchanged when refused. */
  readonly state: RateLimitState;
}

export type RateLimitSpec =
  | { readonly requests: number; readonly window: Duration }
  | { readonly requests: number; readonly windowMs: number }
  | TypePolicy;

export const ratelimit: {
  /** GCRA: one request of `cost` (default 1) at `now`; `state` null is a fresh key. */
  check(limit: RateLimitSpec, state: RateLimitState | null, now: Instant, cost?: number): RateLimitDecision;
};

export type EventType = 'key.created' | 'key.rotated' | 'key.revoked' | 'key.expired' | 'key.accessed'
  | 'key.verification_failed' | 'key.rate_limited' | 'key.anomaly' | 'secret.issued' | 'secret.reencrypted';

/** What the registry keeps about a key: metadata, never the key or its hash. */
export interface KeyRecord {
  readonly id: string;
  readonly name: string;
  readonly type: KeyTypeName;
  readonly environment: EnvironmentName;
  readonly permissions: readonly string[];
  readonly service: string;
  readonly parentKeyId: string;
  readonly owner: string;
  readonly purpose: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly status: 'active' | 'disabled' | 'revoked';
  readonly revokedAt: Date | null;
  readonly revokeReason: string;
  readonly version: number;
  readonly replaces: string;
  readonly replacedBy: string;
  readonly graceUntil: Date | null;
  readonly lastUsedAt: Date | null;
  toJSON(): object;
}

/** The outcome of a verification: a value, never a throw. */
export interface Decision {
  readonly valid: boolean;
  readonly code: Code;
  readonly keyId: string;
  readonly type: string;
  readonly environment: string;
  readonly permissions: readonly string[];
  readonly expiresAt: Date | null;
  readonly inGrace: boolean;
  readonly replacedBy: string;
  readonly graceUntil: Date | null;
  readonly rateLimit: { readonly limit: number; readonly remaining: number; readonly retryAfterMs: number };
  toJSON(): object;
}

export interface KeyState {
  readonly code: Code;
  readonly valid: boolean;
  readonly inGrace: boolean;
  readonly key: KeyRecord;
  toJSON(): object;
}

export interface AuditEvent {
  readonly seq: number;
  readonly at: Date;
  readonly type: EventType;
  readonly keyId: string;
  readonly actor: string;
  readonly outcome: Code;
  readonly details: Readonly<Record<string, unknown>>;
  /** The chain the event belongs to: absent for a store with one chain (memory, SQLite). */
  readonly writer?: string;
  readonly prevHash: string;
  readonly hash: string;
  toJSON(): object;
}

export type NotificationKind = 'key.rotated' | 'key.expiring' | 'key.rotation_due' | 'key.anomaly' | 'key.rate_limit';

/** A message in the registry's outbox; the text never holds a secret. */
export interface Notification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly keyId: string;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly createdAt: Date;
  readonly dueAt: Date;
  readonly status: 'pending' | 'sent' | 'failed';
  readonly attempts: number;
  readonly claimedBy: string;
  readonly leaseUntil: Date | null;
  readonly lastError: string;
  readonly sentAt: Date | null;
  toJSON(): object;
}

export interface UsageReport {
  readonly keyId: string;
  readonly timeframe: { readonly start: string; readonly end: string };
  readonly requests?: number;
  readonly outcomes?: Readonly<Record<string, number>>;
  readonly errors?: number;
  readonly errorRate?: number;
  readonly latency?: { readonly count: number; readonly p50Ms: number | null; readonly p95Ms: number | null; readonly p99Ms: number | null; readonly maxMs: number | null };
  readonly anomalies?: readonly { readonly kind: 'usage_spike' | 'error_spike'; readonly at: string; readonly observed: number; readonly baseline: number }[];
}

export interface PolicyReport {
  readonly at: string;
  readonly keys: readonly {
    readonly id: string; readonly name: string; readonly purpose: string; readonly owner: string; readonly type: KeyTypeName;
    readonly state: Code; readonly ageDays: number; readonly lastUsedAt: string | null; readonly nextRotation: string;
    readonly rotation: 'ok' | 'due_soon' | 'due' | 'overdue' | 'inactive'; readonly expiresAt: string; readonly expiresSoon: boolean;
  }[];
  readonly summary: Readonly<Record<string, number>>;
}

export interface ChainReport {
  readonly ok: boolean;
  /** The first event checked: 1, unless the bounded in-memory log dropped older ones. */
  readonly fromSeq: number;
  readonly checked: number;
  readonly firstBad: number;
  /** The hash of the last event checked. */
  readonly head: string;
  /** Writers' chains checked (one for memory and SQLite; one per store instance for PostgreSQL). */
  readonly chains: number;
  /** The writer of the first bad event ("" when ok, or with one chain). */
  readonly writer: string;
}

export class Registry {
  /**
   * A registry in memory (`store` "memory:", the default), or in PostgreSQL (`store`
   * "postgresql://...", Node 18+ with `pg`): the native build's store, shared with Python
   * services and the command line. Calls on a PostgreSQL registry wait for the database
   * (`timeoutMs`, default 30000); `writer` names this instance's audit chain (default
   * "host:pid:random"). `seed` makes key generation deterministic (tests only).
   */
  constructor(hasher: Hasher, table?: TypeTable | null, options?: { seed?: string; store?: string; writer?: string; timeoutMs?: number });
  create(request: string | object, options: { now: Instant; actor?: string }): { readonly key: ApiKey; readonly record: KeyRecord };
  verify(key: string, options: { now: Instant; required?: readonly string[]; environment?: EnvironmentName; service?: string; cost?: number; actor?: string; latencyMs?: number; signedBy?: string }): Decision;
  /** The seed's getUsage: requests, errors, latency percentiles over a timeframe (a date as end covers the whole day). */
  getUsage(query: { keyId: string; timeframe: { start: string | Instant; end: string | Instant }; metrics?: readonly ('requests' | 'errors' | 'latency')[] }): UsageReport;
  status(keyId: string, options: { now: Instant }): KeyState;
  rotate(options: { currentKey: string; gracePeriod?: Duration; notifyEmails?: readonly string[]; force?: boolean; now: Instant; actor?: string }):
    { readonly key: ApiKey; readonly id: string; readonly previous: KeyRecord; readonly current: KeyRecord };
  /** Rotates every key whose rotation is due or overdue; the rotations made. */
  rotateDue(options: { gracePeriod?: Duration; notifyEmails?: readonly string[]; now: Instant; actor?: string }):
    readonly { readonly key: ApiKey; readonly id: string; readonly previous: KeyRecord; readonly current: KeyRecord }[];
  revoke(keyId: string, options: { now: Instant; reason?: string; actor?: string }): KeyRecord;
  emergencyRevoke(keyId: string, options: { now: Instant; reason?: string; replace?: boolean; actor?: string }): {
    readonly revoked: readonly KeyRecord[];
    readonly replacements: readonly { readonly previousId: string; readonly key: ApiKey; readonly record: KeyRecord }[];
  };
  policyReport(options: { now: Instant }): PolicyReport;
  get(keyId: string): KeyRecord;
  list(): KeyRecord[];
  logs(options?: { keyId?: string; limit?: number; eventTypes?: readonly EventType[] }): AuditEvent[];
  /** Who gets every key's warnings and alerts, besides its owner when that is an email address (at most 20). */
  setAlertRecipients(recipients: readonly string[]): void;
  /** Queues the expiry and rotation-due warnings due at `now`; returns how many were new. */
  queueWarnings(options: { now: Instant }): number;
  /** Takes up to `limit` (default 10) due notifications for `worker` for `lease` (default '5m'). */
  claimNotifications(worker: string, options: { now: Instant; limit?: number; lease?: Duration }): Notification[];
  /** Records a delivery's outcome; a conflict FinFusionError when `worker` no longer holds it. */
  settleNotification(notification: Notification | string, worker: string,
    options: { now: Instant; delivered: boolean; error?: string }): Notification;
  /** The outbox, newest first. */
  notifications(options?: { status?: 'pending' | 'sent' | 'failed'; id?: string; limit?: number }): Notification[];
  verifyChain(): ChainReport;
  /** Writes out what the store holds back (PostgreSQL: verifications, also written at least once a second). */
  flush(): void;
  /** The whole registry (records with stored hashes, audit log, usage) encrypted with XChaCha20-Poly1305 under a 32-byte key. */
  exportEncrypted(key: Uint8Array, options?: { now?: Instant }): string;
  /** Loads an export into this registry, which must be empty. */
  importEncrypted(text: string, key: Uint8Array): void;
  /** The master keys (id -> 32 bytes) sealing the secrets kept here; `current` seals, every one opens. */
  setMasterKeys(keys: Record<string, Uint8Array> | Map<string, Uint8Array>, current: string): void;
  /** A new request-signing secret for the key, replacing any it had, kept sealed under the current master key. */
  issueSigningSecret(keyId: string, options: { now: Instant; algorithm?: 'hmac-sha256' | 'ed25519'; actor?: string }): SigningKey;
  /** The key's request-signing secret, opened (verify its requests with `.verifyingKey()`). */
  signingKey(keyId: string): SigningKey;
  issueWebhookSecret(endpointId: string, options: { now: Instant; actor?: string }): WebhookSecret;
  webhookSecret(endpointId: string): WebhookSecret;
  /** Re-seals under the current master key every secret sealed under another; returns how many. */
  reencryptSecrets(options: { now: Instant; actor?: string }): number;
  /** Writes out what is held back, closes the store (and its database connection) and frees the registry. */
  dispose(): void;
}

export const registry: {
  readonly Registry: typeof Registry;
  readonly EVENT_TYPES: readonly EventType[];
  readonly NOTIFICATION_KINDS: readonly NotificationKind[];
  readonly MAX_DELIVERY_ATTEMPTS: number;
};

/** Bytes as a string (UTF-8), Uint8Array/Buffer, ArrayBuffer or any ArrayBufferView. */
export type BytesLike = string | Uint8Array | ArrayBuffer | ArrayBufferView;
/** Header lines: a plain object (array values are several lines), a Map, a fetch Headers, or [name, value] pairs. */
export type HeadersLike = Record<string, string | number | readonly string[]> | Map<string, string> | Headers
  | Iterable<readonly [string, string]> | readonly (readonly [string, string])[];
export type SignatureAlgorithm = 'hmac-sha256' | 'ed25519';
export type DigestAlgorithm = 'sha-256' | 'sha-512';

/** A key that verifies RFC 9421 signatures: an HMAC secret or an Ed25519 public key. */
export class VerifyingKey {
  static hmac(keyId: string, secret: Uint8Array): VerifyingKey;
  static ed25519(keyId: string, publicKey: Uint8Array): VerifyingKey;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly disposed: boolean;
  verify(message: BytesLike, signature: Uint8Array): boolean;
  dispose(): void;
}

/** A key that signs: an HMAC-SHA256 secret (16..1024 bytes) or an Ed25519 seed (32 bytes). Never printed. */
export class SigningKey {
  static hmac(keyId: string, secret: Uint8Array): SigningKey;
  static ed25519(keyId: string, seed: Uint8Array): SigningKey;
  static generate(keyId: string, algorithm?: SignatureAlgorithm): SigningKey;
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly disposed: boolean;
  /** The Ed25519 public key (empty for HMAC). */
  readonly publicKey: Uint8Array;
  /** The HMAC secret or Ed25519 seed, for storage: keep it encrypted and out of logs. */
  revealSecret(): Uint8Array;
  verifyingKey(): VerifyingKey;
  sign(message: BytesLike): Uint8Array;
  dispose(): void;
}

/** The verifying keys a service trusts, found by keyid. */
export class KeyRing {
  constructor(keys?: Iterable<VerifyingKey | SigningKey>);
  add(key: VerifyingKey | SigningKey): this;
  readonly size: number;
  has(keyId: string): boolean;
  dispose(): void;
}

/** Nonces seen recently; bounded, and a full cache refuses new nonces (rate_limited) rather than forget one. */
export class NonceCache {
  constructor(maxEntries?: number);
  readonly size: number;
  readonly maxEntries: number;
  dispose(): void;
}

export interface HttpRequest {
  method: string;
  url: string | URL;
  headers?: HeadersLike;
  body?: BytesLike | null;
}

export interface HttpResponse {
  status: number;
  headers?: HeadersLike;
  body?: BytesLike | null;
}

export interface SignOptions {
  label?: string;
  /** Identifiers as in Signature-Input ('"@query-param";name="a"') or bare ('@query-param;name="a"', 'content-type'). */
  components?: readonly string[];
  /** Seconds or a duration text ('5m'). */
  expiresIn?: number | string | null;
  /** A nonce, or true for a fresh random one. */
  nonce?: string | true | null;
  tag?: string;
  includeAlg?: boolean;
  digest?: DigestAlgorithm;
  now?: Instant;
  /** The body, when `request` is a fetch Request whose body is a stream. */
  body?: BytesLike | null;
  /** For responses: the request answered (components marked ;req). */
  request?: HttpRequest;
}

export interface VerifyOptions {
  nonces?: NonceCache | null;
  /** Seconds or a duration text; default 300. */
  tolerance?: number | string;
  requireNonce?: boolean;
  requiredComponents?: readonly string[];
  label?: string;
  requireContentDigest?: boolean;
  now?: Instant;
  body?: BytesLike | null;
  request?: HttpRequest;
}

/** The outcome of verifying a signature: a value, never an exception. */
export interface SignatureVerification {
  readonly valid: boolean;
  readonly code: Code;
  readonly message: string;
  readonly label: string;
  readonly keyId: string;
  readonly alg: string;
  readonly nonce: string;
  readonly tag: string;
  /** Unix seconds. */
  readonly created: number;
  readonly expires: number | null;
  readonly covered: readonly string[];
  readonly signatureBase: string;
  /** The keyid that signed the message when valid, else '' (what registry verify's `signedBy` takes). */
  readonly signer: string;
}

export type VerifyingKeys = KeyRing | VerifyingKey | SigningKey | readonly (VerifyingKey | SigningKey)[];

export const signing: {
  readonly SigningKey: typeof SigningKey;
  readonly VerifyingKey: typeof VerifyingKey;
  readonly KeyRing: typeof KeyRing;
  readonly NonceCache: typeof NonceCache;
  readonly ALGORITHMS: readonly SignatureAlgorithm[];
  readonly DIGEST_ALGORITHMS: readonly DigestAlgorithm[];
  /** Returns the headers to add: Content-Digest (when the body has none), Signature-Input, Signature. */
  signRequest(request: HttpRequest | Request, key: SigningKey, options?: SignOptions): Record<string, string>;
  verifyRequest(request: HttpRequest | Request, keys: VerifyingKeys, options?: VerifyOptions): SignatureVerification;
  signResponse(response: HttpResponse, key: SigningKey, options?: SignOptions): Record<string, string>;
  verifyResponse(response: HttpResponse, keys: VerifyingKeys, options?: VerifyOptions): SignatureVerification;
  /** Reads a fetch Request (or Response) into a plain message, body included. */
  fromRequest(request: Request | Response): Promise<HttpRequest & { status?: number; body: Uint8Array | null }>;
  contentDigest(body: BytesLike, algorithm?: DigestAlgorithm): string;
  /** True when every sha-256 / sha-512 digest matches, false when one does not; throws for a malformed field. */
  verifyContentDigest(field: string, body: BytesLike): boolean;
};

/** A Standard Webhooks signing secret (whsec_...). Never printed; reveal() shows it. */
export class WebhookSecret {
  static parse(text: string): WebhookSecret;
  static fromBytes(raw: Uint8Array): WebhookSecret;
  static generate(): WebhookSecret;
  reveal(): string;
  readonly disposed: boolean;
  dispose(): void;
}

export type WebhookSecrets = WebhookSecret | string | readonly (WebhookSecret | string)[];

export interface WebhookVerification {
  readonly valid: boolean;
  readonly code: Code;
  readonly message: string;
  readonly msgId: string;
  /** Unix seconds. */
  readonly timestamp: number;
}

export const webhooks: {
  readonly WebhookSecret: typeof WebhookSecret;
  readonly DEFAULT_TOLERANCE: 300;
  sign(secrets: WebhookSecrets, msgId: string, payload: BytesLike, options?: { timestamp?: Instant }):
    { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string };
  signature(secret: WebhookSecret | string, msgId: string, timestamp: Instant, payload: BytesLike): string;
  verify(secrets: WebhookSecrets, headers: HeadersLike, payload: BytesLike, options?: { now?: Instant; tolerance?: number | string }):
    WebhookVerification;
};

export interface ApiKeys {
  create(request: string | object, options?: { now?: Instant }): Promise<{ readonly key: ApiKey; readonly record: KeyRecord }>;
  rotate(options: { currentKey: string; gracePeriod?: Duration; notifyEmails?: readonly string[]; force?: boolean; now?: Instant }):
    Promise<{ readonly key: ApiKey; readonly id: string; readonly previous: KeyRecord; readonly current: KeyRecord }>;
  /** A key id gives its state (the seed's verify(newKey.id)); a full key is verified for this client's environment. */
  verify(keyOrId: string, options?: { now?: Instant; required?: readonly string[]; service?: string; latencyMs?: number }): Promise<Decision | KeyState>;
  revoke(keyId: string, options?: { now?: Instant; reason?: string }): Promise<KeyRecord>;
  list(): Promise<KeyRecord[]>;
  getUsage(query: { keyId: string; timeframe: { start: string | Instant; end: string | Instant }; metrics?: readonly ('requests' | 'errors' | 'latency')[] }): Promise<UsageReport>;
  getLogs(query?: { keyId?: string; limit?: number; eventTypes?: readonly EventType[] }): Promise<AuditEvent[]>;
}

/** The seed's client. Call after `await ready()`. */
export class FinFusion {
  constructor(config: {
    apiKey: string | undefined | null;
    environment?: 'production' | 'sandbox' | 'development';
    options?: { timeout?: number; retries?: number };
    registry?: Registry;
    clock?: () => Date;
  });
  readonly keyId: string;
  readonly type: KeyTypeName;
  readonly environment: EnvironmentName;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly apiKeys: ApiKeys;
}
