"""What the admin tests share: a clock the test sets, a free port, and a service run by
uvicorn in a thread (conftest.py makes the fixtures of them)."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from typing import Any, Iterator

import uvicorn

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


@contextlib.contextmanager
def running(app: Any) -> Iterator[str]:
    """Serves ``app`` with uvicorn on a free port in a thread; yields its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
