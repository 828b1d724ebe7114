"""Key verification through the Python package beside what a Python team would write with the
standard library alone (the "peer": a regex, zlib.crc32, hmac.new + hmac.compare_digest over
a dict of records), as ns per operation in JSON on stdout. bench/tables.py puts it
beside native and Node. Every operation is checked once before it is timed.

  check_format  the key's shape and checksum
  hash          the stored form of a key (HMAC-SHA256 under a pepper, base64url)
  verify        a full verification against an in-memory registry: ours also enforces the
                rate limit and writes the usage counters and a hash-chained audit event; the
                peer only decides (shape, checksum, lookup, digest compare, status, expiry,
                scope), so the comparison favours the peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import zlib

from bench_signing import per_op
from finfusion import hashing, keys, registry

NOW = 1748779200000
PEPPER = b"\x07" * 32
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SHAPE = re.compile(r"(dev|prod|rest)_[0-9A-Za-z]{16}_[0-9A-Za-z]{43}([0-9A-Za-z]{6})\Z")
TABLE = '{"production": {"rate_limit": {"requests": 1000000000, "window": "1s"}}}'


def peer_check_format(key: str) -> str:
    m = SHAPE.match(key)
    if m is None:
        return "malformed_key"
    n = zlib.crc32(key[:-6].encode())
    digits = []
    for _ in range(6):
        n, d = divmod(n, 62)
        digits.append(ALPHABET[d])
    return "valid" if "".join(reversed(digits)) == m.group(2) else "bad_checksum"


def peer_hash(key: str) -> str:
    digest = hmac.new(PEPPER, key.encode(), hashlib.sha256).digest()
    return "ffk$1$hs256$p1$" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class PeerRegistry:
    """The records a service would keep: stored hash, status, expiry, scopes."""

    def __init__(self) -> None:
        self.records: dict = {}

    def add(self, key: str, scopes: list, expires_at: int) -> None:
        self.records[key[:-50]] = {"stored": peer_hash(key), "status": "active", "expires_at": expires_at,
                                   "scopes": scopes}

    def verify(self, key: str, required: list, now: int) -> dict:
        code = peer_check_format(key)
        if code != "valid":
            return {"valid": False, "code": code}
        record = self.records.get(key[:-50])
        if record is None:
            return {"valid": False, "code": "not_found"}
        if not hmac.compare_digest(peer_hash(key), record["stored"]):
            return {"valid": False, "code": "not_found"}
        if record["status"] != "active":
            return {"valid": False, "code": record["status"]}
        if now >= record["expires_at"]:
            return {"valid": False, "code": "expired"}
        for need in required:
            if not any(need == s or need.startswith(s + ":") for s in record["scopes"]):
                return {"valid": False, "code": "insufficient_scope"}
        return {"valid": True, "code": "valid", "key_id": key[:-50]}


def main() -> None:
    hasher = hashing.Hasher({"p1": PEPPER}, current="p1")
    reg = registry.Registry(hasher, keys.TypeTable(TABLE))
    created = reg.create({"name": "bench", "type": "production", "permissions": ["payments"]}, now=NOW)
    key = created.key.reveal()
    peer = PeerRegistry()
    peer.add(key, ["payments"], NOW + 86400000)
    required = ["payments:charge"]

    assert keys.check_format(key) == peer_check_format(key) == "valid"
    assert hasher.hash(key) == peer_hash(key)
    assert reg.verify(key, now=NOW, required=required).valid and peer.verify(key, required, NOW)["valid"]

    out = {
        "check_format": per_op(lambda: keys.check_format(key)),
        "check_format/peer": per_op(lambda: peer_check_format(key)),
        "hash": per_op(lambda: hasher.hash(key)),
        "hash/peer": per_op(lambda: peer_hash(key)),
        "verify": per_op(lambda: reg.verify(key, now=NOW, required=required)),
        "verify/peer": per_op(lambda: peer.verify(key, required, NOW)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
