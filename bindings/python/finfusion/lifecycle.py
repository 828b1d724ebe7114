"""The key lifecycle's pure functions, starting with the seed's create request.

>>> req = parse_create_request(
...     {"name": "Production API Key", "type": "production",
...      "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"},
...     now=datetime.now(timezone.utc))                                  # doctest: +SKIP
>>> req.expires_at          # 2026-01-01 00:00 UTC: the whole last day is inside
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Union

from . import _core
from .keys import TypeTable
from .scopes import ScopeSet
from .time import Instant, from_millis, to_millis

__all__ = ["CreateRequest", "parse_create_request"]


@dataclass(frozen=True)
class CreateRequest:
    """A validated create request. Optional text fields are "" when not given."""

    name: str
    type: str
    permissions: ScopeSet
    expires_at: _dt.datetime
    service: str
    parent_key_id: str
    owner: str
    purpose: str
    _json: str = field(repr=False, compare=False)

    def to_json(self) -> str:
        """Canonical JSON (camelCase fields, canonical scopes, ``expiresAt`` in UTC)."""
        return self._json


def parse_create_request(request: Union[str, Mapping[str, Any]], now: Instant,
                         table: Optional[TypeTable] = None) -> CreateRequest:
    """Validates the seed's create request (a JSON text or a mapping) at ``now``.

    Raises InvalidRequestError naming the field: unknown fields, wrong types, empty or
    over-long name, unknown type, invalid scopes, expiration in the past or beyond the
    type's maximum lifetime, duplicate JSON keys, deep nesting, ...
    """
    text = request if isinstance(request, str) else json.dumps(request)
    policy = table if table is not None else TypeTable()
    r = _core.lifecycle_parse_create_request(text, to_millis(now), policy._table)
    return CreateRequest(r.name, r.type, r.scopes, from_millis(r.expires_at_ms), r.service,
                         r.parent_key_id, r.owner, r.purpose, r.to_json())
