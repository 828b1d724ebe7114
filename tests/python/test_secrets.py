"""No secret in repr, str, messages, tracebacks or pickles (secret_hygiene.py also checks every
message and repr the whole suite produced)."""

from __future__ import annotations

import copy
import pickle
import traceback

import pytest

import finfusion
from finfusion import hashing, keys

import secret_hygiene


def test_leak_detector_detects():
    key = keys.generate("production").reveal()
    assert secret_hygiene.leaks(f"oops {key}") and secret_hygiene.leaks("x" + key[30:45] + "y")
    assert not secret_hygiene.leaks(key[:21])  # the key id is public


def test_api_key_never_shows_its_secret():
    key = keys.generate("restricted")
    secret = key.reveal()
    for text in (repr(key), str(key), f"{key}", f"{key!r}", "%s" % key):
        assert secret not in text and secret[-49:-6] not in text
        assert key.id in text
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.copy(key)


def test_messages_and_tracebacks_never_echo_a_key():
    secret = keys.generate("production").reveal()
    variants = [secret[:-1], secret + "x", "rest" + secret[4:], " " + secret, secret[:-1] + "?",
                secret.lower(), secret[:30] + "\u0430" + secret[31:]]
    texts = []
    for bad in variants:
        for call in (keys.parse, keys.mask):
            try:
                call(bad)
            except finfusion.FinFusionError as e:
                texts.append("".join(traceback.format_exception(type(e), e, e.__traceback__)))
                texts.append(repr(e))
            else:
                pytest.fail("accepted a broken key")
    hasher = hashing.Hasher({"p": hashing.generate_pepper()}, current="p")
    try:
        hasher.hash(secret[:-1] + "?")
    except finfusion.FinFusionError as e:
        texts.append(str(e))
    for t in texts:
        assert not secret_hygiene.leaks(t), t
    secret_hygiene.TEXTS.extend(texts)


def test_peppers_never_appear():
    pepper = b"P" * 32
    hasher = hashing.Hasher({"p": pepper}, current="p")
    assert "PPPP" not in repr(hasher)
    with pytest.raises(finfusion.InvalidRequestError) as info:
        hashing.Hasher({"p": b"S3CRET" * 5}, current="p")
    assert "S3CRET" not in str(info.value)
    with pytest.raises(TypeError) as tinfo:
        hashing.Hasher({"p": "S3CRET-TEXT" * 3}, current="p")  # type: ignore[dict-item]
    assert "S3CRET" not in str(tinfo.value)
    with pytest.raises(TypeError):
        pickle.dumps(hasher)
