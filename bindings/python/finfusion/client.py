"""The seed's client: ``FinFusion(api_key=..., environment=..., options={...})`` with
``.api_keys`` (``create``, ``rotate``, ``verify``, ``revoke``, ``list``, ``get_usage``,
``get_logs``) over a registry.

>>> client = FinFusion(api_key=os.environ.get("FINFUSION_API_KEY"), environment="production",
...                    options={"timeout": 30000, "retries": 3})           # doctest: +SKIP
>>> new_key = client.api_keys.rotate(current_key="prod_...", grace_period="48h",
...                                  notify_emails=["security@yourcompany.com"])
>>> client.api_keys.verify(new_key.id).valid

The arguments are checked by the core (the same rules in every language): a key whose
prefix contradicts ``environment`` is an EnvironmentMismatchError. Calls use the current time
unless given ``now=``; the registry is in memory unless one is passed in.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _core
from .hashing import Hasher, generate_pepper
from .keys import check_format
from .registry import AuditEvent, Created, Decision, KeyRecord, KeyState, Registry, Rotated
from .time import Duration, Instant

__all__ = ["FinFusion", "ApiKeys"]


def _utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


class FinFusion:
    """The seed's client. ``api_key`` is this client's own key (never shown in ``repr``)."""

    __slots__ = ("key_id", "type", "environment", "timeout", "retries", "api_keys", "_registry", "_clock")

    def __init__(self, api_key: Optional[str], environment: str = "production",
                 options: Optional[Mapping[str, Any]] = None, *, registry: Optional[Registry] = None,
                 clock: Callable[[], _dt.datetime] = _utc_now) -> None:
        key_id, type_, env, timeout_ms, retries = _core.client_configure(
            api_key if api_key is not None else "", environment, json.dumps(dict(options or {})))
        self.key_id: str = key_id
        self.type: str = type_
        self.environment: str = env
        self.timeout = _dt.timedelta(milliseconds=timeout_ms)
        self.retries: int = retries
        self._registry = registry if registry is not None else Registry(
            Hasher({"local": generate_pepper()}, current="local"))
        self._clock = clock
        self.api_keys = ApiKeys(self)

    def __repr__(self) -> str:
        return f"FinFusion(key_id={self.key_id!r}, environment={self.environment!r})"

    def __reduce__(self) -> Any:
        raise TypeError("objects that hold secrets cannot be pickled")


class ApiKeys:
    """The seed's ``client.api_keys``."""

    __slots__ = ("_client",)

    def __init__(self, client: FinFusion) -> None:
        self._client = client

    def _now(self, now: Optional[Instant]) -> Instant:
        return now if now is not None else self._client._clock()

    @property
    def _actor(self) -> str:
        return "key:" + self._client.key_id

    def create(self, request: Union[str, Mapping[str, Any], None] = None, *, now: Optional[Instant] = None,
               **fields: Any) -> Created:
        """``create({"name": ..., "type": ..., "permissions": [...], "expiration": "2025-12-31"})``
        or the same as keyword arguments."""
        body: Union[str, Mapping[str, Any]] = request if request is not None else fields
        return self._client._registry.create(body, now=self._now(now), actor=self._actor)

    def rotate(self, current_key: str, grace_period: Duration = "48h", notify_emails: Sequence[str] = (), *,
               force: bool = False, now: Optional[Instant] = None) -> Rotated:
        """A successor for ``current_key`` (a key id); both work for ``grace_period``."""
        return self._client._registry.rotate(current_key, now=self._now(now), grace_period=grace_period,
                                             notify_emails=notify_emails, force=force, actor=self._actor)

    def verify(self, key_or_id: str, *, now: Optional[Instant] = None, required: Iterable[str] = (),
               service: Optional[str] = None, latency_ms: Optional[float] = None) -> Union[Decision, KeyState]:
        """A key id gives its state (the seed's ``verify(newKey.id)``); a full key is verified
        for this client's environment and ``required`` scopes."""
        if check_format(key_or_id) == "valid":
            return self._client._registry.verify(key_or_id, now=self._now(now), required=required,
                                                 environment=self._client.environment, service=service,
                                                 latency_ms=latency_ms, actor=self._actor)
        return self._client._registry.status(key_or_id, now=self._now(now))

    def revoke(self, key_id: str, reason: str = "", *, now: Optional[Instant] = None) -> KeyRecord:
        return self._client._registry.revoke(key_id, now=self._now(now), reason=reason, actor=self._actor)

    def list(self) -> List[KeyRecord]:
        return self._client._registry.list()

    def get_usage(self, key_id: str, timeframe: Mapping[str, Any],
                  metrics: Optional[Sequence[str]] = None) -> Dict[str, Any]:
        """``get_usage(key_id=..., timeframe={"start": "2024-01-01", "end": "2024-01-31"},
        metrics=["requests", "errors", "latency"])``."""
        return self._client._registry.get_usage(key_id, start=timeframe["start"], end=timeframe["end"],
                                                metrics=metrics)

    def get_logs(self, key_id: Optional[str] = None, limit: int = 100,
                 event_types: Iterable[str] = ()) -> List[AuditEvent]:
        """``get_logs(key_id=..., limit=100, event_types=["key.created", "key.rotated", "key.accessed"])``."""
        return self._client._registry.logs(key_id, limit=limit, event_types=event_types)
