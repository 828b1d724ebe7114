"""A real admin service on 127.0.0.1 (uvicorn in a thread) over a SQLite registry, with a
token per role, for the API tests."""

from __future__ import annotations

import contextlib
import datetime as dt
import pathlib
import sys
from typing import Any, Callable, Dict, Iterator

import httpx
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "services" / "admin"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from admin_harness import NOW, Clock, running  # noqa: E402,F401
from finfusion import hashing, ratelimit  # noqa: E402
from finfusion.registry import Registry  # noqa: E402
from finfusion_admin import AdminTokens, create_app  # noqa: E402


@pytest.fixture
def start_service(tmp_path: pathlib.Path) -> Iterator[Callable[..., Dict[str, Any]]]:
    """Starts admin services over one SQLite registry file, with a token per role and a clock
    the test sets. Keyword arguments go to create_app; ``mailer`` may be a function of the
    registry and the clock that makes one. Returns what a test needs of the service."""
    hasher = hashing.Hasher({"p1": hashing.generate_pepper()}, current="p1")
    tokens = AdminTokens(tmp_path / "tokens.json", hasher)
    issued = {role: tokens.issue(role + "-user", role) for role in ("admin", "auditor", "verifier")}
    with contextlib.ExitStack() as stack:
        def start(**options: Any) -> Dict[str, Any]:
            registry = Registry(hasher, store=f"sqlite:{tmp_path / 'keys.db'}")
            clock = Clock()
            if callable(options.get("mailer")):
                options["mailer"] = options["mailer"](registry, clock)
            options.setdefault("rate_limit", ratelimit.RateLimit(30, dt.timedelta(seconds=60)))
            app = create_app(registry, tokens, clock=clock, **options)
            url = stack.enter_context(running(app))
            client = stack.enter_context(httpx.Client(base_url=url, timeout=10))
            return {"url": url, "client": client, "tokens": issued, "clock": clock, "registry": registry,
                    "token_file": tmp_path / "tokens.json", "app": app}
        yield start


@pytest.fixture
def service(start_service: Callable[..., Dict[str, Any]]) -> Dict[str, Any]:
    return start_service(rotate_every=dt.timedelta(milliseconds=100))
