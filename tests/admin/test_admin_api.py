"""The admin API over HTTP: every endpoint, every refusal status, roles, the audit actor,
the seed's curl command verbatim, OpenAPI, health and metrics."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
from typing import Any, Dict


def auth(token: str) -> Dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


SEED_BODY = """{
"name": "Production API Key",
"type": "production",
"permissions": ["payments", "kyc", "reporting"],
"expiration": "2025-12-31"
}"""


def create(service: Dict[str, Any], body: Any = None) -> Dict[str, Any]:
    r = service["client"].post("/v1/api-keys", headers=auth(service["tokens"]["admin"]),
                               content=SEED_BODY if body is None else json.dumps(body))
    assert r.status_code == 201, r.text
    return r.json()


def test_the_seeds_curl_command_verbatim(service):
    # The seed's command with the local URL; curl -d sends it as a form, the service reads JSON.
    token = service["tokens"]["admin"]
    command = f"""curl -s -X POST "{service['url']}/v1/api-keys" -H "Authorization: Bearer {token}" -d '{SEED_BODY}'"""
    out = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=True).stdout
    created = json.loads(out)
    assert created["key"].startswith("prod_")
    assert created["record"]["name"] == "Production API Key"
    assert created["record"]["permissions"] == ["kyc", "payments", "reporting"]
    assert created["record"]["expiresAt"] == "2026-01-01T00:00:00.000Z"


def test_every_endpoint(service):
    c, admin = service["client"], auth(service["tokens"]["admin"])
    created = create(service)
    key, key_id = created["key"], created["record"]["id"]
    assert c.get("/v1/api-keys", headers=admin).json()["keys"][0]["id"] == key_id
    assert c.get(f"/v1/api-keys/{key_id}", headers=admin).json()["status"] == "active"

    v = c.post("/v1/api-keys/verify", headers=admin,
               json={"key": key, "required": ["payments:charge"], "environment": "production"})
    assert v.status_code == 200 and v.json()["valid"] is True
    refused = c.post("/v1/api-keys/verify", headers=admin, json={"key": key, "required": ["admin"]})
    assert refused.status_code == 200 and refused.json()["code"] == "insufficient_scope"

    rotated = c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin,
                     json={"gracePeriod": "48h", "notifyEmails": ["security@yourcompany.com"]})
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["current"]["replaces"] == key_id and new["previous"]["replacedBy"] == new["id"]
    assert rotated.headers["cache-control"] == "no-store"
    assert c.post("/v1/api-keys/verify", headers=admin, json={"key": key}).json()["inGrace"] is True

    usage = c.get(f"/v1/api-keys/{key_id}/usage", headers=admin,
                  params={"start": "2025-06-01", "end": "2025-06-30", "metrics": "requests,errors,latency"}).json()
    assert usage["requests"] == 3 and usage["errors"] == 1
    logs = c.get(f"/v1/api-keys/{key_id}/logs", headers=admin,
                 params={"limit": 100, "eventTypes": "key.created,key.rotated,key.accessed"}).json()["events"]
    assert [e["type"] for e in logs] == ["key.created", "key.accessed", "key.rotated", "key.accessed"]
    assert {e["actor"] for e in logs if e["type"] in ("key.created", "key.rotated")} == {"admin:admin-user"}

    revoked = c.post(f"/v1/api-keys/{new['id']}/revoke", headers=admin, json={"reason": "test"})
    assert revoked.json()["status"] == "revoked"
    assert c.post("/v1/api-keys/verify", headers=admin, json={"key": new["key"]}).json()["code"] == "revoked"
    revocations = c.get(f"/v1/api-keys/{new['id']}/logs", headers=admin, params={"eventTypes": "key.revoked"}).json()
    assert revocations["events"][0]["actor"] == "admin:admin-user"


def test_authentication_and_roles(service):
    c, tokens = service["client"], service["tokens"]
    key_id = create(service)["record"]["id"]
    assert c.get("/v1/api-keys").status_code == 401
    assert c.get("/v1/api-keys").headers["www-authenticate"].startswith("Bearer")
    forged = tokens["admin"][:-8] + ("A" if tokens["admin"][-8] != "A" else "B") + tokens["admin"][-7:]
    assert c.get("/v1/api-keys", headers=auth(forged)).status_code == 401
    other_service_key = "prod_" + "a" * 16 + "_" + "b" * 43
    assert c.get("/v1/api-keys", headers=auth(other_service_key)).status_code == 401
    assert c.get("/v1/api-keys", headers={"Authorization": "Basic " + tokens["admin"]}).status_code == 401

    auditor = auth(tokens["auditor"])
    r = c.post(f"/v1/api-keys/{key_id}/rotate", headers=auditor, json={"gracePeriod": "1h"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "insufficient_scope"
    assert c.post("/v1/api-keys", headers=auditor, content=SEED_BODY).status_code == 403
    assert c.get("/v1/api-keys", headers=auditor).status_code == 403
    assert c.get(f"/v1/api-keys/{key_id}/usage", headers=auditor, params={"start": "2025-06-01", "end": "2025-06-02"}).status_code == 200
    assert c.get(f"/v1/api-keys/{key_id}/logs", headers=auditor).status_code == 200
    verifier = auth(tokens["verifier"])
    assert c.post("/v1/api-keys/verify", headers=verifier, json={"key": other_service_key}).status_code == 200
    assert c.post(f"/v1/api-keys/{key_id}/revoke", headers=verifier).status_code == 403
    assert c.get(f"/v1/api-keys/{key_id}", headers=auth(tokens["admin"])).json()["status"] == "active"


def test_refusals_have_statuses_codes_and_fields(service):
    c, admin = service["client"], auth(service["tokens"]["admin"])
    key_id = create(service)["record"]["id"]

    unknown = c.post("/v1/api-keys", headers=admin, json={"name": "x", "type": "production", "permissions": [],
                                                        "colour": "blue"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "invalid_request"
    past = c.post("/v1/api-keys", headers=admin, json={"name": "x", "type": "production", "permissions": ["payments"],
                                                     "expiration": "2020-01-01"})
    assert past.status_code == 400 and past.json()["error"]["field"] == "expiration"
    assert c.post("/v1/api-keys", headers=admin, content="{not json").json()["error"]["field"] == "body"
    assert c.post("/v1/api-keys", headers=admin, content="[1, 2]").status_code == 400
    assert c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin, json={"grace": "1h"}).json()["error"]["field"] == "grace"
    assert c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin, json={"gracePeriod": 48}).json()["error"]["field"] == "gracePeriod"
    assert c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin, json={"gracePeriod": "soon"}).json()["error"]["code"] == "invalid_duration"
    assert c.post("/v1/api-keys/verify", headers=admin, json={}).json()["error"]["field"] == "key"
    assert c.get(f"/v1/api-keys/{key_id}/usage", headers=admin).json()["error"]["field"] == "start"
    assert c.get(f"/v1/api-keys/{key_id}/logs", headers=admin, params={"limit": "many"}).status_code == 400

    missing = c.get("/v1/api-keys/prod_0000000000000000", headers=admin)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert c.get("/v1/api-keys/not-an-id", headers=admin).status_code == 400
    assert c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin, json={}).status_code == 200
    conflict = c.post(f"/v1/api-keys/{key_id}/rotate", headers=admin, json={})
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    assert c.post("/v1/api-keys", headers=admin, content="x" * (65 * 1024)).status_code == 413


def test_rate_limits_answer_429_with_retry_after(service):
    c, auditor = service["client"], auth(service["tokens"]["auditor"])
    # A burst of 30 that refills one request every 2 s, however slow the machine.
    statuses = [c.get("/v1/api-keys/prod_0000000000000000/logs", headers=auditor).status_code for _ in range(35)]
    assert 30 <= statuses.count(200) <= 32 and statuses[-1] == 429
    limited = c.get("/v1/api-keys/prod_0000000000000000/logs", headers=auditor)
    assert int(limited.headers["retry-after"]) >= 1 and limited.json()["error"]["code"] == "rate_limited"
    import time
    time.sleep(2.1)
    assert c.get("/v1/api-keys/prod_0000000000000000/logs", headers=auditor).status_code == 200

    # A verified key over its own limit (development: 10 a second) is 429 too.
    admin = auth(service["tokens"]["admin"])
    dev = create(service, {"name": "dev", "type": "development", "permissions": ["payments"]})["key"]
    codes = [c.post("/v1/api-keys/verify", headers=admin, json={"key": dev}) for _ in range(12)]
    assert codes[-1].status_code == 429 and codes[-1].json()["code"] == "rate_limited"
    assert int(codes[-1].headers["retry-after"]) >= 1


def test_openapi_health_and_metrics(service):
    c, admin = service["client"], auth(service["tokens"]["admin"])
    spec = c.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/v1/api-keys", "/v1/api-keys/{key_id}/rotate", "/v1/api-keys/verify", "/v1/api-keys/{key_id}/usage",
            "/v1/api-keys/{key_id}/logs", "/v1/api-keys/{key_id}/revoke"} <= set(spec["paths"])
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/readyz").json() == {"status": "ready"}
    key = create(service)["key"]
    c.post("/v1/api-keys/verify", headers=admin, json={"key": key})
    c.post("/v1/api-keys/verify", headers=admin, json={"key": key, "required": ["admin"]})
    c.get("/v1/api-keys")
    text = c.get("/metrics").text
    assert 'finfusion_verifications_total{key_type="production",outcome="valid"} 1.0' in text
    assert 'finfusion_verifications_total{key_type="production",outcome="insufficient_scope"} 1.0' in text
    assert "finfusion_verification_seconds_count 2.0" in text
    assert 'finfusion_admin_requests_total{route="list",status="401"} 1.0' in text
    assert "finfusion_anomaly_events" in text


def test_keys_whose_rotation_is_due_are_rotated_in_the_background(service):
    import time
    c, admin = service["client"], auth(service["tokens"]["admin"])
    key_id = create(service, {"name": "old", "type": "production", "permissions": ["payments"]})["record"]["id"]
    service["clock"].now += dt.timedelta(days=95)  # past the 90-day rotation period
    deadline = time.monotonic() + 10
    while c.get(f"/v1/api-keys/{key_id}", headers=admin).json()["replacedBy"] == "":
        assert time.monotonic() < deadline, "the key was not rotated"
        time.sleep(0.05)
    rotated = c.get(f"/v1/api-keys/{key_id}/logs", headers=admin, params={"eventTypes": "key.rotated"}).json()["events"]
    assert [e["actor"] for e in rotated] == ["admin:automation"]
    assert "finfusion_automated_rotations_total 1.0" in c.get("/metrics").text


def test_tokens_are_kept_hashed(service):
    text = service["token_file"].read_text()
    for token in service["tokens"].values():
        assert token not in text and token[-43:-6] not in text
    assert stat.S_IMODE(os.stat(service["token_file"]).st_mode) == 0o600
    assert "admin-user" in text


def test_the_command_serves_and_issues_tokens(tmp_path):
    # python -m finfusion_admin: the first token, the pepper file beside the registry.
    env = dict(os.environ, PYTHONPATH=str(service_dir()), FINFUSION_REGISTRY=f"sqlite:{tmp_path / 'k.db'}")
    env.pop("FINFUSION_PEPPERS", None)
    issued = subprocess.run([sys_python(), "-m", "finfusion_admin", "token", "issue", "ops", "--role", "auditor"],
                            env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert issued.startswith("prod_")
    listed = subprocess.run([sys_python(), "-m", "finfusion_admin", "token", "list"], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert listed == ["ops"]
    assert (tmp_path / "k.db.peppers").exists() and (tmp_path / "k.db.admin-tokens.json").exists()


def test_serve_refuses_bad_options_before_issuing_a_token(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(service_dir()), FINFUSION_REGISTRY=f"sqlite:{tmp_path / 'k.db'}")
    env.pop("FINFUSION_PEPPERS", None)
    for options, message in ((["--alert-to", "nobody"], "recipients[0]: not an email address"),
                             (["--smtp", "mailhost"], "--smtp: HOST:PORT"),
                             (["--notify-every", "soon"], "invalid_duration")):
        run = subprocess.run([sys_python(), "-m", "finfusion_admin", "serve", *options], env=env, capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 2 and message in run.stderr, (options, run.stderr)
        assert run.stdout == ""  # no token, no URL
    assert not (tmp_path / "k.db.admin-tokens.json").exists()


def service_dir():
    import pathlib
    return pathlib.Path(__file__).resolve().parents[2] / "services" / "admin"


def sys_python() -> str:
    import sys
    return sys.executable


def test_what_the_console_reads(service):
    c, admin, auditor = service["client"], auth(service["tokens"]["admin"]), auth(service["tokens"]["auditor"])
    created = create(service)
    key, key_id = created["key"], created["record"]["id"]
    for latency in (4, 9.5):
        c.post("/v1/api-keys/verify", headers=admin, json={"key": key, "latencyMs": latency})
    assert c.post("/v1/api-keys/verify", headers=admin, json={"key": key, "latencyMs": "fast"}).json()["error"]["field"] == "latencyMs"
    state = c.get(f"/v1/api-keys/{key_id}/status", headers=admin).json()
    assert state["valid"] is True and state["key"]["id"] == key_id
    policy = c.get("/v1/policy", headers=admin).json()
    assert [k["id"] for k in policy["keys"]] == [key_id] and policy["summary"] == {"ok": 1}
    assert c.get("/v1/policy", headers=auditor).status_code == 403
    daily = c.get(f"/v1/api-keys/{key_id}/usage/daily", headers=auditor,
                  params={"start": "2025-05-31", "end": "2025-06-01", "metrics": "requests,latency"}).json()["days"]
    assert [d["requests"] for d in daily] == [0, 2]
    assert daily[1]["latency"]["count"] == 2
    assert c.get(f"/v1/api-keys/{key_id}/usage/daily", headers=auditor,
                 params={"start": "2025-01-01", "end": "2025-06-01"}).json()["error"]["field"] == "end"
    events = c.get("/v1/audit/logs", headers=auditor, params={"eventTypes": "key.created"}).json()["events"]
    assert [e["keyId"] for e in events] == [key_id]
    chain = c.get("/v1/audit/chain", headers=auditor).json()
    assert chain["ok"] is True and chain["checked"] >= 3


def test_the_console_is_served(service):
    c = service["client"]
    assert c.get("/", follow_redirects=False).headers["location"] == "/console/"
    page = c.get("/console/")
    assert page.status_code == 200 and "Key inspector" in page.text
    assert "import { ready, keys } from './pkg/index.mjs'" in c.get("/console/console.js").text
