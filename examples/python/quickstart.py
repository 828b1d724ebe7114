"""Quickstart: mint a key, store its hash, verify a presented key, check its scopes.

Run: .venv/bin/python examples/python/quickstart.py
"""

from __future__ import annotations

import datetime as dt
import os

import finfusion
from finfusion import hashing, keys, scopes, time


def main() -> None:
    # The pepper comes from the environment (or a secret store) in a real service.
    pepper_hex = os.environ.get("FINFUSION_PEPPER_HEX")
    pepper = bytes.fromhex(pepper_hex) if pepper_hex else hashing.generate_pepper()
    hasher = hashing.Hasher({"2026a": pepper}, current="2026a")

    key = keys.generate(keys.KeyType.PRODUCTION)
    print("issued", key, "masked", keys.mask(key.reveal()))
    stored = hasher.hash(key.reveal())  # the registry keeps this, never the key

    presented = key.reveal()  # what a client sends
    if keys.check_format(presented) != "valid":  # offline: no lookup for typos
        raise SystemExit("malformed")
    assert hasher.verify(presented, stored)

    granted = scopes.parse(["payments", "kyc", "reporting", "!payments:refund"])
    for needed in ("payments:charge", "payments:refund"):
        print(needed, "allowed" if scopes.allows(granted, needed) else "refused")

    expires = time.parse_until("2025-12-31")
    now = dt.datetime.now(dt.timezone.utc)
    print("expiration 2025-12-31 ends at", time.format_timestamp(expires),
          "(expired)" if now >= expires else "(still valid)")

    try:
        keys.parse("rest" + presented[4:])
    except finfusion.BadChecksumError as e:
        print("edited prefix refused:", e.code)


if __name__ == "__main__":
    main()
