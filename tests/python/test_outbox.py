"""The registry's outbox from Python: rotation notices, warnings and alerts queued once per
cause, claims with leases, delivery outcomes with backoff, the same on every store; and two
processes claiming from one store deliver each notification once."""

from __future__ import annotations

import datetime as dt
import pathlib
import subprocess
import sys
from typing import Callable, List

import pytest

import finfusion
from finfusion import hashing, registry

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "support"))
from throwaway_postgres import fresh_database  # noqa: E402

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
PEPPER = {"p1": b"\x07" * 32}


def make(store: str, seed: str = "outbox") -> registry.Registry:
    return registry.Registry(hashing.Hasher(PEPPER, current="p1"), seed=seed, store=store)


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: pathlib.Path) -> str:
    if request.param == "memory":
        return "memory:"
    if request.param == "sqlite":
        return "sqlite:" + str(tmp_path / "keys.db")
    url = fresh_database("finfusion_outbox")
    if url is None:
        pytest.skip("no PostgreSQL server (make test starts one)")
    return url


def test_a_rotation_queues_its_notice_and_a_mailer_delivers_it(store: str, recorder: Callable[..., None]) -> None:
    reg = make(store)
    created = reg.create({"name": "Payments", "type": "production", "permissions": ["payments"]}, now=NOW)
    rotated = reg.rotate(created.record.id, now=NOW, grace_period="48h", notify_emails=["ops@example.com"])
    (notice,) = reg.notifications()
    assert rotated.key.reveal() not in notice.body  # revealed: the session's hygiene check looks for it too
    recorder(notice.subject, notice.body, repr(notice))
    assert isinstance(notice, registry.Notification)
    assert notice.kind == "key.rotated" and notice.kind in registry.NOTIFICATION_KINDS
    assert notice.key_id == created.record.id
    assert notice.recipients == ["ops@example.com"]
    assert notice.subject == 'FinFusion Keys: API key "Payments" was rotated'
    assert rotated.current.id in notice.body and "2026-01-03T00:00:00.000Z" in notice.body
    assert notice.status == "pending" and notice.attempts == 0
    assert notice.created_at == NOW and notice.lease_until is None and notice.sent_at is None

    claimed = reg.claim_notifications("mailer-1", now=NOW, lease="5m")
    assert [n.id for n in claimed] == [notice.id]
    assert claimed[0].claimed_by == "mailer-1" and claimed[0].lease_until == NOW + dt.timedelta(minutes=5)
    assert reg.claim_notifications("mailer-2", now=NOW) == []
    with pytest.raises(finfusion.ConflictError):
        reg.settle_notification(notice, "mailer-2", now=NOW, delivered=True)

    failed = reg.settle_notification(notice, "mailer-1", now=NOW, delivered=False, error="connection refused")
    assert failed.status == "pending" and failed.attempts == 1 and failed.last_error == "connection refused"
    assert failed.due_at == NOW + dt.timedelta(seconds=30)
    assert reg.claim_notifications("mailer-1", now=NOW + dt.timedelta(seconds=29)) == []
    again = reg.claim_notifications("mailer-1", now=NOW + dt.timedelta(seconds=30))
    sent = reg.settle_notification(again[0].id, "mailer-1", now=NOW + dt.timedelta(seconds=31), delivered=True)
    assert sent.status == "sent" and sent.sent_at == NOW + dt.timedelta(seconds=31) and sent.attempts == 2
    assert [n.id for n in reg.notifications(status="sent")] == [notice.id]
    assert reg.notifications(status="pending") == []
    assert sent.to_json() == reg.notifications(id=notice.id)[0].to_json()


def test_warnings_and_alerts_go_to_the_owner_and_the_alert_recipients(store: str) -> None:
    reg = make(store)
    reg.set_alert_recipients(["security@example.com"])
    with pytest.raises(finfusion.InvalidRequestError):
        reg.set_alert_recipients(["nobody"])
    owned = reg.create({"name": "Ledger", "type": "production", "permissions": ["payments"],
                        "owner": "alice@example.com", "expiration": "2026-02-01"}, now=NOW)
    assert reg.queue_warnings(now=NOW) == 0
    soon = dt.datetime(2026, 1, 25, tzinfo=dt.timezone.utc)
    assert reg.queue_warnings(now=soon) == 1
    assert reg.queue_warnings(now=soon + dt.timedelta(days=1)) == 0  # once per key and expiry
    (warning,) = reg.notifications()
    assert warning.kind == "key.expiring"
    assert warning.recipients == ["alice@example.com", "security@example.com"]
    assert owned.record.id in warning.body

    busy = reg.create({"name": "busy", "type": "development", "permissions": ["payments"]}, now=NOW)
    for _ in range(12):
        reg.verify(busy.key.reveal(), now=soon)
    alerts = [n for n in reg.notifications() if n.kind == "key.rate_limit"]
    assert len(alerts) == 1 and alerts[0].recipients == ["security@example.com"]


def test_bad_arguments_are_typed(store: str) -> None:
    reg = make(store)
    with pytest.raises(finfusion.InvalidRequestError):
        reg.claim_notifications("", now=NOW)
    with pytest.raises(finfusion.InvalidRequestError):
        reg.claim_notifications("m", now=NOW, limit=1000)
    with pytest.raises(finfusion.InvalidDurationError):
        reg.claim_notifications("m", now=NOW, lease="10ms")
    with pytest.raises(finfusion.NotFoundError):
        reg.settle_notification("key.rotated:prod_x:1", "m", now=NOW, delivered=True)
    with pytest.raises(finfusion.InvalidRequestError):
        reg.notifications(status="lost")


def test_an_export_carries_the_outbox(store: str) -> None:
    reg = make(store)
    created = reg.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW)
    reg.rotate(created.record.id, now=NOW, notify_emails=["ops@example.com"])
    key = b"\x01" * 32
    copy = make("memory:")
    copy.import_encrypted(reg.export_encrypted(key, now=NOW), key)
    assert [n.to_json() for n in copy.notifications()] == [n.to_json() for n in reg.notifications()]


WORKER = """
import sys, datetime as dt
from finfusion import hashing, registry
reg = registry.Registry(hashing.Hasher({"p1": b"\\x07" * 32}, current="p1"), store=sys.argv[1])
now = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)
while True:
    batch = reg.claim_notifications(sys.argv[2], now=now, limit=2, lease="1m")
    if not batch:
        break
    for n in batch:
        reg.settle_notification(n, sys.argv[2], now=now, delivered=True)
        print(n.id, flush=True)
"""


def test_two_processes_deliver_each_notification_once(tmp_path: pathlib.Path) -> None:
    stores: List[str] = ["sqlite:" + str(tmp_path / "keys.db")]
    url = fresh_database("finfusion_outbox")
    if url is not None:
        stores.append(url)
    for url in stores:
        reg = make(url)
        for i in range(40):
            c = reg.create({"name": f"k{i}", "type": "production", "permissions": ["payments"]}, now=NOW)
            reg.rotate(c.record.id, now=NOW, notify_emails=["ops@example.com"])
        del reg
        workers = [subprocess.Popen([sys.executable, "-c", WORKER, url, name], stdout=subprocess.PIPE, text=True)
                   for name in ("mailer-a", "mailer-b")]
        delivered: List[str] = []
        for w in workers:
            out, _ = w.communicate(timeout=120)
            assert w.returncode == 0
            delivered += out.split()
        assert len(delivered) == 40 and len(set(delivered)) == 40, url
        assert len(make(url).notifications(status="sent")) == 40
