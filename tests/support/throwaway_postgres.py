"""A fresh database on the PostgreSQL server the tests were given (FINFUSION_TEST_POSTGRES,
set by scripts/with-postgres.sh, which make test always uses). Standard library only: the
pytest suite and the command-line tests share it."""

import itertools
import os
import subprocess
from typing import Optional

_numbers = itertools.count(1)


def fresh_database(prefix: str) -> Optional[str]:
    """A libpq URI for a new, empty database; None when no server was given. Raises
    RuntimeError when FINFUSION_REQUIRE_POSTGRES=1 and none was."""
    server = os.environ.get("FINFUSION_TEST_POSTGRES", "")
    if not server:
        if os.environ.get("FINFUSION_REQUIRE_POSTGRES") == "1":
            raise RuntimeError("FINFUSION_TEST_POSTGRES is not set")
        return None
    name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
    # psql runs without the sanitizer runtimes a sanitized test run preloads for itself.
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    subprocess.run(["psql", "-q", server, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True,
                   env=env, timeout=60)
    return server.rsplit("/", 1)[0] + "/" + name
