"""The runnable examples, run: the Python and Node payment services on one PostgreSQL
registry give the same status and code for the same requests, and the seed's SDK snippets
run as written in both languages with the same results.

Needs FINFUSION_TEST_POSTGRES (make test runs this under scripts/with-postgres.sh) and the
Node package (make wasm; the examples' node_modules link it)."""

from __future__ import annotations

import base64
import datetime as dt
import importlib.util
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
from typing import Dict, Iterator, List, Optional, Tuple

import httpx
import pytest

from finfusion import hashing, keys, signing
from finfusion.keys import TypeTable
from finfusion.registry import Registry

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("throwaway_postgres", ROOT / "tests" / "support" / "throwaway_postgres.py")
assert spec and spec.loader
throwaway_postgres = importlib.util.module_from_spec(spec)
spec.loader.exec_module(throwaway_postgres)

# Restricted keys must sign their requests; production keys get a burst of 8 that refills
# slowly, so that the rate limit is reached in a few requests however slow the machine.
TABLE = json.dumps({"restricted": {"requires_signed_requests": True},
                    "production": {"rate_limit": {"requests": 8, "window": "60s"}}})
NOW = dt.datetime.now(dt.timezone.utc)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(port: int, process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read() if process.stdout else "exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("the service did not start")


@pytest.fixture(scope="module")
def fleet() -> Iterator[Dict[str, object]]:
    url = throwaway_postgres.fresh_database("examples")
    if url is None:
        pytest.skip("FINFUSION_TEST_POSTGRES is not set")
    pepper, master = hashing.generate_pepper(), hashing.generate_pepper()
    env = dict(os.environ, FINFUSION_REGISTRY=url, FINFUSION_TYPE_TABLE=TABLE,
               FINFUSION_PEPPERS="p1=" + base64.b64encode(pepper).decode(),
               FINFUSION_SECRET_KEYS="m1=" + base64.b64encode(master).decode())
    admin = Registry(hashing.Hasher({"p1": pepper}, current="p1"), TypeTable(TABLE), store=url)
    admin.set_master_keys({"m1": master}, "m1")
    services: Dict[str, str] = {}
    processes: List[subprocess.Popen] = []  # type: ignore[type-arg]
    commands = {"python": [sys.executable, str(ROOT / "examples/python_service/service.py")],
                "node": ["node", str(ROOT / "examples/node_service/server.mjs")]}
    for name, command in commands.items():
        port = free_port()
        p = subprocess.Popen(command + ["--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, cwd=ROOT / "examples" / f"{name}_service")
        processes.append(p)
        wait_for(port, p)
        services[name] = f"http://127.0.0.1:{port}"
    try:
        yield {"admin": admin, "services": services}
    finally:
        for p in processes:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            if p.stdout:
                p.stdout.close()


def create(admin: Registry, **fields: object) -> Tuple[str, str]:
    body = {"name": "example", "type": "production", "permissions": ["payments"], **fields}
    c = admin.create(body, now=NOW, actor="admin:test")
    return c.key.reveal(), c.record.id


def ask(base: str, method: str, key: Optional[str], *, body: bytes = b"", signer: Optional[signing.SigningKey] = None,
        tamper: bool = False) -> Tuple[int, str]:
    headers: Dict[str, str] = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    url = f"{base}/v1/payments"
    if signer is not None:
        headers.update(signing.sign_request(method, url, headers, body, key=signer, nonce=True))
    if tamper:
        body = body + b" "
    r = httpx.request(method, url, headers=headers, content=body, timeout=10)
    return r.status_code, r.json().get("error", {}).get("code", "valid")


def both(fleet: Dict[str, object], *args: object, **kwargs: object) -> Tuple[int, str]:
    answers = {name: ask(base, *args, **kwargs) for name, base in fleet["services"].items()}  # type: ignore[attr-defined]
    assert answers["python"] == answers["node"], answers
    return answers["python"]


def test_both_services_give_the_same_answers(fleet):
    admin: Registry = fleet["admin"]
    key, key_id = create(admin, permissions=["payments"])
    assert both(fleet, "GET", key) == (200, "valid")
    assert both(fleet, "POST", key, body=b"{\"amount\": 1000}") == (201, "valid")
    assert both(fleet, "GET", None) == (401, "malformed_key")
    assert both(fleet, "GET", key[:-1] + ("A" if key[-1] != "A" else "B")) == (401, "bad_checksum")
    assert both(fleet, "GET", "prod_" + "x" * 16 + "_" + "y" * 43)[0] == 401
    reader, _ = create(admin, permissions=["payments:read"])
    assert both(fleet, "GET", reader) == (200, "valid")
    assert both(fleet, "POST", reader, body=b"{}") == (403, "insufficient_scope")
    dev, _ = create(admin, type="development")
    assert both(fleet, "GET", dev) == (403, "environment_mismatch")
    gone, gone_id = create(admin)
    admin.revoke(gone_id, now=NOW, reason="test", actor="admin:test")
    assert both(fleet, "GET", gone) == (401, "revoked")


def test_restricted_keys_must_sign(fleet):
    admin: Registry = fleet["admin"]
    _, parent_id = create(admin, permissions=["payments"])
    restricted, restricted_id = create(admin, type="restricted", permissions=["payments:charge"], service="payments-api",
                                       parentKeyId=parent_id)
    secret = admin.issue_signing_secret(restricted_id, now=NOW, actor="admin:test")
    assert both(fleet, "POST", restricted, body=b'{"amount": 5}') == (401, "signature_invalid")
    assert both(fleet, "POST", restricted, body=b'{"amount": 5}', signer=secret) == (201, "valid")
    assert both(fleet, "POST", restricted, body=b'{"amount": 5}', signer=secret, tamper=True) == (401, "signature_invalid")
    stranger = signing.SigningKey.generate(restricted_id, "hmac-sha256")
    assert both(fleet, "POST", restricted, body=b"{}", signer=stranger) == (401, "signature_invalid")


def test_rate_limits_answer_429(fleet):
    admin: Registry = fleet["admin"]
    for name, base in fleet["services"].items():
        key, _ = create(admin)
        answers = [ask(base, "GET", key) for _ in range(12)]
        assert (429, "rate_limited") in answers, (name, answers)
        r = httpx.get(f"{base}/v1/payments", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1


def test_both_services_record_usage_in_the_shared_registry(fleet):
    admin: Registry = fleet["admin"]
    key, key_id = create(admin)
    both(fleet, "GET", key)
    admin.flush()
    deadline = time.monotonic() + 5
    while True:
        usage = admin.get_usage(key_id, start=NOW - dt.timedelta(days=1), end=NOW + dt.timedelta(days=1))
        if usage["requests"] == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.2)  # each service writes its verifications out within a second
    assert usage["requests"] == 2
    actors = {e.actor for e in admin.logs(key_id, event_types=["key.accessed"])}
    assert actors == {"key:" + key_id}


def test_the_seeds_sdk_snippets_run_as_written_in_both_languages():
    env = dict(os.environ, FINFUSION_API_KEY=keys.generate("production").reveal())
    python = subprocess.run([sys.executable, str(ROOT / "examples/sdk_usage/sdk_usage.py")], env=env,
                            capture_output=True, text=True, check=True).stdout
    node = subprocess.run(["node", str(ROOT / "examples/sdk_usage/sdk_usage.mjs")], env=env, capture_output=True,
                          text=True, check=True, cwd=ROOT / "examples/sdk_usage").stdout
    steps = [json.loads(line) for line in python.splitlines()]
    assert steps == [json.loads(line) for line in node.splitlines()]
    assert steps[0] == {"step": "rotate", "replaces": True, "graceHours": 48}
    assert steps[1] == {"step": "verify", "valid": True, "code": "valid"}
    assert steps[3]["types"] == ["key.created", "key.rotated"]
