"""RFC 9421 sign + verify of the typical request through the Python package, as ns per
operation in JSON on stdout (bench/tables.py puts it beside native and Node)."""

from __future__ import annotations

import json
import time

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
    secret = webhooks.WebhookSecret.generate()

    def webhook() -> None:
        sent = webhooks.sign(secret, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", BODY, timestamp=NOW)
        assert webhooks.verify(secret, sent, BODY, now=NOW).valid

    out["webhook_sign_verify"] = per_op(webhook)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
