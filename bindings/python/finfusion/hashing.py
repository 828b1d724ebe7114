"""Stored key hashes: HMAC-SHA256 (or keyed BLAKE2b-256) under a server pepper, verified in
constant time.

>>> hasher = Hasher({"2026a": pepper_bytes}, current="2026a")   # doctest: +SKIP
>>> stored = hasher.hash(key)          # 'ffk$1$hs256$2026a$...'
>>> hasher.verify(key, stored)         # True
>>> hasher.needs_rehash(stored)        # True once another pepper or algorithm is current
"""

from __future__ import annotations

from typing import NamedTuple

from . import _core

__all__ = ["Hasher", "StoredHash", "PEPPER_BYTES", "generate_pepper", "parse_stored"]

#: Hasher(peppers: dict[str, bytes], current: str, algorithm: str = "hs256"). Peppers must be
#: exactly PEPPER_BYTES long (InvalidRequestError otherwise). ``algorithm`` is what new hashes
#: use: "hs256" (HMAC-SHA256) or "b2b256" (keyed BLAKE2b-256); stored forms of both verify.
#: repr() shows the current pepper id only; pickling is refused.
Hasher = _core.Hasher
PEPPER_BYTES: int = _core.PEPPER_BYTES


class StoredHash(NamedTuple):
    algorithm: str
    pepper_id: str


def generate_pepper() -> bytes:
    """A new 32-byte pepper from libsodium's CSPRNG. Keep it out of the database."""
    return bytes(_core.random_secret(PEPPER_BYTES))


def parse_stored(stored: str) -> StoredHash:
    """The algorithm and pepper id a stored hash names. Raises InvalidRequestError."""
    return StoredHash(*_core.hash_parse_stored(stored))
