"""The registry's stores from Python: memory, SQLite and PostgreSQL give the same answers,
the persistent ones keep them across processes and reopening, two processes rotating the same
keys make exactly one successor per rotation, and a revocation in one process stops the key in
another. PostgreSQL runs against the server in FINFUSION_TEST_POSTGRES (make test starts a
throwaway one), each test in a database of its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pathlib
import sqlite3
import subprocess
import sys
import time

import pytest

import finfusion
from finfusion import hashing, registry

SUPPORT = pathlib.Path(__file__).resolve().parents[1] / "support"
sys.path.insert(0, str(SUPPORT))
from throwaway_postgres import fresh_database  # noqa: E402

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PEPPER = {"p1": b"\x07" * 32}


def fresh_postgres() -> str:
    """A new, empty database on the test server, as a libpq URI."""
    url = fresh_database("finfusion_py")
    if url is None:
        pytest.skip("no PostgreSQL server (make test starts one)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def persistent(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> str:
    """A fresh persistent store URL of each kind."""
    return "sqlite:" + str(tmp_path / "keys.db") if request.param == "sqlite" else fresh_postgres()


def make(store: str, seed: str = "store") -> registry.Registry:
    return registry.Registry(hashing.Hasher(PEPPER, current="p1"), seed=seed, store=store)


def story(reg: registry.Registry) -> str:
    parent = reg.create({"name": "Production API Key", "type": "production", "permissions": ["payments", "kyc"]},
                        now=NOW, actor="admin:alice")
    key = parent.key.reveal()
    for i in range(3):
        assert reg.verify(key, now=NOW + dt.timedelta(seconds=i), required=["payments:charge"], latency_ms=3.5).valid
    assert reg.verify(key, now=NOW, required=["reporting"]).code == "insufficient_scope"
    rotated = reg.rotate(parent.record.id, now=NOW + dt.timedelta(seconds=5), grace_period="1h")
    with pytest.raises(finfusion.ConflictError):
        reg.rotate(parent.record.id, now=NOW + dt.timedelta(seconds=6))
    reg.revoke(rotated.current.id, now=NOW + dt.timedelta(seconds=7), reason="leaked")
    later = NOW + dt.timedelta(seconds=30)
    records = reg.list()
    usage = [reg.get_usage(r.id, start="2025-12-31", end="2026-01-02") for r in records]
    logs = reg.logs(limit=1000)
    chain = reg.verify_chain()
    assert chain.ok and chain.chains == 1
    # PostgreSQL names each instance's chain; the events and their hashes are the same.
    events = [dataclasses.replace(e, writer="", _json="") for e in logs]
    return repr(([r.to_json() for r in records], [reg.status(r.id, now=later).code for r in records], usage,
                 events, chain.checked, chain.head))


def test_memory_and_persistent_stores_agree(persistent: str):
    assert story(make(persistent)) == story(make("memory:"))


def test_sqlite_persists_across_instances(tmp_path: pathlib.Path):
    url = "sqlite:" + str(tmp_path / "keys.db")
    first = make(url)
    created = first.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW)
    del first
    again = make(url, seed="other")
    assert again.verify(created.key.reveal(), now=NOW).valid
    assert [e.type for e in again.logs(limit=10)] == ["key.created", "key.accessed"]
    assert again.verify_chain().ok
    assert repr(again) == "Registry(store=sqlite:)"
    # It is a real SQLite file with the schema version recorded.
    with sqlite3.connect(str(tmp_path / "keys.db")) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
        assert db.execute("SELECT COUNT(*) FROM keys").fetchone() == (1,)


def test_bad_stores_are_typed(tmp_path: pathlib.Path):
    with pytest.raises(finfusion.InvalidRequestError):
        make("mysql://nowhere")
    with pytest.raises(finfusion.StorageUnavailableError) as unreachable:
        make("postgresql://u:sekrit@127.0.0.1:1/x?connect_timeout=2")
    assert "sekrit" not in str(unreachable.value)
    with pytest.raises(finfusion.StorageUnavailableError):
        make("sqlite:" + str(tmp_path / "missing-dir" / "x" / "keys.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database " * 100)
    with pytest.raises(finfusion.StorageUnavailableError):
        make("sqlite:" + str(junk))
    with pytest.raises(TypeError):
        make(42)  # type: ignore[arg-type]


def test_two_processes_rotating_the_same_keys(persistent: str):
    url = persistent
    reg = make(url)
    ids = [reg.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW).record.id
           for _ in range(3)]
    # Two interpreters at once, each rotating the head of every chain round after round.
    worker = str(SUPPORT / "rotate_worker.py")
    workers = [subprocess.Popen([sys.executable, worker, url, seed, "30", *ids], stdout=subprocess.PIPE, text=True)
               for seed in ("a", "b")]
    total = 0
    for w in workers:
        out, _ = w.communicate(timeout=120)
        assert w.returncode == 0
        total += int(out)
    records = reg.list()
    assert len(records) == 3 + total
    successors = [r.replaces for r in records if r.replaces]
    assert len(successors) == len(set(successors))  # one successor per key
    report = reg.verify_chain()
    assert report.ok and report.checked == 3 + 2 * total


REVOKER = """
import datetime as dt, sys
from finfusion import hashing, registry
reg = registry.Registry(hashing.Hasher({"p1": b"\\x07" * 32}, current="p1"), store=sys.argv[1])
reg.revoke(sys.argv[2], now=dt.datetime(2026, 1, 1, 0, 1, tzinfo=dt.timezone.utc), reason="leaked")
"""


def test_a_revocation_in_another_process_stops_a_cached_key(persistent: str):
    reg = make(persistent)
    created = reg.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW)
    key = created.key.reveal()
    assert reg.verify(key, now=NOW).valid  # the record is cached now
    subprocess.run([sys.executable, "-c", REVOKER, persistent, created.record.id], check=True, timeout=60)
    # SQLite sees the commit at once; PostgreSQL as soon as its NOTIFY arrives (no cache lifetime).
    deadline = time.monotonic() + 2
    code = reg.verify(key, now=NOW).code
    while code != "revoked" and time.monotonic() < deadline:
        time.sleep(0.001)
        code = reg.verify(key, now=NOW).code
    assert code == "revoked"
    assert repr(reg) in ("Registry(store=sqlite:)", "Registry(store=postgresql:)")  # never the URL


def test_encrypted_export_and_import(tmp_path: pathlib.Path):
    source = make("memory:")
    story(source)
    kept = source.create({"name": "kept", "type": "production", "permissions": ["kyc"]}, now=NOW)
    master = b"\x2a" * 32
    text = source.export_encrypted(master, now=NOW)
    assert text.startswith("ffx1.") and kept.record.id not in text
    target = make("sqlite:" + str(tmp_path / "restored.db"), seed="target")
    target.import_encrypted(text, master)
    assert [r.to_json() for r in target.list()] == [r.to_json() for r in source.list()]
    assert [e.to_json() for e in target.logs(limit=1000)] == [e.to_json() for e in source.logs(limit=1000)]
    assert target.verify(kept.key.reveal(), now=NOW).valid
    with pytest.raises(finfusion.PreconditionFailedError):
        target.import_encrypted(text, master)
    empty = make("memory:")
    with pytest.raises(finfusion.InvalidRequestError) as e:
        empty.import_encrypted(text, b"\x2b" * 32)
    assert "wrong key" in str(e.value)
    with pytest.raises(finfusion.InvalidRequestError):
        empty.import_encrypted(text, b"short")
    with pytest.raises(TypeError):
        empty.import_encrypted(text, "not bytes")  # type: ignore[arg-type]
    assert empty.list() == []


def test_sqlite_holds_verifications_back_until_flushed(tmp_path: pathlib.Path):
    url = "sqlite:" + str(tmp_path / "keys.db")
    reg = make(url)
    created = reg.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW)
    assert reg.verify(created.key.reveal(), now=NOW).valid
    with sqlite3.connect(str(tmp_path / "keys.db")) as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (1,)
    reg.flush()
    with sqlite3.connect(str(tmp_path / "keys.db")) as db:
        assert db.execute("SELECT type FROM events ORDER BY seq").fetchall() == [("key.created",), ("key.accessed",)]


MASTERS = {"m1": b"\x11" * 32}
ROTATED = {"m1": b"\x11" * 32, "m2": b"\x22" * 32}


def test_sealed_secrets_persist_and_verify_requests(persistent: str, recorder):  # type: ignore[no-untyped-def]
    from finfusion import signing

    writer = make(persistent)
    with pytest.raises(finfusion.PreconditionFailedError):
        writer.webhook_secret("ep_orders")
    writer.set_master_keys(MASTERS, "m1")
    key = writer.create({"name": "ledger", "type": "production", "permissions": ["payments"]}, now=NOW)
    issued = writer.issue_signing_secret(key.record.id, now=NOW, algorithm="ed25519", actor="admin:alice")
    hook = writer.issue_webhook_secret("ep_orders", now=NOW)
    headers = {"content-type": "application/json"}
    added = signing.sign_request("POST", "https://api.example.com/v1/charges", headers, b"{}", key=issued, now=NOW)
    # Another process's registry (here: another connection) opens them with the same master keys.
    reader = make(persistent, seed="reader")
    reader.set_master_keys(MASTERS, "m1")
    opened = reader.signing_key(key.record.id)
    assert repr(opened) == f"SigningKey(key_id='{key.record.id}', algorithm='ed25519')"
    v = signing.verify_request("POST", "https://api.example.com/v1/charges", {**headers, **added}, b"{}",
                               keys=opened, now=NOW)
    assert v.valid and v.key_id == key.record.id
    assert reader.webhook_secret("ep_orders").reveal() == hook.reveal()
    # Master-key rotation: both instances hold m1 and m2, one re-seals, the other reads on.
    writer.set_master_keys(ROTATED, "m2")
    reader.set_master_keys(ROTATED, "m2")
    assert writer.reencrypt_secrets(now=NOW) == 2
    assert writer.reencrypt_secrets(now=NOW) == 0
    reader.set_master_keys({"m2": ROTATED["m2"]}, "m2")
    assert reader.webhook_secret("ep_orders").reveal() == hook.reveal()
    types = [e.type for e in reader.logs(event_types=["secret.issued", "secret.reencrypted"])]
    assert types == ["secret.issued", "secret.issued", "secret.reencrypted"]
    with pytest.raises(finfusion.NotFoundError):
        reader.webhook_secret("ep_missing")
    with pytest.raises(finfusion.InvalidRequestError):
        reader.issue_webhook_secret("bad endpoint", now=NOW)
    with pytest.raises(finfusion.InvalidRequestError):
        reader.set_master_keys({"m3": b"short"}, "m3")
    # No secret in the log or a repr (the suite's secret check reads what is recorded).
    recorder(issued, opened, hook, reader, writer, *reader.logs(limit=1000))
    issued.reveal_secret()
    hook_text = hook.reveal()
    assert all(hook_text not in e.to_json() for e in reader.logs(limit=1000))
    assert hook_text[6:] not in repr(reader.webhook_secret("ep_orders"))
