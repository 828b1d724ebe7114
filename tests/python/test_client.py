"""The seed's Python usage, verbatim where it can be."""

import datetime as dt
import json
import os
import pathlib

import pytest

import finfusion
from finfusion import FinFusion, keys

SURFACE = json.loads((pathlib.Path(__file__).resolve().parents[1] / "surface.json").read_text())
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)


def test_the_seeds_client_and_calls(monkeypatch, recorder):
    monkeypatch.setenv("FINFUSION_API_KEY", keys.generate("production").reveal())
    client = FinFusion(
        api_key=os.environ.get('FINFUSION_API_KEY'),
        environment='production',
        options={
            'timeout': 30000,
            'retries': 3
        }
    )
    recorder(client)
    assert client.timeout == dt.timedelta(seconds=30) and client.retries == 3
    for name in SURFACE["client"]:
        assert callable(getattr(client.api_keys, name)), name
    created = client.api_keys.create({"name": "Production API Key", "type": "production",
                                      "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"},
                                     now=NOW)
    new_key = client.api_keys.rotate(current_key=created.record.id, grace_period="48h",
                                     notify_emails=["security@yourcompany.com"], now=NOW)
    key_info = client.api_keys.verify(new_key.id, now=NOW)
    assert key_info.valid
    decision = client.api_keys.verify(created.key.reveal(), now=NOW, required=["payments"])
    assert isinstance(decision, finfusion.registry.Decision) and decision.in_grace
    usage = client.api_keys.get_usage(key_id=created.record.id, timeframe={"start": "2025-06-01", "end": "2025-06-30"},
                                      metrics=["requests", "errors", "latency"])
    assert usage["requests"] == 1
    logs = client.api_keys.get_logs(key_id=created.record.id, limit=100,
                                    event_types=["key.created", "key.rotated", "key.accessed"])
    assert [e.type for e in logs] == ["key.created", "key.rotated", "key.accessed"]
    assert logs[0].actor == "key:" + client.key_id
    assert client.api_keys.revoke(new_key.id, now=NOW).status == "revoked"
    assert len(client.api_keys.list()) == 2
    assert os.environ["FINFUSION_API_KEY"][22:] not in repr(client)


def test_client_arguments_are_checked_by_the_core():
    with pytest.raises(finfusion.InvalidRequestError, match="api_key"):
        FinFusion(api_key=None, environment="production")
    dev = keys.generate("development").reveal()
    with pytest.raises(finfusion.EnvironmentMismatchError):
        FinFusion(api_key=dev, environment="production")
    assert FinFusion(api_key=dev, environment="sandbox").environment == "sandbox"
    prod = keys.generate("production").reveal()
    for options in ({"timeout": 0}, {"timeout": "30s"}, {"retries": 11}, {"retry": 3}):
        with pytest.raises(finfusion.InvalidRequestError) as info:
            FinFusion(api_key=prod, options=options)
        assert prod[22:34] not in str(info.value)
    with pytest.raises(TypeError):
        FinFusion(api_key=42)  # type: ignore[arg-type]
