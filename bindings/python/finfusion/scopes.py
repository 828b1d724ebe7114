"""Permissions: ``resource[:action[:...]]`` with hierarchy, ``*`` wildcards and ``!`` denies.

>>> granted = parse(["payments", "!payments:refund", "kyc:read"])   # doctest: +SKIP
>>> allows(granted, "payments:charge")                               # True
>>> is_subset(parse(["kyc:read"]), granted)                          # True
"""

from __future__ import annotations

from typing import Iterable, Union

from . import _core

__all__ = ["ScopeSet", "ScopesLike", "MAX_ENTRIES", "parse", "allows", "allows_all", "is_subset"]

ScopeSet = _core.ScopeSet
ScopesLike = Union[ScopeSet, Iterable[str]]
MAX_ENTRIES: int = _core.SCOPE_MAX_ENTRIES


def _scope_set(scopes: ScopesLike) -> ScopeSet:
    if isinstance(scopes, ScopeSet):
        return scopes
    if isinstance(scopes, (str, bytes)):
        raise TypeError("scopes must be a list of str, not a single string")
    return _core.scope_parse(list(scopes))


def parse(scopes: Iterable[str]) -> ScopeSet:
    """The canonical set (sorted, duplicates removed). Raises InvalidScopeError."""
    return _scope_set(scopes)


def allows(granted: ScopesLike, required: str) -> bool:
    """Whether ``granted`` allows ``required``. Raises InvalidScopeError for a bad scope."""
    return bool(_core.scope_allows(_scope_set(granted), required))


def allows_all(granted: ScopesLike, required: ScopesLike) -> bool:
    """Whether ``granted`` allows every scope in ``required``."""
    return bool(_core.scope_allows_all(_scope_set(granted), _scope_set(required)))


def is_subset(child: ScopesLike, parent: ScopesLike) -> bool:
    """Whether ``child`` can never allow what ``parent`` refuses (restricted keys)."""
    return bool(_core.scope_is_subset(_scope_set(child), _scope_set(parent)))
