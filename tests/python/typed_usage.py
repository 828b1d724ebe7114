"""Typed use of the public API; `mypy --strict` must accept it (run by make test)."""

from __future__ import annotations

import datetime as dt
from typing import Dict, List

import finfusion
from finfusion import hashing, keys, lifecycle, scopes, signing, time, webhooks


def issue(type_: keys.KeyType) -> str:
    key: finfusion.ApiKey = keys.generate(type_)
    key_id: str = key.id
    return key_id + " " + key.type


def check(text: str) -> bool:
    code: str = keys.check_format(text)
    if code != "valid":
        return False
    parsed: finfusion.ParsedKey = keys.parse(text)
    return parsed.environment == keys.Environment.PRODUCTION


def store(text: str, hasher: finfusion.Hasher) -> str:
    stored: str = hasher.hash(text)
    ok: bool = hasher.verify(text, stored)
    again: bool = hasher.needs_rehash(stored)
    return stored if ok and not again else ""


def permissions(granted: List[str]) -> bool:
    s: finfusion.ScopeSet = scopes.parse(granted)
    names: List[str] = s.to_list()
    return scopes.allows(s, "payments:charge") and scopes.is_subset(names[:1], s)


def when() -> dt.datetime:
    grace: dt.timedelta = time.parse_duration("48h")
    until: dt.datetime = time.parse_until("2025-12-31")
    text: str = time.format_timestamp(until - grace)
    return time.parse_timestamp(text)


def policy() -> dt.timedelta:
    table = keys.TypeTable('{"production": {"max_lifetime": "365d"}}')
    return table.get(keys.KeyType.PRODUCTION).max_lifetime


def create() -> dt.datetime:
    req: lifecycle.CreateRequest = lifecycle.parse_create_request(
        {"name": "Production API Key", "type": "production",
         "permissions": ["payments", "kyc", "reporting"], "expiration": "2025-12-31"},
        now=dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc))
    names: List[str] = req.permissions.to_list()
    return req.expires_at if names else req.expires_at


def seed_client() -> bool:
    client = finfusion.FinFusion(api_key=keys.generate("production").reveal(), environment="production",
                                 options={"timeout": 30000, "retries": 3})
    created = client.api_keys.create({"name": "x", "type": "production", "permissions": ["payments"]})
    new_key = client.api_keys.rotate(current_key=created.record.id, grace_period="48h",
                                     notify_emails=["security@yourcompany.com"])
    return client.api_keys.verify(new_key.id).valid


def errors() -> str:
    try:
        keys.parse("nope")
    except finfusion.FinFusionError as e:
        return e.code
    return ""


def signed() -> bool:
    key = signing.SigningKey.generate("key_1", "ed25519")
    added: Dict[str, str] = signing.sign_request("POST", "https://api.example.com/v1", {"content-type": "application/json"},
                                                 b"{}", key=key, nonce=True, expires_in="5m")
    nonces = signing.NonceCache()
    v = signing.verify_request("POST", "https://api.example.com/v1", {"content-type": "application/json", **added}, b"{}",
                               keys=[key.verifying_key()], nonces=nonces, require_nonce=True)
    secret = webhooks.WebhookSecret.generate()
    sent: Dict[str, str] = webhooks.sign(secret, "msg_1", b"{}")
    w = webhooks.verify([secret], sent, b"{}")
    code: str = v.code
    return bool(v.valid and w.valid and code == "valid")


if __name__ == "__main__":
    print(issue(keys.KeyType.DEVELOPMENT), check(keys.generate("production").reveal()),
          store(keys.generate("production").reveal(),
                hashing.Hasher({"p": hashing.generate_pepper()}, current="p")) != "",
          permissions(["payments"]), when(), policy(), create(), seed_client(), errors(), signed())
