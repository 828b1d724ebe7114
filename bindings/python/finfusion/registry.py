"""The key registry: create, verify, rotate, revoke, and the audit log, over an in-memory
store (persistent stores arrive behind the same interface).

>>> reg = Registry(Hasher({"2026a": pepper}, current="2026a"))            # doctest: +SKIP
>>> created = reg.create({"name": "Production API Key", "type": "production",
...                       "permissions": ["payments", "kyc", "reporting"],
...                       "expiration": "2025-12-31"}, now=now, actor="admin:alice")
>>> show_once(created.key.reveal())
>>> d = reg.verify(presented, now=now, required=["payments:charge"], environment="production")
>>> d.valid, d.code                                                       # (False, 'revoked')

Every call takes ``now`` (an aware datetime or epoch milliseconds): the core reads no clock.
Verification returns a :class:`Decision` value; only bad arguments and storage failures raise.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import re
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from . import _core
from .hashing import Hasher
from .keys import ApiKey, TypeTable
from .time import Duration, Instant, duration_millis, format_timestamp, from_millis, parse_timestamp, to_millis

__all__ = ["Registry", "KeyRecord", "Decision", "KeyState", "AuditEvent", "ChainReport", "Notification", "Created",
           "Rotated", "Replacement", "EmergencyRevocation", "EVENT_TYPES", "NOTIFICATION_KINDS", "MAX_DELIVERY_ATTEMPTS"]

#: The audit event types (the seed's, and those the lifecycle adds).
EVENT_TYPES = ("key.created", "key.rotated", "key.revoked", "key.expired", "key.accessed",
               "key.verification_failed", "key.rate_limited", "key.anomaly", "secret.issued",
               "secret.reencrypted")

#: The kinds of notification the outbox holds.
NOTIFICATION_KINDS = ("key.rotated", "key.expiring", "key.rotation_due", "key.anomaly", "key.rate_limit")
#: Deliveries tried before a notification is "failed" (the waits double from 30 s to an hour).
MAX_DELIVERY_ATTEMPTS = 12

T = TypeVar("T")


# Per dataclass: each JSON key it keeps -> (field name, whether the field holds an instant).
_KEYS: Dict[type, Dict[str, Tuple[str, bool]]] = {}


def _keys(cls: type) -> Dict[str, Tuple[str, bool]]:
    keys_ = _KEYS.get(cls)
    if keys_ is None:
        keys_ = _KEYS[cls] = {}
        for f in dataclasses.fields(cls):
            camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), f.name)
            keys_[camel] = (f.name, "datetime" in str(f.type))
    return keys_


def _instant(text: str) -> _dt.datetime:
    # The core writes instants as "YYYY-MM-DDTHH:MM:SS.mmmZ", which datetime.fromisoformat
    # reads in C; anything else goes through the core's parser.
    if len(text) == 24 and text[10] == "T" and text[23] == "Z":
        try:
            return _dt.datetime.fromisoformat(text[:23] + "+00:00")
        except ValueError:
            pass
    return parse_timestamp(text)


def _typed(cls: Type[T], text: str, **extra: Any) -> T:
    """A frozen dataclass from the core's canonical JSON: camelCase -> snake_case, UTC
    instant text -> aware datetime (fields typed Optional[datetime] / datetime). The names
    and field kinds are worked out once (this runs on every verification)."""
    values: Dict[str, Any] = {}
    keys_ = _keys(cls)
    for key, value in json.loads(text).items():
        field = keys_.get(key)
        if field is None:
            continue
        name, instant = field
        values[name] = _instant(value) if instant and isinstance(value, str) else value
    values.update(extra)
    return cls(_json=text, **values)  # type: ignore[call-arg]


class _CoreJson:
    """The core's canonical JSON behind a value (kept in its ``_json`` field)."""

    __slots__ = ()
    _json: str

    def to_json(self) -> str:
        return self._json


@dataclasses.dataclass(frozen=True)
class KeyRecord(_CoreJson):
    """What the registry keeps about a key: metadata, never the key or its hash."""

    id: str
    name: str
    type: str
    environment: str
    permissions: List[str]
    service: str
    parent_key_id: str
    owner: str
    purpose: str
    created_at: _dt.datetime
    expires_at: _dt.datetime
    status: str
    revoked_at: Optional[_dt.datetime]
    revoke_reason: str
    version: int
    replaces: str
    replaced_by: str
    grace_until: Optional[_dt.datetime]
    last_used_at: Optional[_dt.datetime]
    _json: str = dataclasses.field(repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class Decision(_CoreJson):
    """The outcome of a verification; ``code`` is "valid" or why not."""

    # Slots, not a __dict__: the hot path (register_registry.cc) stores each field in its slot.
    __slots__ = ("valid", "code", "key_id", "type", "environment", "permissions", "expires_at", "in_grace",
                 "replaced_by", "grace_until", "rate_limit")
    valid: bool
    code: str
    key_id: str
    type: str
    environment: str
    permissions: List[str]
    expires_at: Optional[_dt.datetime]
    in_grace: bool
    replaced_by: str
    grace_until: Optional[_dt.datetime]
    rate_limit: Dict[str, int]

    # Pickle and copy set the fields back past the frozen __setattr__ (a slotted class has no
    # __dict__ for them to fill).
    def __getstate__(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state: Tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state):
            object.__setattr__(self, name, value)

    @property
    def retry_after(self) -> _dt.timedelta:
        return _dt.timedelta(milliseconds=self.rate_limit["retryAfterMs"])

    def to_json(self) -> str:
        # Verification passes fields, not JSON (the hot path); the core writes the text on demand.
        return str(_core.decision_json(
            self.valid, self.code, self.key_id, self.type, self.environment, list(self.permissions),
            None if self.expires_at is None else to_millis(self.expires_at), self.in_grace, self.replaced_by,
            None if self.grace_until is None else to_millis(self.grace_until), self.rate_limit["limit"],
            self.rate_limit["remaining"], self.rate_limit["retryAfterMs"]))


@dataclasses.dataclass(frozen=True)
class KeyState(_CoreJson):
    """A key's state by id (the seed's ``apiKeys.verify(newKey.id)``)."""

    code: str
    valid: bool
    in_grace: bool
    key: KeyRecord
    _json: str = dataclasses.field(repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class AuditEvent(_CoreJson):
    seq: int
    at: _dt.datetime
    type: str
    key_id: str
    actor: str
    outcome: str
    details: Dict[str, Any]
    prev_hash: str
    hash: str
    _json: str = dataclasses.field(repr=False, compare=False)
    writer: str = ""  # the chain it belongs to; PostgreSQL gives each store instance its own


@dataclasses.dataclass(frozen=True)
class ChainReport(_CoreJson):
    ok: bool
    from_seq: int
    checked: int
    first_bad: int
    head: str
    chains: int
    writer: str
    _json: str = dataclasses.field(repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class Notification(_CoreJson):
    """A message in the registry's outbox: a rotation notice, an expiry or rotation-due
    warning, an anomaly or rate-limit alert. ``status`` is "pending", "sent" or "failed"."""

    id: str
    kind: str
    key_id: str
    recipients: List[str]
    subject: str
    body: str
    created_at: _dt.datetime
    due_at: _dt.datetime
    status: str
    attempts: int
    claimed_by: str
    lease_until: Optional[_dt.datetime]
    last_error: str
    sent_at: Optional[_dt.datetime]
    _json: str = dataclasses.field(repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class Created:
    key: ApiKey         # shown once
    record: KeyRecord


@dataclasses.dataclass(frozen=True)
class Rotated:
    key: ApiKey         # the new key, shown once
    previous: KeyRecord
    current: KeyRecord

    @property
    def id(self) -> str:
        """The new key's id (the seed's ``newKey.id``)."""
        return self.current.id


@dataclasses.dataclass(frozen=True)
class Replacement:
    previous_id: str    # the revoked key this one continues
    key: ApiKey         # shown once
    record: KeyRecord


@dataclasses.dataclass(frozen=True)
class EmergencyRevocation:
    revoked: List[KeyRecord]
    replacements: List[Replacement]


def _record(text: str) -> KeyRecord:
    return _typed(KeyRecord, text)


class Registry:
    """Keys, their lifecycle and the audit log. ``seed`` makes key generation deterministic:
    for tests and conformance vectors only, never in production."""

    __slots__ = ("_core", "_store", "_verify")

    def __init__(self, hasher: Hasher, table: Optional[TypeTable] = None, *,
                 seed: Union[bytes, str, None] = None, store: str = "memory:") -> None:
        """``store`` is ``"memory:"`` (this process only), ``"sqlite:PATH"`` (a file, created
        on first use, shared safely by several processes) or ``"postgresql://..."`` (a libpq
        URI: the registry a fleet shares). Raises StorageUnavailableError when the store
        cannot be opened, PreconditionFailedError when its schema is newer than this build's."""
        policy = table if table is not None else TypeTable()
        raw = seed.encode() if isinstance(seed, str) else seed
        self._core = _core.Registry(hasher, policy._table, raw, store)
        self._store = store.split(":", 1)[0] if isinstance(store, str) else "?"
        self._verify = _core.VerifyState(self._core)

    def __repr__(self) -> str:
        return f"Registry(store={self._store}:)"

    def __reduce__(self) -> Any:
        raise TypeError("objects that hold secrets cannot be pickled")

    def create(self, request: Union[str, Mapping[str, Any]], *, now: Instant, actor: str = "system") -> Created:
        """Creates a key from the seed's request; the key is in ``.key`` (shown once)."""
        text = request if isinstance(request, str) else json.dumps(request)
        key, record = self._core.create(text, to_millis(now), actor)
        return Created(key, _record(record))

    if TYPE_CHECKING:  # at run time the core's own method (configure_verify below puts it here)
        def verify(self, key: str, *, now: Instant, required: Iterable[str] = (),
                   environment: Optional[str] = None, service: Optional[str] = None, cost: int = 1,
                   actor: Optional[str] = None, latency_ms: Optional[float] = None, signed_by: str = "") -> Decision:
            """Verifies a presented key for a request needing ``required`` scopes.
            ``latency_ms`` (the request's measured latency) feeds :meth:`get_usage`.
            ``signed_by`` is the ``signer`` of the request's verified RFC 9421 signature: key types
            whose policy requires signed requests are valid only when it is the key's own id."""

    def get_usage(self, key_id: str, *, start: Union[str, _dt.datetime], end: Union[str, _dt.datetime],
                  metrics: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """The seed's ``getUsage``: requests, errors and latency percentiles of a key over a
        timeframe (a date as ``end`` covers that whole day). Returns the report as a dict."""
        def instant(value: Union[str, _dt.datetime]) -> str:
            return value if isinstance(value, str) else format_timestamp(value)
        query: Dict[str, Any] = {"keyId": key_id, "timeframe": {"start": instant(start), "end": instant(end)}}
        if metrics is not None:
            query["metrics"] = list(metrics)
        result: Dict[str, Any] = json.loads(self._core.get_usage(json.dumps(query)))
        return result

    def status(self, key_id: str, *, now: Instant) -> KeyState:
        text = self._core.status(key_id, to_millis(now))
        return _typed(KeyState, text, key=_record(json.dumps(json.loads(text)["key"], separators=(",", ":"))))

    def rotate(self, key_id: str, *, now: Instant, grace_period: Duration = "48h",
               notify_emails: Sequence[str] = (), force: bool = False, actor: str = "system") -> Rotated:
        """A successor key; the old one works until ``now + grace_period`` (capped at its
        expiry). ``grace_period`` 0 is an emergency rotation."""
        key, previous, current = self._core.rotate(key_id, duration_millis(grace_period), list(notify_emails),
                                                   force, to_millis(now), actor)
        return Rotated(key, _record(previous), _record(current))

    def rotate_due(self, *, now: Instant, grace_period: Duration = "48h", notify_emails: Sequence[str] = (),
                   actor: str = "system") -> List[Rotated]:
        """The seed's automated rotation: rotates every key whose rotation is due or overdue
        (see :meth:`policy_report`) and returns the rotations made. Keys another instance
        rotated meanwhile are skipped, so several hosts may run it at once."""
        made = self._core.rotate_due(duration_millis(grace_period), list(notify_emails), to_millis(now), actor)
        return [Rotated(key, _record(previous), _record(current)) for key, previous, current in made]

    def revoke(self, key_id: str, *, now: Instant, reason: str = "", actor: str = "system") -> KeyRecord:
        return _record(self._core.revoke(key_id, reason, to_millis(now), actor))

    def emergency_revoke(self, key_id: str, *, now: Instant, reason: str = "", replace: bool = True,
                         actor: str = "system") -> EmergencyRevocation:
        """The seed's emergency procedure: revoke a compromised key, its rotation chain and every
        restricted key derived from them; with ``replace``, issue fresh keys for the chains that
        were still usable."""
        revoked, replacements = self._core.emergency_revoke(key_id, reason, replace, to_millis(now), actor)
        return EmergencyRevocation([_record(t) for t in revoked],
                                   [Replacement(p, k, _record(t)) for p, k, t in replacements])

    def policy_report(self, *, now: Instant) -> Dict[str, Any]:
        """The inventory of every key: name, purpose, owner, type, state, age, last use, next
        rotation and rotation state (ok, due_soon, due, overdue, inactive), expiry."""
        result: Dict[str, Any] = json.loads(self._core.policy_report(to_millis(now)))
        return result

    def get(self, key_id: str) -> KeyRecord:
        return _record(self._core.get(key_id))

    def list(self) -> List[KeyRecord]:
        return [_record(t) for t in self._core.list()]

    def logs(self, key_id: Optional[str] = None, *, limit: int = 100,
             event_types: Iterable[str] = ()) -> List[AuditEvent]:
        """The newest ``limit`` events (oldest first), as the seed's ``getLogs``."""
        return [_typed(AuditEvent, t) for t in self._core.logs(key_id or "", list(event_types), limit)]

    # ---- The outbox ----

    def set_alert_recipients(self, recipients: Sequence[str]) -> None:
        """Who gets every key's warnings and alerts, besides its owner when the owner is an
        email address (at most 20 addresses)."""
        self._core.set_alert_recipients(list(recipients))

    def queue_warnings(self, *, now: Instant) -> int:
        """Queues the expiry and rotation-due warnings due at ``now`` (once per key and date);
        returns how many were new. Run it from a timer; several instances may."""
        return int(self._core.queue_warnings(to_millis(now)))

    def claim_notifications(self, worker: str, *, now: Instant, limit: int = 10,
                            lease: Duration = "5m") -> List[Notification]:
        """Takes up to ``limit`` due notifications for ``worker`` (a mailer's name) for
        ``lease``: no other worker gets them meanwhile. Settle each with
        :meth:`settle_notification`."""
        claimed = self._core.claim_notifications(worker, limit, duration_millis(lease), to_millis(now))
        return [_typed(Notification, t) for t in claimed]

    def settle_notification(self, notification: Union[Notification, str], worker: str, *, now: Instant,
                            delivered: bool, error: str = "") -> Notification:
        """Records a delivery's outcome: sent, or failed with ``error`` (tried again after a
        backoff, until MAX_DELIVERY_ATTEMPTS). ConflictError when ``worker`` no longer holds it."""
        nid = notification.id if isinstance(notification, Notification) else notification
        return _typed(Notification, self._core.settle_notification(nid, worker, delivered, error, to_millis(now)))

    def notifications(self, *, status: Optional[str] = None, id: Optional[str] = None,
                      limit: int = 100) -> List[Notification]:
        """The outbox, newest first: all, or those with ``status`` ("pending", "sent",
        "failed"), or the one with ``id``."""
        return [_typed(Notification, t) for t in self._core.notifications(id or "", status or "", limit)]

    def verify_chain(self) -> ChainReport:
        return _typed(ChainReport, self._core.verify_chain())

    def flush(self) -> None:
        """Writes out the verifications a SQLite registry holds back (it also does so every
        1,024 of them, after a second, before any other write and when it is closed)."""
        self._core.flush()

    def export_encrypted(self, key: bytes, *, now: Instant) -> str:
        """The whole registry (records with stored hashes, audit log, usage) encrypted with
        XChaCha20-Poly1305 under ``key`` (32 bytes, the master key): ``"ffx1.<base64url>"``."""
        return str(self._core.export_encrypted(key, to_millis(now)))

    def import_encrypted(self, text: str, key: bytes) -> None:
        """Loads an export into this registry, which must be empty (PreconditionFailedError
        otherwise). A wrong key or altered text is InvalidRequestError; nothing is half-loaded."""
        self._core.import_encrypted(text, key)

    def set_master_keys(self, keys: Mapping[str, bytes], current: str) -> None:
        """The master keys (id -> 32 bytes) that seal the secrets this registry keeps; ``current``
        seals, every one listed opens. InvalidRequestError for a bad id or length."""
        self._core.set_master_keys(dict(keys), current)

    def issue_signing_secret(self, key_id: str, *, now: Instant, algorithm: str = "hmac-sha256",
                             actor: str = "system") -> "_core.SigningKey":
        """A new request-signing secret for the key (``"hmac-sha256"`` or ``"ed25519"``),
        replacing any it had, stored sealed under the current master key. Give the returned
        SigningKey to the client; services verify with :meth:`signing_key`."""
        return self._core.issue_signing_secret(key_id, algorithm, to_millis(now), actor)

    def signing_key(self, key_id: str) -> "_core.SigningKey":
        """The key's request-signing secret, opened (``.verifying_key()`` for a KeyRing).
        NotFoundError when it has none."""
        return self._core.signing_key(key_id)

    def issue_webhook_secret(self, endpoint_id: str, *, now: Instant, actor: str = "system") -> "_core.WebhookSecret":
        """A new webhook signing secret for the endpoint, replacing any it had, kept sealed."""
        return self._core.issue_webhook_secret(endpoint_id, to_millis(now), actor)

    def webhook_secret(self, endpoint_id: str) -> "_core.WebhookSecret":
        return self._core.webhook_secret(endpoint_id)

    def reencrypt_secrets(self, *, now: Instant, actor: str = "system") -> int:
        """Re-seals under the current master key every secret sealed under another (a batch
        per transaction, readers unaffected); returns how many."""
        return int(self._core.reencrypt_secrets(to_millis(now), actor))


# The hot path builds Decision values itself, and Registry.verify is the core's method, which
# binds its arguments as the def above would, with no Python frame (register_registry.cc).
_core.configure_verify(Decision, to_millis, from_millis, Registry)
