"""Admin bearer tokens with roles: the seed's "limit API key access to necessary personnel
only".

A token is a FinFusion key (``prod_...``: checksummed, found by secret scanners, shown once).
The tokens file keeps, per token, its name, role, key id and stored hash under the
registry's peppers, never the token; it is written with mode 0600 and replaced atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import pathlib
import tempfile
from typing import Dict, FrozenSet, List, Optional

from finfusion import hashing, keys, time

#: What each role may do. ``admin`` manages keys; ``auditor`` only reads usage and logs;
#: ``verifier`` (a service) only verifies keys.
ROLES: Dict[str, FrozenSet[str]] = {
    "admin": frozenset({"create", "rotate", "revoke", "read_keys", "verify", "read_usage", "read_logs"}),
    "auditor": frozenset({"read_usage", "read_logs"}),
    "verifier": frozenset({"verify"}),
}


@dataclasses.dataclass(frozen=True)
class Principal:
    """Who called: the token's name and role. ``actor`` is what the audit log records."""

    name: str
    role: str

    @property
    def actor(self) -> str:
        return f"admin:{self.name}"

    def may(self, permission: str) -> bool:
        return permission in ROLES[self.role]


class AdminTokens:
    """The tokens file. ``issue`` makes a token (returned once); ``authenticate`` checks an
    ``Authorization`` header in constant time and returns the Principal, or None."""

    def __init__(self, path: pathlib.Path, hasher: hashing.Hasher) -> None:
        self._path = pathlib.Path(path)
        self._hasher = hasher
        self._entries: Dict[str, Dict[str, str]] = {}
        if self._path.exists():
            doc = json.loads(self._path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict) or doc.get("version") != 1 or not isinstance(doc.get("tokens"), list):
                raise ValueError(f"{self._path} is not a tokens file")
            for entry in doc["tokens"]:
                self._entries[entry["id"]] = entry

    def __repr__(self) -> str:
        return f"AdminTokens({len(self._entries)} tokens)"

    def names(self) -> List[str]:
        return sorted(e["name"] for e in self._entries.values())

    def issue(self, name: str, role: str, *, now: Optional[_dt.datetime] = None) -> str:
        """A new token for ``name`` with ``role``; the text is returned once and not kept."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {sorted(ROLES)}")
        if not name or len(name) > 64 or not all(c.isalnum() or c in "-_.@" for c in name):
            raise ValueError("name must be 1-64 letters, digits or -_.@")
        if any(e["name"] == name for e in self._entries.values()):
            raise ValueError(f"a token named {name!r} exists")
        token = keys.generate(keys.KeyType.PRODUCTION)
        at = now or _dt.datetime.now(_dt.timezone.utc)
        self._entries[token.id] = {"id": token.id, "name": name, "role": role,
                                   "hash": self._hasher.hash(token.reveal()), "createdAt": time.format_timestamp(at)}
        self._save()
        return token.reveal()

    def revoke(self, name: str) -> None:
        ids = [i for i, e in self._entries.items() if e["name"] == name]
        if not ids:
            raise KeyError(name)
        for i in ids:
            del self._entries[i]
        self._save()

    def authenticate(self, authorization: Optional[str]) -> Optional[Principal]:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        token = authorization[len("Bearer "):].strip()
        if keys.check_format(token) != "valid":
            return None
        entry = self._entries.get(keys.parse(token).id)
        if entry is None or not self._hasher.verify(token, entry["hash"]):
            return None
        return Principal(entry["name"], entry["role"])

    def _save(self) -> None:
        doc = {"version": 1, "tokens": sorted(self._entries.values(), key=lambda e: e["name"])}
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tokens-", dir=self._path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._path)
        except BaseException:
            os.unlink(tmp)
            raise
