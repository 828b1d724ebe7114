"""Runs every case of tests/vectors/*.json through the Python API and demands the answers
the C++ core wrote there (the Node suite does the same)."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Callable, Dict, List

import pytest

import finfusion
from finfusion import hashing, keys, lifecycle, ratelimit, registry, scopes, signing, time, webhooks

VECTORS = pathlib.Path(__file__).resolve().parents[1] / "vectors"
FILES = ["key", "scope", "hash", "time", "create", "ratelimit", "registry", "signing", "webhooks"]


def text(inp: Dict[str, Any], name: str) -> str:
    if name + "_hex" in inp:
        return bytes.fromhex(inp[name + "_hex"]).decode("utf-8", "surrogateescape")
    return str(inp[name])


def parsed(k: Any) -> Dict[str, Any]:
    return {"id": k.id, "type": k.type, "environment": k.environment, "format_version": k.format_version}


def instant(fn: Callable[[str], Any], s: str) -> Dict[str, Any]:
    value = fn(s)
    return {"ms": time.to_millis(value), "text": time.format_timestamp(value)}


def answer_key(op: str, inp: Dict[str, Any]) -> Any:
    if op == "check_format":
        return keys.check_format(text(inp, "key"))
    if op == "parse":
        return parsed(keys.parse(text(inp, "key")))
    if op == "parse_id":
        return parsed(keys.parse_id(text(inp, "id")))
    if op == "mask":
        return keys.mask(text(inp, "key"))
    if op == "generate":
        k = keys.generate_from_entropy(inp["type"], bytes.fromhex(inp["entropy_hex"]))
        return {"key": k.reveal(), "id": k.id}
    if op == "type":
        info = keys.type_info(inp["name"])
        return {"prefix": info.prefix, "environment": info.environment}
    if op == "type_table":
        source = inp["overrides_text"] if "overrides_text" in inp else json.dumps(inp["overrides"])
        return json.loads(keys.TypeTable(source).to_json())
    raise AssertionError(f"unknown key op {op}")


def answer_scope(op: str, inp: Dict[str, Any]) -> Any:
    if op == "parse":
        return scopes.parse(inp["scopes"]).to_list()
    if op == "allows":
        return scopes.allows(inp["granted"], inp["required"])
    if op == "allows_all":
        return scopes.allows_all(inp["granted"], inp["required"])
    if op == "is_subset":
        return scopes.is_subset(inp["child"], inp["parent"])
    raise AssertionError(f"unknown scope op {op}")


def answer_hash(op: str, inp: Dict[str, Any]) -> Any:
    peppers = {pid: bytes.fromhex(hexed) for pid, hexed in inp["peppers"]}
    hasher = hashing.Hasher(peppers, current=inp["current"], algorithm=inp.get("algorithm", "hs256"))
    if op == "hash":
        return hasher.hash(text(inp, "key"))
    if op == "verify":
        return hasher.verify(text(inp, "key"), inp["stored"])
    if op == "needs_rehash":
        return hasher.needs_rehash(inp["stored"])
    raise AssertionError(f"unknown hash op {op}")


def answer_time(op: str, inp: Dict[str, Any]) -> Any:
    if op == "parse_duration":
        return time.duration_millis(time.parse_duration(text(inp, "text")))
    if op == "format_duration":
        return time.format_duration(inp["ms"])
    if op == "parse_timestamp":
        return instant(time.parse_timestamp, text(inp, "text"))
    if op == "parse_until":
        return instant(time.parse_until, text(inp, "text"))
    if op == "format_timestamp":
        return time.format_timestamp(inp["ms"])
    raise AssertionError(f"unknown time op {op}")


def answer_create(op: str, inp: Dict[str, Any]) -> Any:
    assert op == "parse_create_request", op
    if "request" in inp:
        request: Any = inp["request"]
    else:
        request = text(inp, "request_text") if "request_text" in inp else \
            bytes.fromhex(inp["request_hex"]).decode("utf-8", "surrogateescape")
    table = keys.TypeTable(json.dumps(inp.get("overrides", {})))
    req = lifecycle.parse_create_request(request, time.parse_timestamp(inp["now"]), table)
    return json.loads(req.to_json())


def answer_ratelimit(op: str, inp: Dict[str, Any]) -> Any:
    assert op == "sequence", op
    limit = ratelimit.RateLimit(inp["limit"]["requests"], inp["limit"]["window_ms"])
    state = ratelimit.State(**inp["state"]) if "state" in inp else None
    out = []
    for step in inp["steps"]:
        d = ratelimit.check(limit, state, step["at_ms"], step.get("cost", 1))
        state = d.state
        out.append({"allowed": d.allowed, "remaining": d.remaining,
                    "retry_after_ms": time.duration_millis(d.retry_after),
                    "reset_after_ms": time.duration_millis(d.reset_after),
                    "tat_ms": d.state.tat_ms, "tat_frac": d.state.tat_frac})
    return out


def answer_registry(op: str, inp: Dict[str, Any]) -> Any:
    assert op == "scenario", op
    peppers = {pid: bytes.fromhex(hexed) for pid, hexed in inp["peppers"]}
    table = keys.TypeTable(json.dumps(inp["table"])) if "table" in inp else None
    reg = registry.Registry(hashing.Hasher(peppers, current=inp["current"]), table, seed=inp["seed"])
    made_keys: List[str] = []
    made_ids: List[str] = []
    out = []

    def raw(value: Any) -> Any:
        return json.loads(value.to_json())

    for step in inp["steps"]:
        key = step["key"] if "key" in step else (made_keys[step["key_of"]] if "key_of" in step else "")
        key_id = step["id"] if "id" in step else (made_ids[step["id_of"]] if "id_of" in step else "")
        now = time.parse_timestamp(step["at"]) if "at" in step else None
        actor = step.get("actor", "system")
        new_key = new_id = ""
        try:
            action = step["do"]
            if action == "create":
                body = dict(step["request"])
                if "parent_of" in step:
                    body["parentKeyId"] = made_ids[step["parent_of"]]
                c = reg.create(body, now=now, actor=actor)
                new_key, new_id = c.key.reveal(), c.record.id
                result: Any = {"key": new_key, "record": raw(c.record)}
            elif action == "verify":
                result = raw(reg.verify(key, now=now, required=step.get("required", ()),
                                        environment=step.get("environment"), service=step.get("service"),
                                        cost=step.get("cost", 1), actor=step.get("actor"),
                                        latency_ms=step.get("latency_ms"),
                                        signed_by=made_ids[step["signed_by_id_of"]] if "signed_by_id_of" in step else ""))
            elif action == "status":
                result = raw(reg.status(key_id, now=now))
            elif action == "rotate":
                r = reg.rotate(key_id, now=now, grace_period=step["grace"], notify_emails=step.get("notify", ()),
                               force=step.get("force", False), actor=actor)
                new_key, new_id = r.key.reveal(), r.current.id
                result = {"key": new_key, "previous": raw(r.previous), "current": raw(r.current)}
            elif action == "revoke":
                result = raw(reg.revoke(key_id, now=now, reason=step.get("reason", ""), actor=actor))
            elif action == "logs":
                result = [raw(e) for e in reg.logs(key_id or None, limit=step.get("limit", 100),
                                                   event_types=step.get("types", ()))]
            elif action == "emergency_revoke":
                er = reg.emergency_revoke(key_id, now=now, reason=step.get("reason", ""),
                                          replace=step.get("replace", True), actor=actor)
                if er.replacements:
                    new_key, new_id = er.replacements[0].key.reveal(), er.replacements[0].record.id
                result = {"revoked": [raw(r) for r in er.revoked],
                          "replacements": [{"previousId": rep.previous_id, "key": rep.key.reveal(),
                                            "record": raw(rep.record)} for rep in er.replacements]}
            elif action == "policy":
                result = reg.policy_report(now=now)
            elif action == "usage":
                q = step["query"]
                result = reg.get_usage(key_id or q["keyId"], start=q["timeframe"]["start"],
                                       end=q["timeframe"]["end"], metrics=q.get("metrics"))
            elif action == "verify_chain":
                result = raw(reg.verify_chain())
            else:
                raise AssertionError(f"unknown step {action}")
            out.append({"ok": result})
        except finfusion.FinFusionError as e:
            out.append({"error": e.code})
        made_keys.append(new_key)
        made_ids.append(new_id)
    return out


def signing_key(k: Dict[str, Any]) -> Any:
    secret = bytes.fromhex(k["secret_hex"])
    if k["algorithm"] == "ed25519":
        return signing.SigningKey.ed25519(k["key_id"], secret)
    if k["algorithm"] != "hmac-sha256":
        return signing.SigningKey.generate(k["key_id"], k["algorithm"])  # raises the core's error
    return signing.SigningKey.hmac(k["key_id"], secret)


def verifying_keys(ks: List[Dict[str, Any]]) -> List[Any]:
    return [signing.VerifyingKey.ed25519(k["key_id"], bytes.fromhex(k["public_hex"])) if "public_hex" in k
            else signing_key(k).verifying_key() for k in ks]


def verification(v: Any) -> Dict[str, Any]:
    return {"valid": v.valid, "code": v.code, "label": v.label, "keyId": v.key_id, "alg": v.alg,
            "created": v.created, "expires": v.expires, "nonce": v.nonce, "tag": v.tag,
            "covered": list(v.covered), "signatureBase": v.signature_base}


def sign_message(m: Dict[str, Any], req: Any, key: Any, o: Dict[str, Any], now: int) -> Dict[str, str]:
    kwargs = dict(key=key, label=o.get("label", "sig1"), components=o.get("components"), expires_in=o.get("expires_in"),
                  nonce=o.get("nonce"), tag=o.get("tag"), include_alg=o.get("include_alg", True),
                  digest=o.get("digest", "sha-256"), now=now)
    if m.get("status"):
        return signing.sign_response(m["status"], m["headers"], m.get("body"), request=req, **kwargs)
    return signing.sign_request(m["method"], m["url"], m["headers"], m.get("body"), **kwargs)


def verify_message(m: Dict[str, Any], req: Any, keys_: Any, p: Dict[str, Any], nonces: Any, now: int) -> Any:
    kwargs = dict(keys=keys_, nonces=nonces, tolerance=p.get("tolerance", 300), require_nonce=p.get("require_nonce", False),
                  required_components=p.get("required_components", ()), label=p.get("label"),
                  require_content_digest=p.get("require_content_digest", True), now=now)
    if m.get("status"):
        return signing.verify_response(m["status"], m["headers"], m.get("body"), request=req, **kwargs)
    return signing.verify_request(m["method"], m["url"], m["headers"], m.get("body"), **kwargs)


def answer_signing(op: str, inp: Dict[str, Any]) -> Any:
    if op == "content_digest":
        return signing.content_digest(inp["body"], inp["algorithm"])
    if op == "verify_content_digest":
        return signing.verify_content_digest(inp["field"], inp["body"])
    m, req, now = inp["message"], inp.get("request"), inp["now"]
    if op in ("sign", "sign_verify"):
        added = sign_message(m, req, signing_key(inp["key"]), inp.get("options", {}), now)
        if op == "sign":
            return {"headers": [list(p) for p in added.items()]}
        received = dict(m, headers=[list(h) for h in m["headers"]] + [list(p) for p in added.items()])
        t = inp.get("tamper", {})
        for field in ("method", "url", "body"):
            if field in t:
                received[field] = t[field]
        if "set_header" in t:
            received["headers"] = [[n, t["set_header"][1] if n == t["set_header"][0] else v] for n, v in received["headers"]]
        if "add_header" in t:
            received["headers"].append(t["add_header"])
        if "remove_header" in t:
            received["headers"] = [h for h in received["headers"] if h[0] != t["remove_header"]]
        keys_ = verifying_keys(inp["keys"]) if "keys" in inp else [signing_key(inp["key"])]
        return verification(verify_message(received, req, keys_, inp.get("policy", {}), signing.NonceCache(),
                                           inp.get("verify_at", now)))
    if op == "verify":
        keys_ = verifying_keys(inp["keys"])
        times = inp.get("times", 1)
        if times == 1:
            return verification(verify_message(m, req, keys_, inp.get("policy", {}), None, now))
        nonces = signing.NonceCache(inp.get("nonce_cache", 100000))
        return [verify_message(m, req, keys_, inp.get("policy", {}), nonces, now).code for _ in range(times)]
    raise AssertionError(f"unknown signing op {op}")


def answer_webhooks(op: str, inp: Dict[str, Any]) -> Any:
    if op == "parse_secret":
        return webhooks.WebhookSecret.parse(inp["secret"]).reveal()
    secrets = [webhooks.WebhookSecret.parse(s) for s in inp["secrets"]]
    if op == "sign":
        return webhooks.sign(secrets, inp["msg_id"], inp["payload"], timestamp=inp["timestamp"] * 1000)
    if op == "verify":
        v = webhooks.verify(secrets, inp["headers"], inp["payload"], now=inp["now"], tolerance=inp.get("tolerance", 300))
        return {"valid": v.valid, "code": v.code, "msgId": v.msg_id, "timestamp": v.timestamp}
    raise AssertionError(f"unknown webhooks op {op}")


ANSWER = {"key": answer_key, "scope": answer_scope, "hash": answer_hash, "time": answer_time,
          "create": answer_create, "ratelimit": answer_ratelimit, "registry": answer_registry,
          "signing": answer_signing, "webhooks": answer_webhooks}


def answer(file: str, inp: Dict[str, Any]) -> Dict[str, Any]:
    try:
        return {"expect": ANSWER[file](inp["op"], inp)}
    except finfusion.FinFusionError as e:
        return {"error": e.code}


def cases():
    for file in FILES:
        doc = json.loads((VECTORS / f"{file}.json").read_text(encoding="utf-8"))
        assert doc["version"] == 1
        for case in doc["cases"]:
            yield pytest.param(file, case, id=f"{file}: {case['name']}")


@pytest.mark.parametrize("file, case", list(cases()))
def test_vector(file, case):
    expected = {k: v for k, v in case.items() if k in ("expect", "error")}
    assert answer(file, case["input"]) == expected


def test_every_file_has_negative_cases():
    for file in FILES:
        doc = json.loads((VECTORS / f"{file}.json").read_text(encoding="utf-8"))
        # A negative case fails as a whole, or holds failed steps (scenarios, sequences).
        negative = [c for c in doc["cases"] if "error" in c or any(
            marker in json.dumps(c.get("expect"), separators=(",", ":"))
            for marker in ('"error"', '"allowed":false', '"valid":false'))]
        assert len(negative) >= 5, file
