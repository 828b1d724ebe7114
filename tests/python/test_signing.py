"""RFC 9421 signing from Python: the argument shapes Python HTTP code has, the published
B.2.5 example, tamper and replay checks, typed errors, and no secret in any text."""

from __future__ import annotations

import base64
import datetime as dt
import inspect
import json
import pathlib
import pickle
import types
from typing import Any, Callable, Dict, List, Tuple

import pytest

import finfusion
from finfusion import signing

EXTERNAL = pathlib.Path(__file__).resolve().parents[1] / "vectors" / "external"
RFC = json.loads((EXTERNAL / "rfc9421_hmac.json").read_text())
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
URL = "https://api.finfusion.example/v1/payments?currency=EUR"
HEADERS = {"Content-Type": "application/json", "Authorization": "Bearer prod_not_a_real_key", "X-Request-Id": "r1"}
BODY = b'{"amount": 1000}'


def hmac_key(key_id: str = "key_1") -> signing.SigningKey:
    return signing.SigningKey.hmac(key_id, b"k" * 32)


def test_rfc9421_b25_from_python_shapes():
    r, b25 = RFC["test_request"], RFC["B.2.5"]
    key = signing.SigningKey.hmac(b25["keyid"], bytes.fromhex(RFC["keys"]["test-shared-secret"]["hex"]))
    url = "https://example.com" + r["target"]
    # A list of pairs, str body, epoch milliseconds.
    added = signing.sign_request(r["method"], url, r["headers"], r["body"], key=key, label="sig-b25",
                                 components=b25["covered_components"], include_alg=False, now=1618884473000)
    assert added == {"Signature-Input": b25["signature_input"], "Signature": b25["signature"]}
    # ASGI-style bytes pairs and a datetime verify the published fields.
    raw = [(n.lower().encode(), v.encode()) for n, v in r["headers"]] + [(b"signature-input", b25["signature_input"].encode()),
                                                                       (b"signature", b25["signature"].encode())]
    v = signing.verify_request(r["method"], url, raw, r["body"].encode(), keys=key, require_content_digest=False,
                               now=dt.datetime(2021, 4, 20, 2, 7, 55, tzinfo=dt.timezone.utc))
    assert v.valid and v.code == "valid" and bool(v)
    assert v.signature_base == b25["signature_base"]
    assert v.covered == ['"date"', '"@authority"', '"content-type"']


@pytest.mark.parametrize("algorithm", signing.ALGORITHMS)
def test_round_trip_and_tampering(algorithm):
    key = signing.SigningKey.generate("key_1", algorithm)
    added = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
    assert list(added) == ["Content-Digest", "Signature-Input", "Signature"]
    headers = {**HEADERS, **added}
    ok = signing.verify_request("POST", URL, headers, BODY, keys=[key.verifying_key()], now=NOW)
    assert (ok.valid, ok.code, ok.key_id, ok.alg) == (True, "valid", "key_1", algorithm)
    # The names come from a cache after the first call: the same, in the same order.
    assert list(signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)) == list(added)
    assert ok.valid is True  # a bool, read through its own getter
    with pytest.raises(AttributeError):
        ok.valid = False
    for method, url, hdrs, body in [("PUT", URL, headers, BODY), ("POST", URL + "&x=1", headers, BODY),
                                    ("POST", URL, headers, BODY + b" "),
                                    ("POST", URL, {**headers, "Authorization": "Bearer other"}, BODY),
                                    ("POST", URL, {k: v for k, v in headers.items() if k != "Content-Type"}, BODY)]:
        v = signing.verify_request(method, url, hdrs, body, keys=key, now=NOW)
        assert (v.valid, v.code) == (False, "signature_invalid") and v.valid is False
    # Uncovered headers may change.
    assert signing.verify_request("POST", URL, {**headers, "X-Request-Id": "r2", "X-New": "1"}, BODY, keys=key, now=NOW)


def test_the_signing_functions_bind_their_arguments_as_a_def_would():
    # sign_request and the others are the core's own functions, which bind their arguments in
    # C: by position up to the body (the status for a response), the rest by keyword only,
    # with Python's errors for what a def would refuse.
    key = hmac_key()
    expected = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
    assert signing.sign_request(method="POST", url=URL, headers=HEADERS, body=BODY, key=key, now=NOW) == expected
    assert signing.sign_request(body=BODY, now=NOW, key=key, url=URL, method="POST", headers=HEADERS) == expected
    keyword: Dict[str, Any] = {"key": key, "now": NOW}  # built at run time: not interned by the compiler
    assert signing.sign_request("POST", URL, HEADERS, BODY, **keyword) == expected
    calls: List[Tuple[Callable[[], object], str]] = [
        (lambda: signing.sign_request("POST", URL, HEADERS, BODY, key, now=NOW),  # type: ignore[call-arg]
         r"sign_request\(\) takes at most 4 positional arguments \(5 given\)"),
        (lambda: signing.sign_request("POST", URL, HEADERS, BODY, now=NOW),  # type: ignore[call-arg]
         r"sign_request\(\) missing required argument 'key'"),
        (lambda: signing.sign_request("POST", key=key, now=NOW),  # type: ignore[call-arg]
         r"sign_request\(\) missing required argument 'url'"),
        (lambda: signing.sign_request("POST", URL, key=key, keyid="k", now=NOW),  # type: ignore[call-arg]
         r"sign_request\(\) got an unexpected keyword argument 'keyid'"),
        (lambda: signing.sign_request("POST", URL, HEADERS, method="GET", key=key, now=NOW),  # type: ignore[misc]
         r"sign_request\(\) got multiple values for argument 'method'"),
        (lambda: signing.sign_response(200, HEADERS, BODY, None, key=key, now=NOW),  # type: ignore[arg-type, misc]
         r"sign_response\(\) takes at most 3 positional arguments \(4 given\)"),
        (lambda: signing.verify_request("POST", URL, HEADERS, BODY, now=NOW),  # type: ignore[call-arg]
         r"verify_request\(\) missing required argument 'keys'"),
        (lambda: signing.verify_response(200, HEADERS, BODY, keys=key, tolerence=5),  # type: ignore[call-arg]
         r"verify_response\(\) got an unexpected keyword argument 'tolerence'"),
    ]
    for call, message in calls:
        with pytest.raises(TypeError, match=message):
            call()
    # The other argument types still convert: a tuple of components, a timedelta, a datetime
    # (NOW), epoch milliseconds, a list of keys, a duration text, any iterable of components.
    created = int(NOW.timestamp())
    covered = ("@method", "@target-uri", "content-digest")
    sig = signing.sign_request("POST", URL, HEADERS, BODY, key=key, components=covered,
                               expires_in=dt.timedelta(minutes=5), nonce="n1", tag="app", now=NOW)
    assert sig["Signature-Input"].startswith(f'sig1=("@method" "@target-uri" "content-digest");created={created};')
    for part in (f";expires={created + 300};", ';nonce="n1";', ';tag="app"'):
        assert part in sig["Signature-Input"]
    assert sig == signing.sign_request("POST", URL, HEADERS, BODY, key=key, components=list(covered),
                                       expires_in=300, nonce="n1", tag="app", now=created * 1000)
    v = signing.verify_request("POST", URL, {**HEADERS, **sig}, BODY, keys=[key], tolerance="10m",
                               required_components=iter(["@method"]), now=NOW)  # type: ignore[arg-type]
    assert (v.valid, v.label, v.tag) == (True, "sig1", "app")
    # now=None is the current time: a signature made now verifies now, and not an hour later.
    fresh = signing.sign_request("POST", URL, HEADERS, BODY, key=key)
    assert signing.verify_request("POST", URL, {**HEADERS, **fresh}, BODY, keys=key).valid
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    assert signing.verify_request("POST", URL, {**HEADERS, **fresh}, BODY, keys=key, now=later).code == "signature_expired"
    assert inspect.signature(signing.sign_request).parameters["label"].default == "sig1"
    assert inspect.signature(signing.verify_request).parameters["keys"].kind is inspect.Parameter.KEYWORD_ONLY


def test_every_header_and_body_shape_signs_the_same():
    # dicts and lists of str pairs are read by the core; other shapes go through _pairs: the
    # same signature either way.
    key = hmac_key()
    pairs = list(HEADERS.items())
    shapes = [HEADERS, pairs, tuple(pairs), types.MappingProxyType(HEADERS),
              [(n.encode(), v.encode()) for n, v in pairs], [(n, [v]) for n, v in pairs], {**HEADERS}]
    bodies = [BODY, bytearray(BODY), memoryview(BODY), BODY.decode()]
    expected = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
    for headers in shapes:
        for body in bodies:
            assert signing.sign_request("POST", URL, headers, body, key=key, now=NOW) == expected
    assert signing.sign_request("POST", URL, iter(pairs), BODY, key=key, now=NOW) == expected
    headers = {**HEADERS, **expected}
    for body in bodies:
        assert signing.verify_request("POST", URL, list(headers.items()), body, keys=key, now=NOW).valid
    # Several values for one name are joined, as the core joins repeated lines.
    multi = signing.sign_request("POST", URL, [("X-A", ["1", "2"])], None, key=key, components=["x-a"], now=NOW)
    assert signing.verify_request("POST", URL, [("X-A", "1, 2"), *multi.items()], keys=key, now=NOW).valid
    for bad_headers, message in [("x", "headers must be a mapping or"), ([("a", "b", "c")], "headers must be"),
                                 ([("a", 1)], "header value must be str or bytes, not int"),
                                 ({1: "a"}, "header name must be str or bytes, not int")]:
        with pytest.raises(TypeError, match=message):
            signing.sign_request("POST", URL, bad_headers, BODY, key=key, now=NOW)
    with pytest.raises(TypeError, match="body must be bytes, str or None, not int"):
        signing.sign_request("POST", URL, HEADERS, 1, key=key, now=NOW)
    with pytest.raises(TypeError, match="body must be bytes, str or None, not list"):
        signing.verify_request("POST", URL, headers, [1], keys=key, now=NOW)
    with pytest.raises(UnicodeEncodeError):
        signing.sign_request("POST", URL, HEADERS, "\ud800", key=key, now=NOW)
    # The core's entry points check every argument's type and name it, never its value.
    with pytest.raises(TypeError, match="key must be a SigningKey, not VerifyingKey"):
        signing.sign_request("POST", URL, HEADERS, BODY, key=key.verifying_key(), now=NOW)  # type: ignore[arg-type]
    # The bound classes' own instances are read straight from pybind11's record; a subclass's
    # take pybind11's path, with the same answers.
    class Ring(signing.KeyRing):
        pass

    ring = Ring()
    ring.add(key.verifying_key())
    signed = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
    assert signing.verify_request("POST", URL, [*HEADERS.items(), *signed.items()], BODY, keys=ring, now=NOW).valid
    assert not signing.verify_request("POST", URL, [*HEADERS.items(), *signed.items()], BODY, keys=Ring(), now=NOW).valid
    with pytest.raises(TypeError, match="label must be str, not int"):
        signing.sign_request("POST", URL, HEADERS, BODY, key=key, label=1, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="instant must be a datetime or epoch milliseconds, not float"):
        signing.verify_request("POST", URL, headers, BODY, keys=key, now=1.5)  # type: ignore[arg-type]
    # A status out of int's range is refused like any other outside 100 to 999, never wrapped
    # (2**32 would wrap to 0, which means a request).
    for status in (2**32, 2**63 - 1, -1, 99, 1000):
        with pytest.raises(finfusion.InvalidRequestError, match="status must be 100 to 999"):
            signing.sign_response(status, HEADERS, BODY, key=key, now=NOW)
    with pytest.raises(OverflowError):
        signing.sign_response(2**64, HEADERS, BODY, key=key, now=NOW)


def test_every_one_byte_change_of_a_covered_component_fails():
    key = hmac_key()
    added = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
    headers = {**HEADERS, **added}
    for i in range(len(URL)):
        changed = URL[:i] + chr(ord(URL[i]) ^ 1) + URL[i + 1:]
        assert not signing.verify_request("POST", changed, headers, BODY, keys=key, now=NOW).valid, changed
    for i in range(len(BODY)):
        changed_body = BODY[:i] + bytes([BODY[i] ^ 1]) + BODY[i + 1:]
        assert signing.verify_request("POST", URL, headers, changed_body, keys=key, now=NOW).code == "signature_invalid"


def test_time_window_and_replay():
    key = hmac_key()
    added = signing.sign_request("GET", URL, {}, None, key=key, nonce=True, expires_in=dt.timedelta(minutes=1), now=NOW)
    headers = list(added.items())
    nonces = signing.NonceCache(max_entries=10)
    first = signing.verify_request("GET", URL, headers, keys=key, nonces=nonces, require_nonce=True, now=NOW)
    assert first.valid and len(first.nonce) == 22 and first.expires == first.created + 60
    again = signing.verify_request("GET", URL, headers, keys=key, nonces=nonces, require_nonce=True, now=NOW)
    assert (again.valid, again.code) == (False, "replayed")
    assert len(nonces) == 1
    late = signing.verify_request("GET", URL, headers, keys=key, now=NOW + dt.timedelta(seconds=61))
    assert late.code == "signature_expired"
    early = signing.verify_request("GET", URL, headers, keys=key, now=NOW - dt.timedelta(seconds=301))
    assert early.code == "signature_expired"
    assert signing.verify_request("GET", URL, headers, keys=key, tolerance="10m",
                                  now=NOW - dt.timedelta(seconds=301)).valid
    # A policy that requires nonces needs the cache; a request without one is rejected.
    plain = signing.sign_request("GET", URL, {}, key=key, now=NOW)
    assert signing.verify_request("GET", URL, plain, keys=key, nonces=nonces, require_nonce=True, now=NOW).code == \
        "signature_invalid"
    assert signing.verify_request("GET", URL, plain, keys=key, require_nonce=True, now=NOW).code == "invalid_request"
    # Anything but a NonceCache or None is a TypeError that names the type.
    with pytest.raises(TypeError, match="nonces must be a NonceCache or None, not dict"):
        signing.verify_request("GET", URL, headers, keys=key, nonces={}, now=NOW)  # type: ignore[arg-type]


def test_responses_cover_their_request():
    key = signing.SigningKey.generate("svc", "ed25519")
    request = {"method": "POST", "url": URL, "headers": HEADERS, "body": BODY}
    added = signing.sign_response(201, {"Content-Type": "application/json"}, b"{}", key=key, request=request,
                                  components=["@status", "content-digest", "@method;req", "@target-uri;req"], now=NOW)
    headers = {"Content-Type": "application/json", **added}
    assert signing.verify_response(201, headers, b"{}", keys=key, request=request, now=NOW).valid
    assert signing.verify_response(200, headers, b"{}", keys=key, request=request, now=NOW).code == "signature_invalid"
    other = dict(request, url=URL + "&evil=1")
    assert signing.verify_response(201, headers, b"{}", keys=key, request=other, now=NOW).code == "signature_invalid"


def test_unknown_keys_and_key_rings():
    key, other = hmac_key("a"), hmac_key("b")
    added = signing.sign_request("GET", URL, key=key, now=NOW)
    assert signing.verify_request("GET", URL, added, keys=other, now=NOW).code == "not_found"
    ring = signing.KeyRing()
    ring.add(other.verifying_key())
    ring.add(key.verifying_key())
    assert len(ring) == 2 and "a" in ring and "c" not in ring
    assert signing.verify_request("GET", URL, added, keys=ring, now=NOW).valid
    pub = signing.SigningKey.ed25519("e", b"\x01" * 32)
    verifier = signing.VerifyingKey.ed25519("e", pub.public_key)
    assert verifier.verify(b"m", pub.sign(b"m")) and not verifier.verify(b"n", pub.sign(b"m"))


def test_content_digest():
    assert signing.content_digest('{"hello": "world"}') == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    assert signing.content_digest(b'{"hello": "world"}', "sha-512").startswith("sha-512=:WZDPaVn/")
    assert signing.verify_content_digest("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", '{"hello": "world"}')
    assert not signing.verify_content_digest("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", "x")
    with pytest.raises(finfusion.InvalidRequestError):
        signing.verify_content_digest("sha-256", "x")
    with pytest.raises(finfusion.InvalidRequestError):
        signing.content_digest("x", "md5")


def test_bad_input_is_typed_and_quiet(recorder):
    secret = b"s3cr3t-signing-material-" + b"x" * 8
    with pytest.raises(finfusion.InvalidRequestError) as e:
        signing.SigningKey.hmac("k", b"short")
    assert e.value.code == "invalid_request"
    with pytest.raises(finfusion.InvalidRequestError):
        signing.SigningKey.ed25519("k", b"\x00" * 31)
    with pytest.raises(finfusion.InvalidRequestError):
        signing.VerifyingKey.ed25519("k", b"\x00" * 33)
    with pytest.raises(finfusion.InvalidRequestError):
        signing.SigningKey.generate("k", "rsa-pss-sha512")
    with pytest.raises(TypeError) as t:
        signing.SigningKey.hmac("k", "not-bytes-" + secret.decode())
    assert secret.decode() not in str(t.value)
    key = signing.SigningKey.hmac("k", secret)
    for bad in [dict(components=["x-missing"]), dict(label="Bad"), dict(components=["@status"]), dict(nonce="é"),
                dict(expires_in=0)]:
        with pytest.raises(finfusion.InvalidRequestError):
            signing.sign_request("GET", URL, HEADERS, key=key, now=NOW, **bad)
    with pytest.raises(finfusion.InvalidRequestError):
        signing.sign_request("GET", "/relative", key=key, now=NOW)
    with pytest.raises(TypeError):
        signing.sign_request("GET", URL, {"X": 1}, key=key, now=NOW)
    with pytest.raises(TypeError):
        signing.sign_request("GET", URL, body=42, key=key, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signing.verify_request("GET", URL, keys=["not a key"], now=NOW)
    # Malformed signature fields are a verdict, not an exception.
    v = signing.verify_request("GET", URL, {"Signature-Input": "sig1=(", "Signature": "sig1=:AA==:"}, keys=key, now=NOW)
    assert (v.valid, v.code) == (False, "invalid_request")
    # No secret in repr, str or messages; keys refuse pickling.
    texts = [repr(key), str(key), repr(key.verifying_key()), repr(v), v.message, str(e.value)]
    recorder(key, key.verifying_key(), v)
    for text in texts:
        for form in (secret.hex(), base64.b64encode(secret).decode(), secret.decode()):
            assert form not in text
    assert key.reveal_secret() == secret
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        pickle.dumps(key.verifying_key())


def test_restricted_keys_that_must_sign():
    from finfusion import hashing, keys, registry
    table = keys.TypeTable('{"restricted": {"requires_signed_requests": true}}')
    assert table.get("restricted").requires_signed_requests and not table.get("production").requires_signed_requests
    reg = registry.Registry(hashing.Hasher({"p": b"\x01" * 32}, current="p"), table)
    parent = reg.create({"name": "p", "type": "production", "permissions": ["payments"]}, now=NOW, actor="admin")
    child = reg.create({"name": "c", "type": "restricted", "permissions": ["payments"], "service": "ledger",
                        "parentKeyId": parent.record.id}, now=NOW, actor="admin")
    presented = child.key.reveal()
    signer = signing.SigningKey.generate(child.record.id, "hmac-sha256")
    headers = {"Authorization": f"Bearer {presented}"}
    headers.update(signing.sign_request("POST", URL, headers, BODY, key=signer, now=NOW))
    v = signing.verify_request("POST", URL, headers, BODY, keys=signer, now=NOW)
    assert v.signer == child.record.id
    assert reg.verify(presented, now=NOW, service="ledger").code == "signature_invalid"
    assert reg.verify(presented, now=NOW, service="ledger", signed_by=v.signer).code == "valid"
    bad = signing.verify_request("POST", URL, headers, BODY + b"!", keys=signer, now=NOW)
    assert bad.signer == "" and reg.verify(presented, now=NOW, service="ledger", signed_by=bad.signer).code == \
        "signature_invalid"


def test_a_response_request_must_be_a_mapping():
    key = hmac_key()
    with pytest.raises(TypeError):
        signing.sign_response(200, {}, b"", key=key, request={"url": URL}, now=NOW)
    with pytest.raises(TypeError):
        signing.verify_response(200, {}, b"", keys=key, request=("GET", URL), now=NOW)  # type: ignore[arg-type]
