"""External vectors that apply to what the core does, through the Python API.

- token_checksum.json (GitHub-style CRC-32 + base62 checksums): validates the checksum
  definition published in docs/key-format.md, written here in plain Python; the core must
  then agree with that definition on every key it makes.
- blake2b-keyed-kat.json (BLAKE2 reference KATs): validates hashlib's keyed BLAKE2b; the
  core's stored digests must then equal hashlib's on every key.
- Wycheproof hmac_sha256_test.json and ed25519_test.json: every case through the signing
  key types (truncated HMAC tags compare a prefix of sign()).
"""

from __future__ import annotations

import base64
import hashlib
import json
import pathlib
import zlib

import hmac as _hmac

import pytest

import finfusion
from finfusion import hashing, keys, signing

EXTERNAL = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "external"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62_fixed6(n: int) -> str:
    out = ""
    for _ in range(6):
        n, d = divmod(n, 62)
        out = ALPHABET[d] + out
    return out


def documented_checksum(body: str) -> str:
    return base62_fixed6(zlib.crc32(body.encode("ascii")))


def test_checksum_definition_matches_the_token_vectors():
    doc = json.loads((EXTERNAL / "token_checksum.json").read_text())
    for t in doc["valid_tokens"]:
        assert zlib.crc32(t["entropy"].encode()) == t["crc32_dec"]
        assert base62_fixed6(t["crc32_dec"]) == t["checksum"]
    for t in doc["invalid_tokens"]:
        token = t["token"]
        assert documented_checksum(token[4:-6]) != token[-6:]


def test_core_checksums_follow_the_definition():
    for type_ in keys.TYPES:
        for _ in range(300):
            key = keys.generate(type_).reveal()
            assert key[-6:] == documented_checksum(key[:-6])


def test_blake2b_reference_and_core_agree():
    kat = json.loads((EXTERNAL / "blake2b-keyed-kat.json").read_text())
    for v in kat:
        got = hashlib.blake2b(bytes.fromhex(v["in"]), key=bytes.fromhex(v["key"])).hexdigest()
        assert got == v["out"]
    pepper = hashing.generate_pepper()
    hasher = hashing.Hasher({"k": pepper}, current="k", algorithm="b2b256")
    for _ in range(300):
        key = keys.generate("production").reveal()
        digest = hashlib.blake2b(key.encode(), key=pepper, digest_size=32).digest()
        expected = base64.urlsafe_b64encode(digest).decode().rstrip("=")
        assert hasher.hash(key).rsplit("$", 1)[1] == expected


def test_wycheproof_hmac_sha256_through_the_signing_keys():
    doc = json.loads((EXTERNAL / "hmac_sha256_test.json").read_text())
    seen = {"valid": 0, "invalid": 0}
    for group in doc["testGroups"]:
        tag_bytes = group["tagSize"] // 8
        for t in group["tests"]:
            key, msg, tag = (bytes.fromhex(t[k]) for k in ("key", "msg", "tag"))
            verifier = signing.VerifyingKey.hmac("w", key)
            if tag_bytes == 32:
                got = verifier.verify(msg, tag)
            else:
                got = _hmac.compare_digest(signing.SigningKey.hmac("w", key).sign(msg)[:tag_bytes], tag)
            assert got == (t["result"] == "valid"), t["tcId"]
            seen[t["result"]] += 1
    assert seen["valid"] >= 40 and seen["invalid"] >= 80


def test_wycheproof_ed25519_through_the_verifying_key():
    doc = json.loads((EXTERNAL / "ed25519_test.json").read_text())
    n = 0
    for group in doc["testGroups"]:
        key = signing.VerifyingKey.ed25519("w", bytes.fromhex(group["publicKey"]["pk"]))
        for t in group["tests"]:
            assert key.verify(bytes.fromhex(t["msg"]), bytes.fromhex(t["sig"])) == (t["result"] == "valid"), t["tcId"]
            n += 1
    assert n == 151
    with pytest.raises(finfusion.InvalidRequestError):
        signing.VerifyingKey.ed25519("w", b"\x00" * 31)
