"""FinFusion Keys: mint, parse, validate and hash API keys on one C++ core.

Modules: :mod:`finfusion.keys`, :mod:`finfusion.scopes`, :mod:`finfusion.hashing`,
:mod:`finfusion.time`, :mod:`finfusion.lifecycle`, :mod:`finfusion.registry`, :mod:`finfusion.signing`
(RFC 9421), :mod:`finfusion.webhooks` (Standard Webhooks); errors in :mod:`finfusion.errors` (all subclasses of
:class:`FinFusionError`, each with the stable ``code`` string every language shares).
"""

from __future__ import annotations

from typing import List

from . import _core
from . import client, errors, hashing, keys, lifecycle, ratelimit, registry, scopes, signing, time, webhooks
from .client import FinFusion
from .errors import *  # noqa: F401,F403  (the exception family is part of the top level)
from .errors import __all__ as _error_names
from .hashing import Hasher
from .keys import ApiKey, Environment, KeyType, ParsedKey
from .registry import Registry
from .scopes import ScopeSet

__version__: str = _core.__version__

#: Every code string of the closed list, "valid" first.
CODES: List[str] = list(_core.CODES)

__all__ = [
    "__version__",
    "CODES",
    "client",
    "errors",
    "FinFusion",
    "hashing",
    "keys",
    "lifecycle",
    "ratelimit",
    "registry",
    "scopes",
    "signing",
    "time",
    "webhooks",
    "ApiKey",
    "Environment",
    "Hasher",
    "KeyType",
    "ParsedKey",
    "Registry",
    "ScopeSet",
    *_error_names,
]
