import datetime as dt
import json

import pytest

import finfusion
from finfusion import keys, lifecycle

NOW = dt.datetime(2025, 6, 1, 12, tzinfo=dt.timezone.utc)
SEED = {"name": "Production API Key", "type": "production",
        "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"}


def test_the_seeds_request():
    req = lifecycle.parse_create_request(SEED, NOW)
    assert req.name == "Production API Key" and req.type == "production"
    assert req.permissions.to_list() == ["kyc", "payments", "reporting"]
    assert req.expires_at == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert (req.service, req.parent_key_id, req.owner, req.purpose) == ("", "", "", "")
    again = lifecycle.parse_create_request(req.to_json(), NOW)
    assert again == req and again.to_json() == req.to_json()
    assert "_json" not in repr(req)


def test_text_and_epoch_ms_inputs():
    req = lifecycle.parse_create_request(json.dumps(SEED), int(NOW.timestamp() * 1000))
    assert req.expires_at.year == 2026


def test_restricted_request_and_policy_table():
    req = lifecycle.parse_create_request(
        {"name": "ledger sync", "type": "restricted", "permissions": ["payments:read"],
         "service": "ledger-sync", "parentKeyId": "prod_7kNsV0dGlOW9eHuP"}, NOW)
    assert req.service == "ledger-sync" and req.parent_key_id == "prod_7kNsV0dGlOW9eHuP"
    short = keys.TypeTable('{"production": {"max_lifetime": "30d", "rotation_period": "7d", "rotation_warning": "1d"}}')
    with pytest.raises(finfusion.InvalidRequestError, match="^expiration: beyond the 30d maximum lifetime"):
        lifecycle.parse_create_request(SEED, NOW, short)


@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"name": 5}, "name"), ({"type": "staging"}, "type"),
    ({"permissions": ["Payments"]}, "permissions"), ({"expiration": "2025-05-31"}, "expiration"),
    ({"expiration": "2030-01-01"}, "expiration"), ({"service": "x"}, "service"),
    ({"colour": "red"}, '"colour"'),
])
def test_field_level_errors(change, field):
    with pytest.raises(finfusion.InvalidRequestError) as info:
        lifecycle.parse_create_request({**SEED, **change}, NOW)
    assert str(info.value).startswith(field + ":")
    assert isinstance(info.value, ValueError)


def test_duplicate_keys_and_nesting_in_text():
    with pytest.raises(finfusion.InvalidRequestError, match="duplicate key"):
        lifecycle.parse_create_request('{"name": "a", "name": "b"}', NOW)
    with pytest.raises(finfusion.InvalidRequestError, match="nested deeper"):
        lifecycle.parse_create_request('{"name": {"a": {"b": {"c": {}}}}}', NOW)
    with pytest.raises(finfusion.InvalidTimestampError):
        lifecycle.parse_create_request(SEED, dt.datetime(2025, 6, 1))


def test_lone_surrogates_are_invalid_utf8_as_in_javascript():
    with pytest.raises(finfusion.InvalidRequestError, match="UTF-8"):
        lifecycle.parse_create_request('{"name": "a\udcffb", "type": "production", "permissions": []}', NOW)
    assert lifecycle.parse_create_request({**SEED, "name": "emoji \U0001f511"}, NOW).name == "emoji \U0001f511"
