"""Suite-wide secret hygiene: every key, webhook secret and request-signing secret revealed
anywhere in the suite is remembered, every FinFusionError message and every repr() the tests
record is kept, and the session fails if any kept text contains a secret (a whole key, or
any 12-character piece of its secret; a signing secret in hex or base64)."""

from __future__ import annotations

import base64
from typing import Any, Callable, Iterator

import pytest

import finfusion
from finfusion import _core
from secret_hygiene import OTHER, REVEALED, TEXTS, leaks, record, reveal_other

_reveal = _core.ApiKey.reveal
_reveal_webhook = _core.WebhookSecret.reveal
_reveal_signing = _core.SigningKey.reveal_secret
_init = finfusion.FinFusionError.__init__


def _recording_reveal(self: Any) -> str:
    text: str = _reveal(self)
    REVEALED.add(text)
    return text


def _recording_reveal_webhook(self: Any) -> str:
    text: str = _reveal_webhook(self)
    reveal_other("webhook secret", text[len("whsec_"):])
    return text


def _recording_reveal_signing(self: Any) -> bytes:
    raw: bytes = _reveal_signing(self)
    reveal_other("signing secret", raw.hex(), base64.b64encode(raw).decode().rstrip("="),
                 base64.urlsafe_b64encode(raw).decode().rstrip("="))
    return raw


def _recording_init(self: Any, message: str) -> None:
    TEXTS.append(message)
    _init(self, message)


_core.ApiKey.reveal = _recording_reveal  # type: ignore[method-assign]
_core.WebhookSecret.reveal = _recording_reveal_webhook  # type: ignore[method-assign]
_core.SigningKey.reveal_secret = _recording_reveal_signing  # type: ignore[method-assign]
finfusion.FinFusionError.__init__ = _recording_init  # type: ignore[method-assign]


@pytest.fixture
def recorder() -> Iterator[Callable[..., None]]:
    yield record


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    bad = [t for t in TEXTS if leaks(t)]
    if bad:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\nSECRET LEAK: {len(bad)} recorded texts contain a revealed key's secret")
    else:
        print(f"\nsecret hygiene: {len(TEXTS)} messages and reprs checked against "
              f"{len(REVEALED)} revealed keys and {len(OTHER)} forms of other secrets, no secret found")
