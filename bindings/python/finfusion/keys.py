"""The API key format: generate, parse, check, mask; the key types and their policy.

>>> key = generate("production")          # doctest: +SKIP
>>> key.id                                 # public: 'prod_7kNsV0dGlOW9eHuP'
>>> key.reveal()                           # the secret: show once, store only its hash
>>> check_format(text)                     # 'valid' or the reason; never raises
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Mapping, NamedTuple, Union

from . import _core

__all__ = [
    "KeyType",
    "Environment",
    "ApiKey",
    "ParsedKey",
    "TypeInfo",
    "TypePolicy",
    "TypeTable",
    "TYPES",
    "SCANNER_PATTERN",
    "MAX_KEY_LENGTH",
    "type_info",
    "generate",
    "generate_from_entropy",
    "check_format",
    "parse",
    "parse_id",
    "mask",
]


class KeyType(str, enum.Enum):
    """The seed's key types; the value is the name every language uses."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"
    RESTRICTED = "restricted"


class Environment(str, enum.Enum):
    SANDBOX = "sandbox"
    PRODUCTION = "production"


ApiKey = _core.ApiKey
ParsedKey = _core.ParsedKey

KeyTypeLike = Union[KeyType, str]


class TypeInfo(NamedTuple):
    name: str
    prefix: str
    environment: str


#: name -> (name, prefix, environment) for the three key types.
TYPES: Mapping[str, TypeInfo] = {
    name: TypeInfo(str(name), *_core.key_type_info(name)) for name in _core.KEY_TYPES
}

#: A regex matching every generated key as a whole word, and nothing of another system.
SCANNER_PATTERN: str = _core.KEY_SCANNER_PATTERN
MAX_KEY_LENGTH: int = _core.KEY_MAX_LENGTH


def _type_name(type: KeyTypeLike) -> str:
    if isinstance(type, KeyType):
        return type.value
    if isinstance(type, str):
        return type
    raise TypeError(f"type must be a KeyType or str, not {type.__class__.__name__}")


def type_info(type: KeyTypeLike) -> TypeInfo:
    """Name, prefix and environment of a key type. Raises InvalidRequestError."""
    name = _type_name(type)
    return TypeInfo(name, *_core.key_type_info(name))


def generate(type: KeyTypeLike) -> ApiKey:
    """A new key from libsodium's CSPRNG. Raises InvalidRequestError for an unknown type."""
    return _core.key_generate(_type_name(type))


def generate_from_entropy(type: KeyTypeLike, entropy: bytes) -> ApiKey:
    """The same draw from fixed bytes (tests and vectors only)."""
    return _core.key_generate_from_entropy(_type_name(type), entropy)


def check_format(key: str) -> str:
    """``"valid"``, or ``"malformed_key"`` / ``"unknown_prefix"`` / ``"bad_checksum"``.
    Never raises for a bad key (TypeError for a non-str)."""
    return str(_core.key_check_format(key))


def parse(key: str) -> ParsedKey:
    """id, type and environment of a well-formed key. Raises MalformedKeyError,
    UnknownPrefixError or BadChecksumError (all ValueError)."""
    return _core.key_parse(key)


def parse_id(key_id: str) -> ParsedKey:
    """Checks a key id (``"prod_7kNsV0dGlOW9eHuP"``)."""
    return _core.key_parse_id(key_id)


def mask(key: str) -> str:
    """``"prod_7kNsV0dGlOW9eHuP_********"``: the public key id, nothing of the secret."""
    return str(_core.key_mask(key))


class TypePolicy(NamedTuple):
    """One key type's policy (see docs/key-format.md#types)."""

    type: str
    environment: str
    max_lifetime: _dt.timedelta
    rotation_period: _dt.timedelta
    rotation_warning: _dt.timedelta
    rate_limit_requests: int
    rate_limit_window: _dt.timedelta
    max_scopes: int
    requires_service: bool
    allows_global_wildcard: bool
    requires_signed_requests: bool


class TypeTable:
    """The key-type policy table: the defaults, or a deployment's JSON overrides.

    >>> TypeTable('{"production": {"max_lifetime": "365d"}}').get("production")  # doctest: +SKIP
    """

    __slots__ = ("_table",)

    def __init__(self, overrides_json: str = "{}") -> None:
        self._table = _core.TypeTable.create(overrides_json)

    @classmethod
    def defaults(cls) -> "TypeTable":
        return cls()

    def get(self, type: KeyTypeLike) -> TypePolicy:
        p = self._table.get(_type_name(type))
        ms = lambda v: _dt.timedelta(milliseconds=v)  # noqa: E731
        return TypePolicy(
            p.type, p.environment, ms(p.max_lifetime_ms), ms(p.rotation_period_ms),
            ms(p.rotation_warning_ms), p.rate_limit_requests, ms(p.rate_limit_window_ms),
            p.max_scopes, p.requires_service, p.allows_global_wildcard, p.requires_signed_requests,
        )

    def to_json(self) -> str:
        return str(self._table.to_json())

    def __repr__(self) -> str:
        return f"TypeTable({self.to_json()!r})"
