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
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

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


# The four public functions are the core's own (plain CPython functions that bind their
# keyword arguments in C: a def around the core's entry point cost more than its own work on
# every request). They convert the common argument types themselves and hand the others to
# _seconds, _now, _request and _ring above. Their signatures, for type checkers:
if TYPE_CHECKING:
    def sign_request(method: str, url: str, headers: Headers = None, body: Body = None, *,
                     key: "_core.SigningKey", label: str = "sig1", components: Optional[Sequence[str]] = None,
                     expires_in: Optional[Seconds] = None, nonce: Union[str, bool, None] = None,
                     tag: Optional[str] = None, include_alg: bool = True, digest: str = "sha-256",
                     now: Optional[Instant] = None) -> Dict[str, str]: ...

    def sign_response(status: int, headers: Headers = None, body: Body = None, *, key: "_core.SigningKey",
                      request: Optional[Mapping[str, Any]] = None, label: str = "sig1",
                      components: Optional[Sequence[str]] = None, expires_in: Optional[Seconds] = None,
                      nonce: Union[str, bool, None] = None, tag: Optional[str] = None, include_alg: bool = True,
                      digest: str = "sha-256", now: Optional[Instant] = None) -> Dict[str, str]: ...

    def verify_request(method: str, url: str, headers: Headers = None, body: Body = None, *, keys: Keys,
                       nonces: Optional["_core.NonceCache"] = None, tolerance: Seconds = 300,
                       require_nonce: bool = False, required_components: Sequence[str] = (),
                       label: Optional[str] = None, require_content_digest: bool = True,
                       now: Optional[Instant] = None) -> "_core.Verification": ...

    def verify_response(status: int, headers: Headers = None, body: Body = None, *, keys: Keys,
                        request: Optional[Mapping[str, Any]] = None, nonces: Optional["_core.NonceCache"] = None,
                        tolerance: Seconds = 300, require_nonce: bool = False,
                        required_components: Sequence[str] = (), label: Optional[str] = None,
                        require_content_digest: bool = True, now: Optional[Instant] = None) -> "_core.Verification": ...
else:
    sign_request = _core.sign_request
    sign_response = _core.sign_response
    verify_request = _core.verify_request
    verify_response = _core.verify_response


def content_digest(body: Body, algorithm: str = "sha-256") -> str:
    """The Content-Digest value for a body: ``sha-256=:<base64>:``."""
    return str(_core.signing_content_digest(_body(body) or b"", algorithm))


def verify_content_digest(field: str, body: Body) -> bool:
    """True when every sha-256 / sha-512 digest in the field matches the body; False when
    one does not. Raises InvalidRequestError for a malformed field or one with neither."""
    return bool(_core.signing_verify_content_digest(field, _body(body) or b""))
