"""Runs the benchmarks of the three bindings in one go and prints them side by side: native
(bench_core, Google Benchmark), Python (bench_*.py) and Node (bench_*.mjs), each binding's
ratio to native and, for key verification, to its standard-library peer (what a team would
write without us). `make bench` runs it after the native suite.

    python bench/tables.py PYTHON BENCH_CORE [JAR]

With the Java package's jar, key verification gets Java columns too (bench/BenchVerify.java).
"""

from __future__ import annotations

import gzip
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
UNIT = {"ns": 1, "us": 1e3, "ms": 1e6}

SIGNING = {"BM_sign_verify_pair/0": "sign_verify_pair/hmac-sha256",
           "BM_sign_verify_pair/1": "sign_verify_pair/ed25519",
           "BM_webhook_sign_verify": "webhook_sign_verify"}
VERIFY = {"BM_check_format": "check_format", "BM_hash": "hash", "BM_registry_verify": "verify"}
FLOOR = {"BM_floor_sha256_block/0": "SHA-256, one block, SHA extensions",
         "BM_floor_sha256_block/1": "SHA-256, one block, portable C++ (ours: other CPUs, WebAssembly)",
         "BM_floor_sha256_block/2": "SHA-256, one block, portable C (libsodium)",
         "BM_floor_blake2b_block": "BLAKE2b, one block (libsodium)",
         "BM_keyed_blake2b": "keyed BLAKE2b-256 of a key",
         "BM_floor_verify_hashes": "a verification's hashes (key HMAC, event seal)",
         "BM_ed25519_pair/0": "Ed25519 sign + verify, libsodium (ours)",
         "BM_ed25519_pair/1": "Ed25519 sign + verify, OpenSSL 3"}


def native(binary: str, names: dict) -> dict:
    """Medians of three repetitions, in ns."""
    pattern = "|".join(sorted({f"^{n.split('/')[0]}(/|$)" for n in names}))  # exact names, any argument
    out = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json",
                          "--benchmark_min_time=0.5", "--benchmark_repetitions=3",
                          "--benchmark_report_aggregates_only=true"], check=True, capture_output=True, text=True).stdout
    return {names[b["run_name"]]: b["real_time"] * UNIT[b["time_unit"]]
            for b in json.loads(out)["benchmarks"] if b.get("aggregate_name") == "median" and b["run_name"] in names}


def binding(command: list) -> dict:
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True, cwd=BENCH).stdout)


def main() -> None:
    python, binary = sys.argv[1], sys.argv[2]

    print("\nThe floor on this CPU, median ns per operation, one run:\n")
    for op, ns in native(binary, FLOOR).items():
        print(f"{op:44} {ns:10.0f}")

    n, p, j = (native(binary, SIGNING), binding([python, "bench_signing.py"]), binding(["node", "bench_signing.mjs"]))
    print("\nRFC 9421 sign + verify of the typical request (POST, target URI, 4 headers, 1 KiB body with")
    print("Content-Digest) and a Standard Webhooks sign + verify, median ns per operation, one run.")
    print("'peer' is the same RFC 9421 work written on the language's standard library (hashlib and")
    print("hmac with `cryptography` for Ed25519 in Python, node:crypto in Node):\n")
    print(f"{'operation':30} {'native':>8} {'python':>8} {'x nat':>6} {'py peer':>8} {'peer/py':>7} "
          f"{'node':>8} {'x nat':>6} {'js peer':>8} {'peer/js':>7}")
    for op, ns in n.items():
        pp, jp = p.get(op + "/peer"), j.get(op + "/peer")
        py_peer = f"{pp:8.0f} {pp / p[op]:7.2f}" if pp else f"{'':8} {'':7}"
        js_peer = f"{jp:8.0f} {jp / j[op]:7.2f}" if jp else f"{'':8} {'':7}"
        print(f"{op:30} {ns:8.0f} {p[op]:8.0f} {p[op] / ns:6.2f} {py_peer} {j[op]:8.0f} {j[op] / ns:6.2f} {js_peer}")

    n, p, j = native(binary, VERIFY), binding([python, "bench_verify.py"]), binding(["node", "bench_verify.mjs"])
    jar = sys.argv[3] if len(sys.argv) > 3 else None
    v = binding(["java", "-cp", jar, "BenchVerify.java"]) if jar else None
    print("\nKey verification, median ns per operation, one run. 'peer' is the same decision written with")
    print("the language's standard library (regex, CRC-32, HMAC-SHA256, constant-time compare, a dict of")
    print("records); ours also enforces the rate limit and writes usage and a hash-chained audit event:\n")
    java_head = f" {'java':>8} {'x nat':>6} {'jdk peer':>8} {'peer/jv':>7}" if v else ""
    print(f"{'operation':14} {'native':>8} {'python':>8} {'x nat':>6} {'py peer':>8} {'peer/py':>7} "
          f"{'node':>8} {'x nat':>6} {'js peer':>8} {'peer/js':>7}" + java_head)
    for op, ns in n.items():
        py, pp, js, jp = p[op], p[op + "/peer"], j[op], j[op + "/peer"]
        java = f" {v[op]:8.0f} {v[op] / ns:6.2f} {v[op + '/peer']:8.0f} {v[op + '/peer'] / v[op]:7.2f}" if v else ""
        print(f"{op:14} {ns:8.0f} {py:8.0f} {py / ns:6.2f} {pp:8.0f} {pp / py:7.2f} "
              f"{js:8.0f} {js / ns:6.2f} {jp:8.0f} {jp / js:7.2f}" + java)

    print(f"\nOne SHA-256 block in WebAssembly under Node (ours, portable: no SHA instructions there): "
          f"{j['sha256_block']:.0f} ns; a key's stored form is three.")

    dist = ROOT / "bindings" / "node" / "dist"
    core = sum(len(gzip.compress((dist / name).read_bytes(), 9)) for name in ("finfusion_core.mjs", "finfusion_core.wasm"))
    print(f"\nThe WebAssembly package's core (dist/finfusion_core.mjs and .wasm): {core / 1024:.0f} KiB "
          f"gzipped; instantiated in Node (the first await ready()) in {j['instantiate_ms']:.1f} ms.")


if __name__ == "__main__":
    main()
