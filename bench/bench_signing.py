"""RFC 9421 sign + verify of the typical request through the Python package, as ns per
operation in JSON on stdout (bench/tables.py puts it beside native and Node), beside the
"peer": the same RFC 9421 work written with the standard library (hashlib, hmac, base64, re)
and, for Ed25519, the `cryptography` package (OpenSSL), which the standard library lacks.

The peer signs the same components (@method, @target-uri, content-digest, content-type,
authorization) with created, keyid and alg, and verifies as we do: parses Signature-Input
and Signature, checks created against a 300 s tolerance, the key id, the Content-Digest of
the body, and the signature over the rebuilt base. It skips what we also check (structured
field syntax in full, duplicate labels, component rules, nonces), so the comparison favours
the peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from typing import Any, Callable, Dict, List, Sequence, Tuple


from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from finfusion import signing, webhooks

BODY = b'{"data":"' + b"x" * 1013 + b'"}'
URL = "https://api.finfusion.example/v1/payments?currency=EUR"
HEADERS = [("Host", "api.finfusion.example"), ("Content-Type", "application/json"),
           ("Authorization", "Bearer prod_EnqIrqy2roi4qe8B_phPgxLdgHFjpBZJfuHYfyr6RNJ6cO3nMVjDUiyy7CZR3u29HZ"),
           ("X-Request-Id", "req-7f2c")]
NOW = 1767225600000


def per_op(fn, seconds: float = 0.5) -> float:
    """Median of five timed batches, in ns per call."""
    n = 64
    while True:
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        took = time.perf_counter_ns() - start
        if took > seconds * 1e9 / 5:
            break
        n *= 2
    runs = []
    for _ in range(5):
        start = time.perf_counter_ns()
        for _ in range(n):
            fn()
        runs.append((time.perf_counter_ns() - start) / n)
    return sorted(runs)[2]


COMPONENTS = ("@method", "@target-uri", "content-digest", "content-type", "authorization")
INPUT = re.compile(r'([a-z*][a-z0-9_.*-]*)=\(((?:"[^"]*" ?)*)\)((?:;[a-z]+=(?:[0-9]+|"[^"]*"))*)\Z')
PARAM = re.compile(r';([a-z]+)=([0-9]+|"[^"]*")')
SIGNATURE = re.compile(r'([a-z*][a-z0-9_.*-]*)=:([A-Za-z0-9+/]*={0,2}):\Z')


def peer_fields(headers: Sequence[Tuple[str, str]]) -> Dict[str, str]:
    fields: Dict[str, str] = {}
    for name, value in headers:
        name, value = name.lower(), value.strip()
        fields[name] = f"{fields[name]}, {value}" if name in fields else value
    return fields


def peer_base(method: str, url: str, fields: Dict[str, str], components: Sequence[str], params: str) -> bytes:
    lines = []
    for c in components:
        value = method.upper() if c == "@method" else url if c == "@target-uri" else fields[c]
        lines.append(f'"{c}": {value}')
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode()


def peer_digest(body: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def peer_sign(method: str, url: str, headers: Sequence[Tuple[str, str]], body: bytes, alg: str, key: Any,
              keyid: str, now: int) -> Dict[str, str]:
    fields = peer_fields(headers)
    fields["content-digest"] = peer_digest(body)
    inner = " ".join(f'"{c}"' for c in COMPONENTS)
    params = f'({inner});created={now};keyid="{keyid}";alg="{alg}"'
    base = peer_base(method, url, fields, COMPONENTS, params)
    sig = hmac.new(key, base, hashlib.sha256).digest() if alg == "hmac-sha256" else key.sign(base)
    return {"Content-Digest": fields["content-digest"], "Signature-Input": "sig1=" + params,
            "Signature": "sig1=:" + base64.b64encode(sig).decode() + ":"}


def peer_verify(method: str, url: str, headers: Sequence[Tuple[str, str]], body: bytes,
                keys: Dict[str, Tuple[str, Any]], now: int, tolerance: int = 300) -> bool:
    fields = peer_fields(headers)
    m = INPUT.match(fields.get("signature-input", ""))
    s = SIGNATURE.match(fields.get("signature", ""))
    if m is None or s is None or m.group(1) != s.group(1):
        return False
    params = {k: v.strip('"') for k, v in PARAM.findall(m.group(3))}
    if "created" not in params or abs(now - int(params["created"])) > tolerance or params.get("keyid") not in keys:
        return False
    alg, key = keys[params["keyid"]]
    if params.get("alg", alg) != alg:
        return False
    if not hmac.compare_digest(fields.get("content-digest", ""), peer_digest(body)):
        return False
    components = [c.strip('"') for c in m.group(2).split()]
    if any(not c.startswith("@") and c not in fields for c in components):
        return False
    base = peer_base(method, url, fields, components, m.group(0)[len(m.group(1)) + 1:])
    sig = base64.b64decode(s.group(2))
    if alg == "hmac-sha256":
        return hmac.compare_digest(hmac.new(key, base, hashlib.sha256).digest(), sig)
    try:
        key.verify(sig, base)
        return True
    except InvalidSignature:
        return False


def peer_pair(algorithm: str) -> Callable[[], None]:
    if algorithm == "hmac-sha256":
        secret = b"\x07" * 32
        signer: Any = secret
        keys: Dict[str, Tuple[str, Any]] = {"key_01HZXSIGN": (algorithm, secret)}
    else:
        signer = Ed25519PrivateKey.generate()
        keys = {"key_01HZXSIGN": (algorithm, signer.public_key())}
    now = NOW // 1000

    def pair() -> None:
        added = peer_sign("POST", URL, HEADERS, BODY, algorithm, signer, "key_01HZXSIGN", now)
        assert peer_verify("POST", URL, HEADERS + list(added.items()), BODY, keys, now)

    pair()
    # What the peer signs, ours verifies: the same RFC 9421 work, not a lookalike.
    added: List[Tuple[str, str]] = list(peer_sign("POST", URL, HEADERS, BODY, algorithm, signer, "key_01HZXSIGN",
                                                  now).items())
    ring = signing.KeyRing()
    ring.add(signing.VerifyingKey.hmac("key_01HZXSIGN", signer) if algorithm == "hmac-sha256" else
             signing.VerifyingKey.ed25519("key_01HZXSIGN", signer.public_key().public_bytes(Encoding.Raw,
                                                                                              PublicFormat.Raw)))
    assert signing.verify_request("POST", URL, HEADERS + added, BODY, keys=ring, now=NOW).valid
    return pair


def main() -> None:
    out = {}
    for algorithm in signing.ALGORITHMS:
        key = signing.SigningKey.generate("key_01HZXSIGN", algorithm)
        ring = signing.KeyRing()
        ring.add(key.verifying_key())

        def pair() -> None:
            added = signing.sign_request("POST", URL, HEADERS, BODY, key=key, now=NOW)
            v = signing.verify_request("POST", URL, HEADERS + list(added.items()), BODY, keys=ring, now=NOW)
            assert v.valid

        out[f"sign_verify_pair/{algorithm}"] = per_op(pair)
        out[f"sign_verify_pair/{algorithm}/peer"] = per_op(peer_pair(algorithm))
    secret = webhooks.WebhookSecret.generate()

    def webhook() -> None:
        sent = webhooks.sign(secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", BODY, timestamp=NOW)
        assert webhooks.verify(secret, sent, BODY, now=NOW).valid

    out["webhook_sign_verify"] = per_op(webhook)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
