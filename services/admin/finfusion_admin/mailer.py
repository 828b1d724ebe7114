"""Delivery of the registry's outbox over SMTP: rotation notices to a rotation's
``notifyEmails``, expiry and rotation-due warnings, anomaly and rate-limit alerts.

Each round queues the warnings now due, claims a batch of due notifications with a lease (so
several service instances never send the same one), sends them over one SMTP connection, and
settles each: sent, or failed with the server's reason, to be tried again after the core's
backoff (30 seconds doubling to an hour, twelve attempts). A mail server that is down loses
nothing: the notifications wait in the registry. An instance that dies between sending and
settling leaves its claim to run out, and the message is sent again with the same
Message-ID, which mail systems use to drop the duplicate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as _dt
import email.message
import email.policy
import email.utils
import hashlib
import smtplib
import ssl
import time
from typing import Callable, List, Optional, Sequence, Tuple

from finfusion import FinFusionError
from finfusion.registry import Notification, Registry


@dataclasses.dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. ``security`` is "none", "starttls" or "tls" (implicit TLS)."""

    host: str
    port: int
    sender: str
    security: str = "none"
    username: Optional[str] = None
    password: Optional[str] = dataclasses.field(default=None, repr=False)
    timeout: float = 10.0

    def __post_init__(self) -> None:
        if self.security not in ("none", "starttls", "tls"):
            raise ValueError("security: none, starttls or tls")
        if (self.username is None) != (self.password is None):
            raise ValueError("username and password go together")


def message_of(n: Notification, sender: str) -> email.message.EmailMessage:
    """The mail for a notification. Its Message-ID is derived from the notification's id, so a
    resend after a crash is recognisably the same message. Header lines may be as long as
    RFC 5322 allows (998), so that a subject is not folded before its first word."""
    msg = email.message.EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
    msg["From"] = sender
    msg["To"] = ", ".join(n.recipients)
    msg["Subject"] = n.subject
    msg["Date"] = email.utils.format_datetime(n.created_at)
    msg["Message-ID"] = f"<{hashlib.sha256(n.id.encode()).hexdigest()[:40]}@finfusion-keys>"
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-FinFusion-Notification"] = n.kind
    msg.set_content(n.body)
    return msg


def _reason(e: BaseException) -> str:
    """A failure as the outbox keeps it (the core cleans and cuts it)."""
    if isinstance(e, smtplib.SMTPResponseException):
        text = e.smtp_error.decode("utf-8", "replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
        return f"{type(e).__name__}: {e.smtp_code} {text}"
    return f"{type(e).__name__}: {e}"


class Mailer:
    """Sends the outbox of ``registry`` through ``settings``; ``worker`` names this instance
    in its claims (unique per instance)."""

    def __init__(self, registry: Registry, settings: SmtpSettings, *, worker: str,
                 clock: Callable[[], _dt.datetime], batch: int = 20, lease: str = "5m",
                 warn_every: _dt.timedelta = _dt.timedelta(hours=1)) -> None:
        self.registry, self.settings, self.worker, self.clock = registry, settings, worker, clock
        self.batch, self.lease, self.warn_every = batch, lease, warn_every
        self._warned: Optional[float] = None  # when warnings were last queued (monotonic)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if s.security == "tls":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=context)
        if s.username is not None and s.password is not None:
            smtp.login(s.username, s.password)
        return smtp

    def _send(self, batch: Sequence[Notification]) -> List[Optional[str]]:
        """Sends each over one connection; per notification, None or why it failed. Runs in
        a thread (it blocks); it does not touch the registry."""
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as e:
            return [_reason(e)] * len(batch)
        outcomes: List[Optional[str]] = []
        try:
            for n in batch:
                try:
                    smtp.send_message(message_of(n, self.settings.sender))
                    outcomes.append(None)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused,
                        ValueError) as e:
                    outcomes.append(_reason(e))  # this message: the connection is still good
                except (OSError, smtplib.SMTPException) as e:
                    outcomes += [_reason(e)] * (len(batch) - len(outcomes))
                    break
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        return outcomes

    async def run_once(self) -> Tuple[int, int]:
        """One round: queue the warnings due (at most every ``warn_every``: they are per date,
        and the scan reads every key), claim, send, settle. Returns (sent, failed). Registry
        calls run on the event loop's thread (the registry is not shared with the sending
        thread)."""
        started = time.monotonic()
        if self._warned is None or started - self._warned >= self.warn_every.total_seconds():
            self.registry.queue_warnings(now=self.clock())
            self._warned = started
        claimed = self.registry.claim_notifications(self.worker, now=self.clock(), limit=self.batch, lease=self.lease)
        if not claimed:
            return 0, 0
        outcomes = await asyncio.to_thread(self._send, claimed)
        sent = failed = 0
        for n, error in zip(claimed, outcomes):
            try:
                self.registry.settle_notification(n, self.worker, now=self.clock(), delivered=error is None,
                                                  error=error or "")
            except FinFusionError as e:
                if e.code != "conflict":  # the lease ran out and another instance took it over
                    raise
            if error is None:
                sent += 1
            else:
                failed += 1
        return sent, failed
