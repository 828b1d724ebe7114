import hashlib
import hmac
import pickle
from base64 import urlsafe_b64encode

import pytest

import finfusion
from finfusion import hashing, keys


@pytest.fixture
def peppers():
    return {"p1": hashing.generate_pepper(), "p2": hashing.generate_pepper()}


def test_hash_verify_rehash(peppers, recorder):
    h1 = hashing.Hasher(peppers, current="p1")
    h2 = hashing.Hasher(peppers, current="p2")
    recorder(h1, h2)
    key = keys.generate("production").reveal()
    stored = h1.hash(key)
    assert stored.startswith("ffk$1$hs256$p1$")
    assert h1.verify(key, stored) and h2.verify(key, stored)
    assert not h1.verify(keys.generate("production").reveal(), stored)
    assert not h1.needs_rehash(stored) and h2.needs_rehash(stored)
    assert hashing.parse_stored(h2.hash(key)) == ("hs256", "p2")
    assert h1.current_pepper_id == "p1"
    assert repr(h1) == "Hasher(current='p1')"


def test_digest_is_hmac_sha256_or_keyed_blake2b_256(peppers):
    h = hashing.Hasher(peppers, current="p1")
    old = hashing.Hasher(peppers, current="p1", algorithm="b2b256")
    assert (h.algorithm, old.algorithm) == ("hs256", "b2b256")
    for _ in range(200):
        key = keys.generate("development").reveal()
        digest = hmac.new(peppers["p1"], key.encode(), hashlib.sha256).digest()
        assert h.hash(key) == "ffk$1$hs256$p1$" + urlsafe_b64encode(digest).decode().rstrip("=")
        digest = hashlib.blake2b(key.encode(), key=peppers["p1"], digest_size=32).digest()
        stored = old.hash(key)
        assert stored == "ffk$1$b2b256$p1$" + urlsafe_b64encode(digest).decode().rstrip("=")
        # Keyed BLAKE2b forms keep verifying and ask to be rehashed with HMAC-SHA256.
        assert h.verify(key, stored) and h.needs_rehash(stored) and not old.needs_rehash(stored)
    with pytest.raises(finfusion.InvalidRequestError):
        hashing.Hasher(peppers, current="p1", algorithm="sha1")


def test_bad_input(peppers):
    h = hashing.Hasher(peppers, current="p1")
    key = keys.generate("production").reveal()
    with pytest.raises(finfusion.BadChecksumError):
        h.hash("rest" + key[4:])
    assert h.verify(" " + key, h.hash(key)) is False
    with pytest.raises(finfusion.InvalidRequestError):
        h.verify(key, "not-a-hash")
    with pytest.raises(finfusion.PreconditionFailedError):
        h.verify(key, h.hash(key).replace("$p1$", "$p9$"))


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_wrong_length_pepper_is_a_typed_error(size):
    with pytest.raises(finfusion.InvalidRequestError, match="exactly 32 bytes"):
        hashing.Hasher({"p1": b"\x01" * size}, current="p1")


def test_pepper_types_and_ids():
    with pytest.raises(TypeError, match="pepper must be bytes"):
        hashing.Hasher({"p1": "a" * 32}, current="p1")  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        hashing.Hasher([("p1", bytes(32))], current="p1")  # type: ignore[arg-type]
    with pytest.raises(finfusion.InvalidRequestError):
        hashing.Hasher({"p 1": bytes(32)}, current="p 1")
    with pytest.raises(finfusion.InvalidRequestError):
        hashing.Hasher({"p1": bytes(32)}, current="p2")
    with pytest.raises(finfusion.InvalidRequestError):
        hashing.Hasher({}, current="p1")
    assert hashing.Hasher({"p1": bytearray(32)}, current="p1")
    assert hashing.Hasher({"p1": memoryview(bytes(32))}, current="p1")


def test_hasher_is_not_picklable(peppers):
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(hashing.Hasher(peppers, current="p1"))
