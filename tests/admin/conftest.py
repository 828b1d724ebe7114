"""A real admin service on 127.0.0.1 (uvicorn in a thread) over a SQLite registry, with a
token per role, for the API tests."""

from __future__ import annotations

import datetime as dt
import pathlib
import socket
import sys
import threading
import time
from typing import Any, Dict, Iterator

import httpx
import pytest
import uvicorn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "services" / "admin"))

from finfusion import hashing, ratelimit  # noqa: E402
from finfusion.registry import Registry  # noqa: E402
from finfusion_admin import AdminTokens, create_app  # noqa: E402

# Before the seed's "expiration": "2025-12-31", so that its curl command works verbatim.
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def service(tmp_path: pathlib.Path) -> Iterator[Dict[str, Any]]:
    hasher = hashing.Hasher({"p1": hashing.generate_pepper()}, current="p1")
    registry = Registry(hasher, store=f"sqlite:{tmp_path / 'keys.db'}")
    tokens = AdminTokens(tmp_path / "tokens.json", hasher)
    issued = {role: tokens.issue(role + "-user", role) for role in ("admin", "auditor", "verifier")}
    clock = Clock()
    app = create_app(registry, tokens, clock=clock, rate_limit=ratelimit.RateLimit(30, dt.timedelta(seconds=60)),
                     rotate_every=dt.timedelta(milliseconds=100))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.02)
    url = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=url, timeout=10) as client:
        yield {"url": url, "client": client, "tokens": issued, "clock": clock, "registry": registry,
               "token_file": tmp_path / "tokens.json", "app": app}
    server.should_exit = True
    thread.join(10)
