"""Runs the signing benchmarks of the three bindings in one go and prints them side by side:
native (bench_core, Google Benchmark), Python (bench_signing.py) and Node (bench_signing.mjs),
with each binding's ratio to native. `make bench` runs it after the native suite."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NATIVE_NAMES = {"BM_sign_verify_pair/0": "sign_verify_pair/hmac-sha256",
                "BM_sign_verify_pair/1": "sign_verify_pair/ed25519",
                "BM_webhook_sign_verify": "webhook_sign_verify"}


def native(binary: str) -> dict:
    out = subprocess.run([binary, "--benchmark_filter=BM_sign_verify_pair|BM_webhook_sign_verify",
                          "--benchmark_format=json", "--benchmark_min_time=0.5", "--benchmark_repetitions=3",
                          "--benchmark_report_aggregates_only=true"], check=True, capture_output=True, text=True).stdout
    figures = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            figures[NATIVE_NAMES[b["run_name"]]] = b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6}[b["time_unit"]]
    return figures


def main() -> None:
    python, binary = sys.argv[1], sys.argv[2]
    rows = {"native": native(binary),
            "python": json.loads(subprocess.run([python, str(ROOT / "bench" / "bench_signing.py")], check=True,
                                                capture_output=True, text=True, cwd="/").stdout),
            "node": json.loads(subprocess.run(["node", str(ROOT / "bench" / "bench_signing.mjs")], check=True,
                                              capture_output=True, text=True).stdout)}
    print("\nRFC 9421 sign + verify of the typical request (POST, target URI, 4 headers, 1 KiB body with")
    print("Content-Digest) and a Standard Webhooks sign + verify, median ns per operation, one run:\n")
    print(f"{'operation':32} {'native':>10} {'python':>10} {'x native':>9} {'node':>10} {'x native':>9}")
    for op, n in rows["native"].items():
        p, j = rows["python"][op], rows["node"][op]
        print(f"{op:32} {n:10.0f} {p:10.0f} {p / n:9.2f} {j:10.0f} {j / n:9.2f}")


if __name__ == "__main__":
    main()
