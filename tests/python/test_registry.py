import copy
import dataclasses
import datetime as dt
import inspect
import pickle
from typing import Any, Callable, Dict, List, Tuple

import pytest

import finfusion
from finfusion import hashing, registry

NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.timezone.utc)
HOUR = dt.timedelta(hours=1)
SEED = {"name": "Production API Key", "type": "production",
        "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"}


def fresh() -> registry.Registry:
    return registry.Registry(hashing.Hasher({"p1": hashing.generate_pepper()}, current="p1"))


def test_the_seeds_calls(recorder):
    reg = fresh()
    created = reg.create(SEED, now=NOW, actor="admin:alice")
    key = created.key.reveal()
    recorder(created, created.record, reg)
    assert created.record.expires_at == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    d = reg.verify(key, now=NOW, required=["payments:charge"], environment="production")
    assert (d.valid, d.code, d.key_id) == (True, "valid", created.record.id)
    recorder(d)
    rotated = reg.rotate(created.record.id, now=NOW, grace_period="48h", notify_emails=["security@yourcompany.com"])
    assert rotated.current.version == 2 and rotated.previous.replaced_by == rotated.current.id
    assert reg.status(rotated.current.id, now=NOW).valid
    edge = reg.verify(key, now=NOW + 48 * HOUR - dt.timedelta(milliseconds=1))
    assert edge.valid and edge.in_grace and edge.grace_until == NOW + 48 * HOUR
    assert reg.verify(key, now=NOW + 48 * HOUR).code == "expired"
    logs = reg.logs(created.record.id, limit=100, event_types=["key.created", "key.rotated", "key.accessed"])
    assert [e.type for e in logs] == ["key.created", "key.accessed", "key.rotated", "key.accessed"]
    assert logs[2].details["notifyEmails"] == ["security@yourcompany.com"]
    assert reg.verify_chain().ok
    for e in reg.logs(limit=1000):
        recorder(e)
        assert key[22:40] not in e.to_json()


def test_refusals_are_values_and_bad_arguments_raise():
    reg = fresh()
    created = reg.create(SEED, now=NOW)
    key = created.key.reveal()
    assert reg.verify("garbage", now=NOW).code == "malformed_key"
    assert reg.verify(key, now=NOW, environment="sandbox").code == "environment_mismatch"
    assert reg.verify(key, now=NOW, required=["payouts"]).code == "insufficient_scope"
    # Any iterable of str names the required scopes; the same list again reuses its parse.
    for required in (("payments:charge",), {"payments:charge"}, (s for s in ["payments:charge"]),
                     {"payments:charge": 1}.keys(), ["payments:charge"], ["payments:charge"]):
        assert reg.verify(key, now=NOW, required=required).valid
    assert reg.verify(key, now=NOW, required=iter(["payments:charge", "payouts"])).code == "insufficient_scope"
    with pytest.raises(TypeError):
        reg.verify(key, now=NOW, required=5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="each required scope must be str"):
        reg.verify(key, now=NOW, required=[b"payments"])  # type: ignore[list-item]
    revoked = reg.revoke(created.record.id, now=NOW, reason="leaked")
    assert revoked.status == "revoked" and revoked.revoked_at == NOW
    assert reg.verify(key, now=NOW).code == "revoked"
    with pytest.raises(finfusion.ConflictError):
        reg.revoke(created.record.id, now=NOW)
    with pytest.raises(finfusion.InvalidScopeError):
        reg.verify(key, now=NOW, required=["Payments"])
    with pytest.raises(finfusion.InvalidDurationError):
        reg.rotate(created.record.id, now=NOW, grace_period="-1h")
    with pytest.raises(finfusion.NotFoundError):
        reg.get("prod_0000000000000000")
    with pytest.raises(finfusion.InvalidRequestError):
        reg.create({**SEED, "expiration": "2020-01-01"}, now=NOW)
    with pytest.raises(TypeError):
        pickle.dumps(reg)


def test_restricted_keys_and_rate_limits():
    reg = fresh()
    parent = reg.create({"name": "p", "type": "production", "permissions": ["payments", "!payments:refund"]}, now=NOW)
    child = reg.create({"name": "c", "type": "restricted", "service": "ledger", "permissions": ["payments:charge"],
                        "parentKeyId": parent.record.id}, now=NOW)
    assert reg.verify(child.key.reveal(), now=NOW, required=["payments:charge"], service="ledger").valid
    assert reg.verify(child.key.reveal(), now=NOW, service="reports").code == "insufficient_scope"
    with pytest.raises(finfusion.InsufficientScopeError):
        reg.create({"name": "g", "type": "restricted", "service": "ledger", "permissions": ["payments"],
                    "parentKeyId": parent.record.id}, now=NOW)
    dev = reg.create({"name": "dev", "type": "development", "permissions": []}, now=NOW)
    results = [reg.verify(dev.key.reveal(), now=NOW).code for _ in range(11)]
    assert results == ["valid"] * 10 + ["rate_limited"]
    limited = reg.verify(dev.key.reveal(), now=NOW)
    assert limited.retry_after == dt.timedelta(milliseconds=100)
    assert len(reg.list()) == 3


def test_get_usage_as_the_seed_asks():
    reg = fresh()
    created = reg.create(SEED, now=NOW)
    for ms in (10, 20, 30, 40):
        reg.verify(created.key.reveal(), now=NOW, latency_ms=ms)
    reg.verify(created.key.reveal(), now=NOW, required=["payouts"], latency_ms=5)
    usage = reg.get_usage(created.record.id, start="2025-06-01", end="2025-06-01",
                          metrics=["requests", "errors", "latency"])
    assert (usage["requests"], usage["errors"], usage["latency"]["count"]) == (5, 1, 5)
    assert usage["timeframe"] == {"start": "2025-06-01T00:00:00.000Z", "end": "2025-06-02T00:00:00.000Z"}
    assert abs(usage["latency"]["p50Ms"] - 20) <= 20 / 16
    only_errors = reg.get_usage(created.record.id, start=NOW, end=NOW + HOUR, metrics=["errors"])
    assert "requests" not in only_errors and only_errors["errors"] == 1
    with pytest.raises(finfusion.InvalidRequestError):
        reg.get_usage(created.record.id, start="2025-06-01", end="2025-06-01", metrics=["cpu"])
    with pytest.raises(finfusion.NotFoundError):
        reg.get_usage("prod_0000000000000000", start="2025-06-01", end="2025-06-01")


def test_actors_that_are_not_text_are_refused_not_crashed():
    reg = fresh()
    with pytest.raises(finfusion.InvalidRequestError, match="actor"):
        reg.create(SEED, now=NOW, actor="admin\udcff")
    created = reg.create(SEED, now=NOW, actor="admin:élodie")
    with pytest.raises(finfusion.InvalidRequestError, match="reason"):
        reg.revoke(created.record.id, now=NOW, reason="a\ud800")
    assert reg.verify_chain().ok


def test_automated_rotation_rotates_what_is_due_once():
    reg = fresh()
    old = reg.create({"name": "old", "type": "production", "permissions": ["payments"]}, now=NOW)
    young = reg.create({"name": "young", "type": "production", "permissions": ["payments"]},
                       now=NOW + dt.timedelta(days=60))
    later = NOW + dt.timedelta(days=95)
    made = reg.rotate_due(now=later, grace_period="48h", notify_emails=["security@yourcompany.com"], actor="cron")
    assert [r.previous.id for r in made] == [old.record.id]
    assert made[0].previous.grace_until == later + dt.timedelta(hours=48)
    assert reg.verify(made[0].key.reveal(), now=later).valid
    assert reg.rotate_due(now=later + dt.timedelta(hours=1), actor="cron") == []
    assert reg.get(young.record.id).replaced_by == ""
    with pytest.raises(finfusion.InvalidDurationError):
        reg.rotate_due(now=later, grace_period="soon")


def test_verify_keeps_each_registry_apart_as_they_alternate_and_are_replaced() -> None:
    # Registry.verify remembers the last registry's verification state; registries that
    # take turns, and registries dropped and made again (their objects likely at the same
    # addresses), each decide with their own keys and record their own accesses.
    import gc
    for _ in range(40):
        first, second = fresh(), fresh()
        a = first.create({"name": "a", "type": "production", "permissions": ["payments"]}, now=NOW).key.reveal()
        b = second.create({"name": "b", "type": "production", "permissions": ["kyc"]}, now=NOW).key.reveal()
        for _ in range(3):
            assert first.verify(a, now=NOW).permissions == ["payments"]
            assert second.verify(a, now=NOW).code == "not_found"
            assert second.verify(b, now=NOW).permissions == ["kyc"]
            assert first.verify(b, now=NOW).code == "not_found"
        assert [e.type for e in first.logs(limit=10, event_types=["key.accessed"])] == ["key.accessed"] * 3
        assert [e.type for e in second.logs(limit=10, event_types=["key.accessed"])] == ["key.accessed"] * 3
        del first, second
        gc.collect()


def test_verify_binds_its_arguments_as_a_def_would() -> None:
    # Registry.verify is the core's own method (a method descriptor on the class): it binds its
    # arguments in C as `def verify(self, key, *, now, required=(), ...)` would, with Python's
    # errors for what that def would refuse, and each default that def had.
    reg = fresh()
    created = reg.create({"name": "k", "type": "production", "permissions": ["payments"]}, now=NOW)
    key = created.key.reveal()
    assert reg.verify(key, now=NOW).valid and reg.verify(key=key, now=NOW).valid
    keyword: Dict[str, Any] = {"now": NOW, "required": ["payments"], "environment": "production",
                               "service": None, "cost": 2, "actor": "svc:a", "latency_ms": 1.5, "signed_by": ""}
    d = reg.verify(key, **keyword)  # built at run time: names the compiler did not intern
    assert d.valid and d.rate_limit["remaining"] == reg.verify(key, now=NOW).rate_limit["remaining"] + 1
    assert reg.logs(limit=2)[0].actor == "svc:a"
    assert reg.verify(key, now=NOW, required=["admin"]).code == "insufficient_scope"
    assert reg.verify(key, now=NOW).valid  # required back to its default, (), not the last call's
    calls: List[Tuple[Callable[[], object], str]] = [
        (lambda: reg.verify(key), r"verify\(\) missing required argument 'now'"),  # type: ignore[call-arg]
        (lambda: reg.verify(now=NOW), r"verify\(\) missing required argument 'key'"),  # type: ignore[call-arg]
        (lambda: reg.verify(key, NOW), r"verify\(\) takes at most 1 positional argument"),  # type: ignore[call-arg]
        (lambda: reg.verify(key, now=NOW, scopes=["a"]),  # type: ignore[call-arg]
         r"verify\(\) got an unexpected keyword argument 'scopes'"),
        (lambda: reg.verify(key, key=key, now=NOW),  # type: ignore[misc]
         r"verify\(\) got multiple values for argument 'key'"),
        (lambda: reg.verify(key, now=NOW, cost=True), r"cost must be int, not bool"),
        (lambda: registry.Registry.verify(object(), key, now=NOW),  # type: ignore[arg-type]
         r"descriptor 'verify' .*'object'"),
    ]
    for call, message in calls:
        with pytest.raises(TypeError, match=message):
            call()
    signature = inspect.signature(registry.Registry.verify)
    assert list(signature.parameters)[:3] == ["self", "key", "now"]
    assert signature.parameters["now"].kind is inspect.Parameter.KEYWORD_ONLY
    assert signature.parameters["signed_by"].default == "" and signature.parameters["cost"].default == 1
    assert (registry.Registry.verify.__doc__ or "").startswith("Verifies a presented key")


def test_verification_reads_every_form_of_now_and_follows_each_change_of_context():
    reg = fresh()
    created = reg.create({"name": "k", "type": "production", "permissions": ["payments", "kyc"],
                          "expiration": "2025-12-31"}, now=NOW)
    key = created.key.reveal()
    ms = int(NOW.timestamp() * 1000)
    # A UTC datetime, another zone, epoch milliseconds: the same instant, the same decision.
    plus_two = NOW.astimezone(dt.timezone(dt.timedelta(hours=2)))
    decisions = [reg.verify(key, now=n) for n in (NOW, plus_two, ms, NOW + dt.timedelta(microseconds=999))]
    assert {d.code for d in decisions} == {"valid"}
    assert [e.at for e in reg.logs(limit=4)] == [NOW] * 4
    before_epoch = dt.datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=dt.timezone.utc)
    reg.verify(key, now=before_epoch)  # refused (its limiter is ahead of it), and logged at that instant
    assert reg.logs(limit=1)[0].at == dt.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=dt.timezone.utc)
    with pytest.raises(finfusion.InvalidTimestampError):
        reg.verify(key, now=dt.datetime(2025, 6, 1))  # naive
    with pytest.raises(TypeError):
        reg.verify(key, now=True)
    # The context: a list changed in place, a tuple, a generator, each environment and actor.
    required = ["payments"]
    assert reg.verify(key, now=NOW, required=required).valid
    required[0] = "admin"
    assert reg.verify(key, now=NOW, required=required).code == "insufficient_scope"
    assert reg.verify(key, now=NOW, required=("kyc",)).valid
    assert reg.verify(key, now=NOW, required=(s for s in ["kyc", "payments:refund"])).valid
    assert reg.verify(key, now=NOW, environment="sandbox").code == "environment_mismatch"
    assert reg.verify(key, now=NOW, actor="svc:a").valid and reg.verify(key, now=NOW, actor="svc:b").valid
    assert [e.actor for e in reg.logs(limit=2)] == ["svc:a", "svc:b"]
    with pytest.raises(TypeError):
        reg.verify(key, now=NOW, required=[7])
    with pytest.raises(TypeError):
        reg.verify(key, now=NOW, cost=1.5)
    with pytest.raises(finfusion.InvalidRequestError):
        reg.verify(key, now=NOW, environment="staging")
    d = reg.verify(key, now=NOW, latency_ms=3)
    assert d == registry.Decision(True, "valid", created.record.id, "production", "production", ["kyc", "payments"],
                                  dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), False, "", None,
                                  {"limit": 100, "remaining": d.rate_limit["remaining"], "retryAfterMs": 0})
    assert d.permissions is not reg.verify(key, now=NOW).permissions  # each decision its own list
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.valid = False  # type: ignore[misc]
    assert '"keyId":"' + created.record.id + '"' in d.to_json()
    # Decisions are slotted values built in C: they compare, copy and pickle as dataclasses do.
    assert not hasattr(d, "__dict__") and repr(d).startswith("Decision(valid=True, code='valid'")
    assert dataclasses.asdict(d)["rate_limit"] == d.rate_limit and dataclasses.replace(d, valid=False).valid is False
    for twin in (pickle.loads(pickle.dumps(d)), copy.copy(d), copy.deepcopy(d)):
        assert twin == d and twin.to_json() == d.to_json()
    with pytest.raises(dataclasses.FrozenInstanceError):
        pickle.loads(pickle.dumps(d)).code = "valid"  # type: ignore[misc]
