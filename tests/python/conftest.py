"""Suite-wide secret hygiene: every key revealed anywhere in the suite is remembered, every
FinFusionError message and every repr() the tests record is kept, and the session fails if
any kept text contains a secret (a whole key, or any 12-character piece of its secret)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest

import finfusion
from finfusion import _core
from secret_hygiene import REVEALED, TEXTS, leaks, record

_reveal = _core.ApiKey.reveal
_init = finfusion.FinFusionError.__init__


def _recording_reveal(self: Any) -> str:
    text: str = _reveal(self)
    REVEALED.add(text)
    return text


def _recording_init(self: Any, message: str) -> None:
    TEXTS.append(message)
    _init(self, message)


_core.ApiKey.reveal = _recording_reveal  # type: ignore[method-assign]
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
              f"{len(REVEALED)} revealed keys, no secret found")
