"""Notification mail from the admin service, against a real SMTP server on 127.0.0.1
(aiosmtpd): a rotation's notice reaches its notifyEmails once, a mail server that is down
loses nothing (the notice waits in the outbox and goes out, once, after the backoff), and
warnings and alerts reach the alert recipients."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.message
import email.policy
import threading
import time
from typing import Any, Callable, Dict, Iterator, List

import pytest
from aiosmtpd.controller import Controller

from finfusion.registry import Registry
from finfusion_admin import Mailer, SmtpSettings

from admin_harness import Clock, free_port


class Inbox:
    """What the SMTP server received: (envelope recipients, parsed message)."""

    def __init__(self) -> None:
        self.mail: List[Any] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mail.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def received(self) -> List[Any]:
        with self.lock:
            return list(self.mail)


def smtp_server(port: int) -> Controller:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def inbox() -> Iterator[Controller]:
    controller = smtp_server(free_port())
    yield controller
    controller.stop()


def mailing(port: int, alert_to: List[str] = []) -> Callable[[Registry, Clock], Mailer]:
    def make(registry: Registry, clock: Clock) -> Mailer:
        registry.set_alert_recipients(alert_to)
        return Mailer(registry, SmtpSettings("127.0.0.1", port, "keys@finfusion.test"), worker="test-mailer",
                      clock=clock, warn_every=dt.timedelta(0))
    return make


def eventually(check: Callable[[], Any], timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def bearer(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_and_rotate(svc: Dict[str, Any], emails: List[str]) -> Dict[str, Any]:
    admin = bearer(svc["tokens"]["admin"])
    created = svc["client"].post("/v1/api-keys", headers=admin, json={
        "name": "Payments", "type": "production", "permissions": ["payments"]}).json()
    rotated = svc["client"].post(f"/v1/api-keys/{created['record']['id']}/rotate", headers=admin,
                                 json={"gracePeriod": "48h", "notifyEmails": emails})
    assert rotated.status_code == 200
    return {"created": created, "rotated": rotated.json()}


def outbox(svc: Dict[str, Any]) -> List[Dict[str, Any]]:
    response = svc["client"].get("/v1/notifications", headers=bearer(svc["tokens"]["auditor"]))
    assert response.status_code == 200
    result: List[Dict[str, Any]] = response.json()["notifications"]
    return result


def test_a_rotation_notice_is_mailed_to_its_notify_emails_once(start_service: Callable[..., Dict[str, Any]],
                                                               inbox: Controller) -> None:
    svc = start_service(mailer=mailing(inbox.port), notify_every=dt.timedelta(milliseconds=50))
    made = create_and_rotate(svc, ["ops@example.com", "security@example.com"])
    ((recipients, message),) = eventually(inbox.handler.received)
    assert recipients == ["ops@example.com", "security@example.com"]
    assert message["From"] == "keys@finfusion.test"
    assert message["To"] == "ops@example.com, security@example.com"
    assert message["Subject"] == 'FinFusion Keys: API key "Payments" was rotated'
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@finfusion-keys>")
    body = message.get_content()
    assert made["rotated"]["id"] in body and "2025-06-03T12:00:00.000Z" in body
    for secret in (made["rotated"]["key"], made["created"]["key"]):
        assert secret not in message.as_string()
    eventually(lambda: outbox(svc)[0]["status"] == "sent")
    time.sleep(0.3)  # more rounds: nothing is sent twice
    assert len(inbox.handler.received()) == 1
    (sent,) = outbox(svc)
    assert sent["attempts"] == 1 and sent["sentAt"] == "2025-06-01T12:00:00.000Z"
    assert svc["client"].get("/v1/notifications", headers=bearer(svc["tokens"]["verifier"])).status_code == 403
    assert 'finfusion_notifications_total{outcome="sent"} 1.0' in svc["client"].get("/metrics").text


def test_a_mail_server_that_is_down_loses_nothing(start_service: Callable[..., Dict[str, Any]]) -> None:
    port = free_port()  # nothing listens there yet
    svc = start_service(mailer=mailing(port), notify_every=dt.timedelta(milliseconds=50))
    create_and_rotate(svc, ["ops@example.com"])
    failed = eventually(lambda: [n for n in outbox(svc) if n["attempts"] == 1])
    assert failed[0]["status"] == "pending"
    assert "ConnectionRefusedError" in failed[0]["lastError"]
    assert failed[0]["dueAt"] == "2025-06-01T12:00:30.000Z"  # the first backoff
    controller = smtp_server(port)
    try:
        time.sleep(0.3)  # up, but the notice is not due again yet
        assert controller.handler.received() == []
        svc["clock"].now += dt.timedelta(seconds=30)
        eventually(controller.handler.received)
        eventually(lambda: outbox(svc)[0]["status"] == "sent")
        time.sleep(0.3)
        assert len(controller.handler.received()) == 1
        assert outbox(svc)[0]["attempts"] == 2
    finally:
        controller.stop()


def test_warnings_and_alerts_reach_the_alert_recipients(start_service: Callable[..., Dict[str, Any]],
                                                        inbox: Controller) -> None:
    svc = start_service(mailer=mailing(inbox.port, ["security@example.com"]), notify_every=dt.timedelta(milliseconds=50))
    admin = bearer(svc["tokens"]["admin"])
    soon = svc["client"].post("/v1/api-keys", headers=admin, json={
        "name": "Short-lived", "type": "production", "permissions": ["payments"], "owner": "alice@example.com",
        "expiration": "2025-06-10"}).json()
    dev = svc["client"].post("/v1/api-keys", headers=admin, json={
        "name": "Laptop", "type": "development", "permissions": ["payments"]}).json()
    for _ in range(10):
        svc["client"].post("/v1/api-keys/verify", headers=admin, json={"key": dev["key"]})

    def subjects() -> Dict[str, List[str]]:
        return {m["Subject"]: rcpt for rcpt, m in inbox.handler.received()}
    got = eventually(lambda: len(subjects()) >= 2 and subjects())
    assert got['FinFusion Keys: API key "Short-lived" expires at 2025-06-11T00:00:00.000Z'] == \
        ["alice@example.com", "security@example.com"]
    assert got['FinFusion Keys: API key "Laptop" is at or near its rate limit'] == ["security@example.com"]
    assert soon["record"]["id"] in " ".join(m.get_content() for _, m in inbox.handler.received())


def test_warnings_are_scanned_for_at_most_every_warn_every() -> None:
    from finfusion import hashing
    registry = Registry(hashing.Hasher({"p1": hashing.generate_pepper()}, current="p1"))
    registry.set_alert_recipients(["security@example.com"])
    clock = Clock()
    port = free_port()  # nothing listens: nothing is due to be sent anyway
    hourly = Mailer(registry, SmtpSettings("127.0.0.1", port, "k@f.test"), worker="w", clock=clock)
    assert asyncio.run(hourly.run_once()) == (0, 0)  # the first round scans
    registry.create({"name": "soon", "type": "production", "permissions": ["payments"], "expiration": "2025-06-10"},
                    now=clock())
    asyncio.run(hourly.run_once())
    assert registry.notifications() == []  # scanned less than an hour ago
    eager = Mailer(registry, SmtpSettings("127.0.0.1", port, "k@f.test"), worker="w", clock=clock,
                   warn_every=dt.timedelta(0))
    sent, failed = asyncio.run(eager.run_once())
    assert (sent, failed) == (0, 1)  # queued, claimed, and refused by the missing server
    assert [n.kind for n in registry.notifications()] == ["key.expiring"]
