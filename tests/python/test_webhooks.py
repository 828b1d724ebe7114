"""Standard Webhooks from Python: the specification's vectors, rotation, the time window,
header shapes, typed errors, and no secret in any text."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import pickle

import pytest

import finfusion
from finfusion import webhooks

VECTORS = json.loads((pathlib.Path(__file__).resolve().parents[1] / "vectors" / "external" /
                      "standard_webhooks.json").read_text())


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda c: c["name"])
def test_specification_vectors(case):
    ms = case["timestamp"] * 1000
    headers = webhooks.sign(case["secret"], case["msg_id"], case["payload"], timestamp=ms)
    assert headers == case["headers"]
    assert webhooks.signature(case["secret"], case["msg_id"], ms, case["payload"]) == case["expected_signature"]
    # Header names in any case, as frameworks hand them over.
    received = {k.title(): v for k, v in case["headers"].items()}
    v = webhooks.verify(case["secret"], received, case["payload"].encode(), now=ms)
    assert (v.valid, v.code, v.msg_id, v.timestamp) == (True, "valid", case["msg_id"], case["timestamp"])


@pytest.mark.parametrize("case", VECTORS["negative_cases"], ids=lambda c: c["name"])
def test_specification_negative_vectors(case):
    base = next(c for c in VECTORS["cases"] if c["name"] == case["base_case"])
    headers = dict(base["headers"], **{"webhook-signature": case["signature"]})
    v = webhooks.verify(base["secret"], headers, base["payload"], now=base["timestamp"] * 1000)
    assert (v.valid, v.code) == (False, "signature_invalid")


def test_rotation_and_window():
    old, new = webhooks.WebhookSecret.generate(), webhooks.WebhookSecret.generate()
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    headers = webhooks.sign([new, old], "msg_1", b"{}", timestamp=now)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert webhooks.verify(old, headers, b"{}", now=now).valid
    assert webhooks.verify([webhooks.WebhookSecret.generate(), new], headers, b"{}", now=now).valid
    assert webhooks.verify(webhooks.WebhookSecret.generate(), headers, b"{}", now=now).code == "signature_invalid"
    assert webhooks.verify(new, headers, b"{ }", now=now).code == "signature_invalid"
    assert webhooks.verify(new, headers, b"{}", now=now + dt.timedelta(seconds=301)).code == "signature_expired"
    assert webhooks.verify(new, headers, b"{}", now=now + dt.timedelta(seconds=301), tolerance=dt.timedelta(minutes=10)).valid
    assert webhooks.verify(new, {}, b"{}", now=now).code == "invalid_request"


def test_secrets_are_typed_and_hidden(recorder):
    s = webhooks.WebhookSecret.generate()
    text = s.reveal()
    assert text.startswith("whsec_") and webhooks.WebhookSecret.parse(text).reveal() == text
    assert text not in repr(s) and text[6:] not in str(s)
    recorder(s)
    for bad in ["whsec_", "whsec_!!!", "whsec_" + "QUFB" * 5]:
        with pytest.raises(finfusion.InvalidRequestError) as e:
            webhooks.WebhookSecret.parse(bad)
        assert bad[6:] == "" or bad[6:] not in str(e.value)
    with pytest.raises(finfusion.InvalidRequestError):
        webhooks.WebhookSecret.from_bytes(b"x" * 23)
    with pytest.raises(finfusion.InvalidRequestError):
        webhooks.sign(s, "msg.1", b"{}")
    with pytest.raises(TypeError):
        webhooks.sign(s, "msg_1", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pickle.dumps(s)
