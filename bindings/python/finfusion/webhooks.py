"""Webhook signatures compatible with Standard Webhooks (``webhook-id``,
``webhook-timestamp``, ``webhook-signature: v1,<base64>``, ``whsec_`` secrets).

>>> secret = WebhookSecret.generate()                          # doctest: +SKIP
>>> headers = sign(secret, "msg_2KWPBgLl...", payload)          # the three headers to send
>>> v = verify(secret, headers, payload)                        # receiver side
>>> v.valid, v.code                                             # (True, 'valid')

A receiver rotating its secret passes both (``verify([new, old], ...)``); a sender may sign
with several (``sign([new, old], ...)``). Verification never raises for a bad signature.
"""

from __future__ import annotations

import datetime as _dt
import time as _time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _core
from .time import Instant, to_millis

__all__ = ["WebhookSecret", "WebhookVerification", "sign", "verify", "signature", "DEFAULT_TOLERANCE"]

WebhookSecret = _core.WebhookSecret
WebhookVerification = _core.WebhookVerification
DEFAULT_TOLERANCE = 300

Secrets = Union["_core.WebhookSecret", str, Sequence[Union["_core.WebhookSecret", str]]]
Payload = Union[bytes, bytearray, memoryview, str]


def _secrets(secrets: Secrets) -> List["_core.WebhookSecret"]:
    items = [secrets] if isinstance(secrets, (str, _core.WebhookSecret)) else list(secrets)
    return [s if isinstance(s, _core.WebhookSecret) else _core.WebhookSecret.parse(s) for s in items]


def _payload(payload: Payload) -> bytes:
    if isinstance(payload, str):
        return payload.encode("utf-8")
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    raise TypeError(f"payload must be bytes or str, not {type(payload).__name__}")


def _seconds(timestamp: Union[Instant, None]) -> int:
    ms = int(_time.time() * 1000) if timestamp is None else to_millis(timestamp)
    return ms // 1000


def signature(secret: Union["_core.WebhookSecret", str], msg_id: str, timestamp: Union[Instant, None],
              payload: Payload) -> str:
    """The ``v1,<base64>`` signature entry."""
    return str(_core.webhook_sign(_secrets(secret)[0], msg_id, _seconds(timestamp), _payload(payload)))


def sign(secrets: Secrets, msg_id: str, payload: Payload, *, timestamp: Union[Instant, None] = None) -> Dict[str, str]:
    """The headers to send: webhook-id, webhook-timestamp (now by default) and
    webhook-signature (one entry per secret)."""
    return dict(_core.webhook_headers(_secrets(secrets), msg_id, _seconds(timestamp), _payload(payload)))


def _header(headers: Mapping[str, Any], name: str) -> str:
    for k, v in headers.items():
        if isinstance(k, str) and k.lower() == name:
            return v if isinstance(v, str) else str(v)
    return ""


def verify(secrets: Secrets, headers: Mapping[str, Any], payload: Payload, *, now: Optional[Instant] = None,
           tolerance: Union[int, _dt.timedelta] = DEFAULT_TOLERANCE) -> "_core.WebhookVerification":
    """Checks a received webhook's headers (any case) and raw payload. A missing header is
    invalid_request, an old or future timestamp signature_expired, no matching signature
    signature_invalid."""
    tol = int(tolerance.total_seconds()) if isinstance(tolerance, _dt.timedelta) else tolerance
    now_ms = int(_time.time() * 1000) if now is None else to_millis(now)
    return _core.webhook_verify(_secrets(secrets), _header(headers, "webhook-id"), _header(headers, "webhook-timestamp"),
                                _header(headers, "webhook-signature"), _payload(payload), now_ms, tol)
