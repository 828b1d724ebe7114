"""
FinFusion Keys native core (private; import finfusion instead)
"""
from __future__ import annotations
import collections.abc
import finfusion.errors
import typing
__all__: list[str] = ['ApiKey', 'CODES', 'CreateRequest', 'Hasher', 'KEY_MAX_LENGTH', 'KEY_SCANNER_PATTERN', 'KEY_TYPES', 'KeyRing', 'NonceCache', 'PEPPER_BYTES', 'ParsedKey', 'Registry', 'SCOPE_MAX_ENTRIES', 'ScopeSet', 'SigningKey', 'TIME_MAX_DURATION_MS', 'TIME_MAX_INSTANT_MS', 'TIME_MIN_INSTANT_MS', 'TypePolicy', 'TypeTable', 'Verification', 'VerifyState', 'VerifyingKey', 'WebhookSecret', 'WebhookVerification', 'client_configure', 'configure_verify', 'decision_json', 'hash_parse_stored', 'key_check_format', 'key_generate', 'key_generate_from_entropy', 'key_mask', 'key_parse', 'key_parse_id', 'key_type_info', 'lifecycle_parse_create_request', 'random_secret', 'ratelimit_check', 'scope_allows', 'scope_allows_all', 'scope_is_subset', 'scope_parse', 'sign_request', 'sign_response', 'signing_content_digest', 'signing_verify_content_digest', 'time_add', 'time_format_duration', 'time_format_timestamp', 'time_parse_duration', 'time_parse_timestamp', 'time_parse_until', 'verify_request', 'verify_response', 'webhook_headers', 'webhook_sign', 'webhook_verify']
class ApiKey:
    """
    A new key. repr() and str() never show it; reveal() does.
    """
    def __reduce__(self) -> None:
        ...
    def __repr__(self) -> str:
        ...
    def reveal(self) -> str:
        """
        The full key text: show it to its owner once, never log it.
        """
    @property
    def environment(self) -> str:
        ...
    @property
    def id(self) -> str:
        ...
    @property
    def type(self) -> str:
        ...
class ParsedKey:
    """
    What a well-formed key says about itself.
    """
    def __repr__(self) -> str:
        ...
    @property
    def environment(self) -> str:
        ...
    @property
    def format_version(self) -> int:
        ...
    @property
    def id(self) -> str:
        ...
    @property
    def type(self) -> str:
        ...
class TypePolicy:
    """
    One key type's policy; durations in milliseconds.
    """
    def __repr__(self) -> str:
        ...
    @property
    def allows_global_wildcard(self) -> bool:
        ...
    @property
    def environment(self) -> str:
        ...
    @property
    def max_lifetime_ms(self) -> int:
        ...
    @property
    def max_scopes(self) -> int:
        ...
    @property
    def rate_limit_requests(self) -> int:
        ...
    @property
    def rate_limit_window_ms(self) -> int:
        ...
    @property
    def requires_service(self) -> bool:
        ...
    @property
    def requires_signed_requests(self) -> bool:
        ...
    @property
    def rotation_period_ms(self) -> int:
        ...
    @property
    def rotation_warning_ms(self) -> int:
        ...
    @property
    def type(self) -> str:
        ...
class TypeTable:
    """
    The key-type policy table.
    """
    @staticmethod
    def create(overrides_json: str) -> TypeTable:
        ...
    @staticmethod
    def defaults() -> TypeTable:
        ...
    def get(self, type: str) -> TypePolicy:
        ...
    def to_json(self) -> str:
        ...
class ScopeSet:
    """
    A canonical scope list: sorted, duplicates removed.
    """
    def __contains__(self, arg0: str) -> bool:
        ...
    def __eq__(self, arg0: typing.Any) -> typing.Any:
        ...
    def __getstate__(self) -> list[str]:
        ...
    def __hash__(self) -> int:
        ...
    def __init__(self, scopes: collections.abc.Sequence[str]) -> None:
        ...
    def __iter__(self) -> collections.abc.Iterator[str]:
        ...
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    def __setstate__(self, arg0: collections.abc.Sequence[str]) -> None:
        ...
    def to_list(self) -> list[str]:
        ...
class Hasher:
    """
    Stored key hashes under server peppers; repr() shows pepper ids only.
    """
    def __init__(self, peppers: dict[str, bytes], current: str, algorithm: str = 'hs256') -> None:
        ...
    def __reduce__(self) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def hash(self, key: str) -> str:
        ...
    def needs_rehash(self, stored: str) -> bool:
        ...
    def verify(self, key: str, stored: str) -> bool:
        ...
    @property
    def algorithm(self) -> str:
        ...
    @property
    def current_pepper_id(self) -> str:
        ...
class CreateRequest:
    """
    A validated create request.
    """
    def to_json(self) -> str:
        ...
    @property
    def expires_at_ms(self) -> int:
        ...
    @property
    def name(self) -> str:
        ...
    @property
    def owner(self) -> str:
        ...
    @property
    def parent_key_id(self) -> str:
        ...
    @property
    def purpose(self) -> str:
        ...
    @property
    def scopes(self) -> ScopeSet:
        ...
    @property
    def service(self) -> str:
        ...
    @property
    def type(self) -> str:
        ...
class VerifyingKey:
    """
    A key that verifies RFC 9421 signatures: an HMAC secret or an Ed25519 public key.
    """
    @staticmethod
    def ed25519(key_id: str, public_key: bytes) -> VerifyingKey:
        ...
    @staticmethod
    def hmac(key_id: str, secret: bytes) -> VerifyingKey:
        ...
    def __reduce__(self) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def verify(self, message: bytes, signature: bytes) -> bool:
        ...
    @property
    def algorithm(self) -> str:
        ...
    @property
    def key_id(self) -> str:
        ...
class SigningKey:
    """
    A key that signs: an HMAC-SHA256 secret or an Ed25519 private key. repr() hides it.
    """
    @staticmethod
    def ed25519(key_id: str, seed: bytes) -> SigningKey:
        ...
    @staticmethod
    def generate(key_id: str, algorithm: str) -> SigningKey:
        ...
    @staticmethod
    def hmac(key_id: str, secret: bytes) -> SigningKey:
        ...
    def __reduce__(self) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def reveal_secret(self) -> bytes:
        """
        The HMAC secret or Ed25519 seed, for storage; keep it encrypted and out of logs.
        """
    def sign(self, message: bytes) -> bytes:
        ...
    def verifying_key(self) -> VerifyingKey:
        ...
    @property
    def algorithm(self) -> str:
        ...
    @property
    def key_id(self) -> str:
        ...
    @property
    def public_key(self) -> bytes:
        ...
class KeyRing:
    """
    The verifying keys a service trusts, found by keyid.
    """
    def __contains__(self, arg0: str) -> bool:
        ...
    def __init__(self) -> None:
        ...
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    def add(self, key: VerifyingKey) -> None:
        ...
class NonceCache:
    """
    Nonces seen recently, bounded; thread-safe.
    """
    def __init__(self, max_entries: typing.SupportsInt | typing.SupportsIndex = 100000) -> None:
        ...
    def __len__(self) -> int:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def max_entries(self) -> int:
        ...
class Verification:
    """
    The outcome of verifying an RFC 9421 signature.
    """
    def __bool__(self) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    def to_json(self) -> str:
        ...
    @property
    def alg(self) -> str:
        ...
    @property
    def code(self) -> str:
        ...
    @property
    def covered(self) -> list[str]:
        ...
    @property
    def created(self) -> int:
        ...
    @property
    def expires(self) -> int | None:
        ...
    @property
    def key_id(self) -> str:
        ...
    @property
    def label(self) -> str:
        ...
    @property
    def message(self) -> str:
        ...
    @property
    def nonce(self) -> str:
        ...
    @property
    def signature_base(self) -> str:
        ...
    @property
    def signer(self) -> str:
        """
        The keyid that signed the message when valid, else '' (registry verify's signed_by).
        """
    @property
    def tag(self) -> str:
        ...
    @property
    def valid(self) -> bool:
        """
        Whether the signature verified (code is then 'valid').
        """
class WebhookSecret:
    """
    A Standard Webhooks signing secret (whsec_...). repr() hides it.
    """
    @staticmethod
    def from_bytes(raw: bytes) -> WebhookSecret:
        ...
    @staticmethod
    def generate() -> WebhookSecret:
        ...
    @staticmethod
    def parse(text: str) -> WebhookSecret:
        ...
    def __reduce__(self) -> typing.Any:
        ...
    def __repr__(self) -> str:
        ...
    def reveal(self) -> str:
        """
        The whsec_ text: show it to the endpoint's owner once.
        """
class WebhookVerification:
    """
    The outcome of verifying a webhook signature.
    """
    def __bool__(self) -> bool:
        ...
    def __repr__(self) -> str:
        ...
    @property
    def code(self) -> str:
        ...
    @property
    def message(self) -> str:
        ...
    @property
    def msg_id(self) -> str:
        ...
    @property
    def timestamp(self) -> int:
        ...
    @property
    def valid(self) -> bool:
        ...
class Registry:
    """
    The key registry over a store (memory:, sqlite:PATH or postgresql://...).
    """
    def __init__(self, hasher: Hasher, table: TypeTable, seed: bytes | None, store: str) -> None:
        ...
    def __reduce__(self) -> typing.Any:
        ...
    def claim_notifications(self, worker: str, limit: typing.SupportsInt | typing.SupportsIndex, lease_ms: typing.SupportsInt | typing.SupportsIndex, now_ms: typing.SupportsInt | typing.SupportsIndex) -> list[str]:
        ...
    def create(self, request: str, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> tuple[ApiKey, str]:
        ...
    def emergency_revoke(self, key_id: str, reason: str, replace: bool, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> tuple[list, list]:
        ...
    def export_encrypted(self, key: bytes, now_ms: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def flush(self) -> None:
        ...
    def get(self, key_id: str) -> str:
        ...
    def get_usage(self, query_json: str) -> str:
        ...
    def import_encrypted(self, text: str, key: bytes) -> None:
        ...
    def issue_signing_secret(self, key_id: str, algorithm: str, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> SigningKey:
        ...
    def issue_webhook_secret(self, endpoint_id: str, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> WebhookSecret:
        ...
    def list(self) -> list[str]:
        ...
    def logs(self, key_id: str, event_types: collections.abc.Sequence[str], limit: typing.SupportsInt | typing.SupportsIndex) -> list[str]:
        ...
    def notifications(self, id: str, status: str, limit: typing.SupportsInt | typing.SupportsIndex) -> list[str]:
        ...
    def policy_report(self, now_ms: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def queue_warnings(self, now_ms: typing.SupportsInt | typing.SupportsIndex) -> int:
        ...
    def reencrypt_secrets(self, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> int:
        ...
    def revoke(self, key_id: str, reason: str, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> str:
        ...
    def rotate(self, key_id: str, grace_ms: typing.SupportsInt | typing.SupportsIndex, notify_emails: collections.abc.Sequence[str], force: bool, now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> tuple[ApiKey, str, str]:
        ...
    def rotate_due(self, grace_ms: typing.SupportsInt | typing.SupportsIndex, notify_emails: collections.abc.Sequence[str], now_ms: typing.SupportsInt | typing.SupportsIndex, actor: str) -> list[tuple[ApiKey, str, str]]:
        ...
    def set_alert_recipients(self, recipients: collections.abc.Sequence[str]) -> None:
        ...
    def set_master_keys(self, keys: dict[str, bytes], current: str) -> None:
        ...
    def settle_notification(self, id: str, worker: str, delivered: bool, error: str, now_ms: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def signing_key(self, key_id: str) -> SigningKey:
        ...
    def status(self, key_id: str, now_ms: typing.SupportsInt | typing.SupportsIndex) -> str:
        ...
    def verify_chain(self) -> str:
        ...
    def webhook_secret(self, endpoint_id: str) -> WebhookSecret:
        ...
class VerifyState:
    """
    What one registry's verifications carry from call to call.
    """
    def __init__(self, registry: Registry) -> None:
        ...
def client_configure(api_key: str, environment: str, options_json: str) -> tuple[str, str, str, int, int]:
    """
    (key_id, type, environment, timeout_ms, retries) of a checked client configuration.
    """
def configure_verify(decision: typing.Any, to_millis: typing.Any, from_millis: typing.Any, registry: typing.Any) -> None:
    """
    Hands the hot path what it builds decisions with, and gives ``registry`` (the facade's
    Registry class) its verify method (finfusion.registry does both, at import).
    """
def decision_json(valid: bool, code: str, key_id: str, type: str, environment: str, permissions: collections.abc.Sequence[str], expires_at_ms: typing.SupportsInt | typing.SupportsIndex | None, in_grace: bool, replaced_by: str, grace_until_ms: typing.SupportsInt | typing.SupportsIndex | None, limit: typing.SupportsInt | typing.SupportsIndex, remaining: typing.SupportsInt | typing.SupportsIndex, retry_after_ms: typing.SupportsInt | typing.SupportsIndex) -> str:
    """
    A decision's canonical JSON from its fields (what Registry.verify returns).
    """
def hash_parse_stored(stored: str) -> tuple[str, str]:
    """
    (algorithm, pepper id) of a stored hash.
    """
def key_check_format(key: str) -> str:
    ...
def key_generate(type: str) -> ApiKey:
    ...
def key_generate_from_entropy(type: str, entropy: bytes) -> ApiKey:
    ...
def key_mask(key: str) -> str:
    ...
def key_parse(key: str) -> ParsedKey:
    ...
def key_parse_id(id: str) -> ParsedKey:
    ...
def key_type_info(name: str) -> tuple[str, str]:
    """
    (prefix, environment) of a key type.
    """
def lifecycle_parse_create_request(request: str, now_ms: typing.SupportsInt | typing.SupportsIndex, table: TypeTable) -> CreateRequest:
    ...
def random_secret(size: typing.SupportsInt | typing.SupportsIndex) -> bytes:
    """
    size bytes from libsodium's CSPRNG.
    """
def ratelimit_check(requests: typing.SupportsInt | typing.SupportsIndex, window_ms: typing.SupportsInt | typing.SupportsIndex, tat_ms: typing.SupportsInt | typing.SupportsIndex | None, tat_frac: typing.SupportsInt | typing.SupportsIndex, now_ms: typing.SupportsInt | typing.SupportsIndex, cost: typing.SupportsInt | typing.SupportsIndex) -> tuple[bool, int, int, int, int, int, int]:
    """
    (allowed, limit, remaining, retry_after_ms, reset_after_ms, tat_ms, tat_frac); tat_ms None: a fresh key.
    """
def scope_allows(granted: ScopeSet, required: str) -> bool:
    ...
def scope_allows_all(granted: ScopeSet, required: ScopeSet) -> bool:
    ...
def scope_is_subset(child: ScopeSet, parent: ScopeSet) -> bool:
    ...
def scope_parse(scopes: collections.abc.Sequence[str]) -> ScopeSet:
    ...
def sign_request(method, url, headers = None, body = None, *, key, label = 'sig1', components = None, expires_in = None, nonce = None, tag = None, include_alg = True, digest = 'sha-256', now = None):
    """
    Signs a request; returns the headers to add (Content-Digest when the body has none
    yet, Signature-Input, Signature). ``components`` defaults to ``@method``,
    ``@target-uri``, ``content-digest`` (with a body), ``content-type`` and ``authorization``
    (when present). ``nonce=True`` makes a fresh one. Raises InvalidRequestError for bad
    options or a covered component the request lacks.
    """
def sign_response(status, headers = None, body = None, *, key, request = None, label = 'sig1', components = None, expires_in = None, nonce = None, tag = None, include_alg = True, digest = 'sha-256', now = None):
    """
    Signs a response (``@status`` first by default). ``request`` is a mapping with
    ``method``, ``url``, ``headers`` and ``body``, for components marked ``;req``.
    """
def signing_content_digest(body: bytes, algorithm: str) -> str:
    ...
def signing_verify_content_digest(field: str, body: bytes) -> bool:
    """
    True when the digests match; False when one does not; raises for a malformed field.
    """
def time_add(instant: typing.SupportsInt | typing.SupportsIndex, duration: typing.SupportsInt | typing.SupportsIndex) -> int:
    ...
def time_format_duration(ms: typing.SupportsInt | typing.SupportsIndex) -> str:
    ...
def time_format_timestamp(ms: typing.SupportsInt | typing.SupportsIndex) -> str:
    ...
def time_parse_duration(text: str) -> int:
    """
    Milliseconds.
    """
def time_parse_timestamp(text: str) -> int:
    """
    Epoch milliseconds; a date alone is the start of that UTC day.
    """
def time_parse_until(text: str) -> int:
    """
    Epoch milliseconds; a date alone is the end of that UTC day (exclusive).
    """
def verify_request(method, url, headers = None, body = None, *, keys, nonces = None, tolerance = 300, require_nonce = False, required_components = tuple(), label = None, require_content_digest = True, now = None):
    """
    Verifies a request's signature (the ``label`` given, or the first whose keyid
    ``keys`` holds). Never raises for a bad signature: read ``.valid`` and ``.code``.
    """
def verify_response(status, headers = None, body = None, *, keys, request = None, nonces = None, tolerance = 300, require_nonce = False, required_components = tuple(), label = None, require_content_digest = True, now = None):
    """
    Verifies a response's signature; ``request`` as for :func:`sign_response`.
    """
def webhook_headers(secrets: typing.Any, msg_id: str, timestamp: typing.SupportsInt | typing.SupportsIndex, payload: bytes) -> list[tuple[str, str]]:
    ...
def webhook_sign(secret: WebhookSecret, msg_id: str, timestamp: typing.SupportsInt | typing.SupportsIndex, payload: bytes) -> str:
    ...
def webhook_verify(secrets: typing.Any, msg_id: str, timestamp: str, signature: str, payload: bytes, now_ms: typing.SupportsInt | typing.SupportsIndex, tolerance: typing.SupportsInt | typing.SupportsIndex) -> WebhookVerification:
    ...
CODES: tuple = ('valid', 'malformed_key', 'bad_checksum', 'unknown_prefix', 'invalid_scope', 'invalid_duration', 'invalid_timestamp', 'invalid_request', 'not_found', 'expired', 'revoked', 'disabled', 'environment_mismatch', 'insufficient_scope', 'rate_limited', 'signature_invalid', 'signature_expired', 'replayed', 'conflict', 'precondition_failed', 'storage_unavailable', 'internal')
KEY_MAX_LENGTH: int = 71
KEY_SCANNER_PATTERN: str = '\\b(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{49}\\b'
KEY_TYPES: tuple = ('development', 'production', 'restricted')
PEPPER_BYTES: int = 32
SCOPE_MAX_ENTRIES: int = 256
TIME_MAX_DURATION_MS: int = 3153600000000
TIME_MAX_INSTANT_MS: int = 253402300799999
TIME_MIN_INSTANT_MS: int = -62135596800000
__version__: str = '0.1.0'
_error_classes: dict = {'malformed_key': finfusion.errors.MalformedKeyError, 'bad_checksum': finfusion.errors.BadChecksumError, 'unknown_prefix': finfusion.errors.UnknownPrefixError, 'invalid_scope': finfusion.errors.InvalidScopeError, 'invalid_duration': finfusion.errors.InvalidDurationError, 'invalid_timestamp': finfusion.errors.InvalidTimestampError, 'invalid_request': finfusion.errors.InvalidRequestError, 'not_found': finfusion.errors.NotFoundError, 'expired': finfusion.errors.ExpiredError, 'revoked': finfusion.errors.RevokedError, 'disabled': finfusion.errors.DisabledError, 'environment_mismatch': finfusion.errors.EnvironmentMismatchError, 'insufficient_scope': finfusion.errors.InsufficientScopeError, 'rate_limited': finfusion.errors.RateLimitedError, 'signature_invalid': finfusion.errors.SignatureInvalidError, 'signature_expired': finfusion.errors.SignatureExpiredError, 'replayed': finfusion.errors.ReplayedError, 'conflict': finfusion.errors.ConflictError, 'precondition_failed': finfusion.errors.PreconditionFailedError, 'storage_unavailable': finfusion.errors.StorageUnavailableError, 'internal': finfusion.errors.InternalError}
