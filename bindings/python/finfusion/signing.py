"""RFC 9421 HTTP Message Signatures, RFC 9530 Content-Digest and replay protection.

>>> key = SigningKey.generate("key_7Qp...", "hmac-sha256")             # doctest: +SKIP
>>> added = sign_request("POST", "https://api.example.com/v1/pay",
...                      {"Content-Type": "application/json"}, body, key=key)
>>> added                    # {'Content-Digest': ..., 'Signature-Input': ..., 'Signature': ...}
>>> v = verify_request("POST", url, {**headers, **added}, body, keys=[key.verifying_key()],
...                    nonces=NonceCache())
>>> v.valid, v.code          # (True, 'valid'), or (False, 'signature_invalid' / 'replayed' / ...)

Headers may be a dict, any mapping with ``items()``, or a list of ``(name, value)`` pairs
(str or bytes, as ASGI gives them; a list value means several field lines). Bodies are
bytes (str is encoded as UTF-8); ``None`` means no body. ``now`` is an aware datetime or
epoch milliseconds and defaults to the current time. Verification never raises for a bad
signature: it returns a :class:`Verification` with ``valid`` and ``code``.
"""

from __future__ import annotations

import datetime as _dt
import time as _time
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from . import _core
from .time import Instant, duration_millis, to_millis

__all__ = ["SigningKey", "VerifyingKey", "KeyRing", "NonceCache", "Verification", "sign_request",
           "verify_request", "sign_response", "verify_response", "content_digest", "verify_content_digest",
           "ALGORITHMS", "DIGEST_ALGORITHMS"]

SigningKey = _core.SigningKey
VerifyingKey = _core.VerifyingKey
KeyRing = _core.KeyRing
NonceCache = _core.NonceCache
Verification = _core.Verification

ALGORITHMS = ("hmac-sha256", "ed25519")
DIGEST_ALGORITHMS = ("sha-256", "sha-512")

Headers = Union[Mapping[Any, Any], Iterable[Tuple[Any, Any]], None]
Body = Union[bytes, bytearray, memoryview, str, None]
Seconds = Union[_dt.timedelta, str, int]
Keys = Union["_core.KeyRing", "_core.VerifyingKey", "_core.SigningKey", Iterable[Any]]


def _text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def _pairs(headers: Headers) -> List[Tuple[str, str]]:
    if headers is None:
        return []
    items = headers.items() if hasattr(headers, "items") else headers
    out: List[Tuple[str, str]] = []
    for pair in items:
        try:
            name, value = pair
        except (TypeError, ValueError):
            raise TypeError("headers must be a mapping or (name, value) pairs") from None
        values = value if isinstance(value, (list, tuple)) else (value,)
        for v in values:
            out.append((_text(name, "header name"), _text(v, "header value")))
    return out


def _body(body: Body) -> Optional[bytes]:
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise TypeError(f"body must be bytes, str or None, not {type(body).__name__}")


def _now(now: Optional[Instant]) -> int:
    return int(_time.time() * 1000) if now is None else to_millis(now)


def _seconds(value: Seconds, what: str) -> int:
    """Whole seconds of a timedelta, a duration text ("5m") or an int of seconds."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a timedelta, a duration text or seconds, not bool")
    if isinstance(value, int):
        return value
    return duration_millis(value) // 1000


def _ring(keys: Keys) -> "_core.KeyRing":
    if isinstance(keys, _core.KeyRing):
        return keys
    ring = _core.KeyRing()
    for k in [keys] if isinstance(keys, (_core.VerifyingKey, _core.SigningKey)) else keys:
        if isinstance(k, _core.SigningKey):
            k = k.verifying_key()
        if not isinstance(k, _core.VerifyingKey):
            raise TypeError(f"keys must hold VerifyingKey or SigningKey, not {type(k).__name__}")
        ring.add(k)
    return ring


def _request(request: Optional[Mapping[str, Any]]) -> Optional[Tuple[str, str, List[Tuple[str, str]], Optional[bytes]]]:
    if request is None:
        return None
    try:
        method, url = request["method"], request["url"]
    except (KeyError, TypeError):
        raise TypeError("request must be a mapping with method, url, headers and body") from None
    return (method, url, _pairs(request.get("headers")), _body(request.get("body")))


# The core's two entry points for signing are plain CPython functions (no pybind11
# dispatcher on every request); their result types, declared once here.
_core_sign: Callable[..., Dict[str, str]] = _core.signing_sign
_core_verify: Callable[..., "_core.Verification"] = _core.signing_verify


def _sign(method: str, url: str, status: int, headers: Headers, body: Body, request: Any, key: Any, label: str,
          components: Optional[Sequence[str]], expires_in: Optional[Seconds], nonce: Union[str, bool, None],
          tag: Optional[str], include_alg: bool, digest: str, now: Optional[Instant]) -> Dict[str, str]:
    # Headers and body go as given: the core reads str pairs and bytes itself, and hands
    # other shapes to _pairs. The other common argument types pass straight through too (a
    # Python call each saved, on every request); the helpers convert and check the rest.
    return _core_sign(
        method, url, status, headers, body, None if request is None else _request(request), key, label,
        None if components is None else list(components),
        None if expires_in is None else _seconds(expires_in, "expires_in"),
        nonce if isinstance(nonce, str) else "", nonce is True, tag or "", include_alg, digest,
        now if type(now) is int else _now(now))


def sign_request(method: str, url: str, headers: Headers = None, body: Body = None, *, key: "_core.SigningKey",
                 label: str = "sig1", components: Optional[Sequence[str]] = None,
                 expires_in: Optional[Seconds] = None, nonce: Union[str, bool, None] = None,
                 tag: Optional[str] = None, include_alg: bool = True, digest: str = "sha-256",
                 now: Optional[Instant] = None) -> Dict[str, str]:
    """Signs a request; returns the headers to add (Content-Digest when the body has none
    yet, Signature-Input, Signature). ``components`` defaults to ``@method``,
    ``@target-uri``, ``content-digest`` (with a body), ``content-type`` and ``authorization``
    (when present). ``nonce=True`` makes a fresh one. Raises InvalidRequestError for bad
    options or a covered component the request lacks."""
    return _sign(method, url, 0, headers, body, None, key, label, components, expires_in, nonce, tag, include_alg,
                 digest, now)


def sign_response(status: int, headers: Headers = None, body: Body = None, *, key: "_core.SigningKey",
                  request: Optional[Mapping[str, Any]] = None, label: str = "sig1",
                  components: Optional[Sequence[str]] = None, expires_in: Optional[Seconds] = None,
                  nonce: Union[str, bool, None] = None, tag: Optional[str] = None, include_alg: bool = True,
                  digest: str = "sha-256", now: Optional[Instant] = None) -> Dict[str, str]:
    """Signs a response (``@status`` first by default). ``request`` is a mapping with
    ``method``, ``url``, ``headers`` and ``body``, for components marked ``;req``."""
    return _sign("", "", status, headers, body, request, key, label, components, expires_in, nonce, tag,
                 include_alg, digest, now)


def _verify(method: str, url: str, status: int, headers: Headers, body: Body, request: Any, keys: Keys,
            nonces: Optional["_core.NonceCache"], tolerance: Seconds, require_nonce: bool,
            required_components: Sequence[str], label: Optional[str], require_content_digest: bool,
            now: Optional[Instant]) -> "_core.Verification":
    # As in _sign: the common argument types pass straight through.
    return _core_verify(method, url, status, headers, body, None if request is None else _request(request),
                        keys if type(keys) is _core.KeyRing else _ring(keys),
                        tolerance if type(tolerance) is int else _seconds(tolerance, "tolerance"), require_nonce,
                        required_components if type(required_components) in (list, tuple)
                        else list(required_components),
                        label or "", require_content_digest, nonces, now if type(now) is int else _now(now))


def verify_request(method: str, url: str, headers: Headers = None, body: Body = None, *, keys: Keys,
                   nonces: Optional["_core.NonceCache"] = None, tolerance: Seconds = 300,
                   require_nonce: bool = False, required_components: Sequence[str] = (),
                   label: Optional[str] = None, require_content_digest: bool = True,
                   now: Optional[Instant] = None) -> "_core.Verification":
    """Verifies a request's signature (the ``label`` given, or the first whose keyid
    ``keys`` holds). Never raises for a bad signature: read ``.valid`` and ``.code``."""
    return _verify(method, url, 0, headers, body, None, keys, nonces, tolerance, require_nonce, required_components,
                   label, require_content_digest, now)


def verify_response(status: int, headers: Headers = None, body: Body = None, *, keys: Keys,
                    request: Optional[Mapping[str, Any]] = None, nonces: Optional["_core.NonceCache"] = None,
                    tolerance: Seconds = 300, require_nonce: bool = False, required_components: Sequence[str] = (),
                    label: Optional[str] = None, require_content_digest: bool = True,
                    now: Optional[Instant] = None) -> "_core.Verification":
    """Verifies a response's signature; ``request`` as for :func:`sign_response`."""
    return _verify("", "", status, headers, body, request, keys, nonces, tolerance, require_nonce,
                   required_components, label, require_content_digest, now)


def content_digest(body: Body, algorithm: str = "sha-256") -> str:
    """The Content-Digest value for a body: ``sha-256=:<base64>:``."""
    return str(_core.signing_content_digest(_body(body) or b"", algorithm))


def verify_content_digest(field: str, body: Body) -> bool:
    """True when every sha-256 / sha-512 digest in the field matches the body; False when
    one does not. Raises InvalidRequestError for a malformed field or one with neither."""
    return bool(_core.signing_verify_content_digest(field, _body(body) or b""))
