"""Drives the real finfusion-keys binary: every subcommand, --json output parsed, exit codes
(0 done, 1 negative verdict, 2 usage/input/storage error), bad arguments, and no secret
printed outside create and rotate. Standard library only: ctest runs it as
`python3 tests/cli/test_cli.py <path to finfusion-keys>`."""

import base64
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from throwaway_postgres import fresh_database  # noqa: E402

BINARY = sys.argv.pop(1) if len(sys.argv) > 1 else "finfusion-keys"
NOW = "2026-01-01T00:00:00Z"


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "keys.db")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FINFUSION_")}
        self.env["FINFUSION_REGISTRY"] = "sqlite:" + self.db
        self.secrets = []

    def tearDown(self):
        self.dir.cleanup()

    def run_cli(self, *args, code=0, stdin=None, now=NOW):
        argv = [BINARY, *args] + (["--now", now] if now else [])
        p = subprocess.run(argv, capture_output=True, text=True, env=self.env, input=stdin, timeout=60)
        self.assertEqual(p.returncode, code, f"{args}: {p.stdout}{p.stderr}")
        for secret in self.secrets:
            if args and args[0] not in ("create", "rotate", "emergency-revoke"):
                self.assertNotIn(secret[-49:-6], p.stdout + p.stderr, args)
        return p

    def json_of(self, *args, code=0, **kw):
        return json.loads(self.run_cli(*args, "--json", code=code, **kw).stdout)

    def create(self, *extra):
        out = self.json_of("create", "--name", "Production API Key", "--type", "production",
                           "--permissions", "payments,kyc,reporting", "--expiration", "2026-12-31", *extra)
        self.secrets.append(out["key"])
        return out

    def test_the_seed_lifecycle(self):
        self.lifecycle()
        # The pepper file was made beside the registry, readable by its owner only.
        mode = stat.S_IMODE(os.stat(self.db + ".peppers").st_mode)
        self.assertEqual(mode, 0o600)

    def test_the_seed_lifecycle_on_postgresql(self):
        url = fresh_database("finfusion_cli")
        if url is None:
            self.skipTest("no PostgreSQL server (make test starts one)")
        self.env["FINFUSION_REGISTRY"] = url
        # A fleet's registry has no pepper file beside it: without the peppers, nothing runs.
        self.assertIn("needs its peppers", self.run_cli("list", code=2).stderr)
        self.env["FINFUSION_PEPPERS"] = "p1=" + base64.b64encode(b"\x03" * 32).decode()
        self.lifecycle()
        # Each run of the command line was a writer with a chain of its own; all of them verify.
        chain = self.json_of("audit", "verify-chain")
        self.assertTrue(chain["ok"])
        self.assertGreater(chain["chains"], 1)
        # A server that cannot be reached is a storage error, and the URL's password stays out of it.
        self.env["FINFUSION_REGISTRY"] = "postgresql://u:sekrit-password@127.0.0.1:1/x?connect_timeout=2"
        failed = self.run_cli("list", code=2)
        self.assertIn("storage_unavailable", failed.stderr)
        self.assertNotIn("sekrit", failed.stderr + failed.stdout)

    def lifecycle(self):
        created = self.create()
        key, key_id = created["key"], created["record"]["id"]
        self.assertTrue(key.startswith("prod_") and created["record"]["status"] == "active")
        self.assertEqual([r["id"] for r in self.json_of("list")], [key_id])
        self.assertIn(key_id, self.run_cli("list").stdout)
        self.assertEqual(self.json_of("show", key_id)["code"], "valid")
        decision = self.json_of("verify", key, "--required", "payments:charge", "--environment", "production")
        self.assertTrue(decision["valid"])
        self.assertEqual(self.json_of("verify", "-", stdin=key + "\n")["code"], "valid")
        self.assertEqual(self.json_of("verify", key, "--required", "admin", code=1)["code"], "insufficient_scope")
        refused = self.run_cli("verify", key[:-1] + ("A" if key[-1] != "A" else "B"), code=1)
        self.assertIn("refused: bad_checksum", refused.stdout)

        rotated = self.json_of("rotate", key_id, "--grace", "1h", "--notify", "security@yourcompany.com",
                               now="2026-01-02T00:00:00Z")
        self.secrets.append(rotated["key"])
        self.assertEqual(rotated["previousId"], key_id)
        self.assertTrue(self.json_of("verify", key, now="2026-01-02T00:30:00Z")["inGrace"])
        self.assertEqual(self.json_of("verify", key, now="2026-01-02T01:00:00Z", code=1)["code"], "expired")
        conflict = self.run_cli("rotate", key_id, code=2, now="2026-01-02T00:10:00Z")
        self.assertIn("error: conflict", conflict.stderr)

        new_id = rotated["record"]["id"]
        self.assertEqual(self.json_of("revoke", new_id, "--reason", "leaked")["status"], "revoked")
        self.assertEqual(self.json_of("verify", rotated["key"], code=1)["code"], "revoked")
        self.assertIn("error: conflict", self.run_cli("revoke", new_id, code=2).stderr)

        usage = self.json_of("usage", key_id, "--start", "2026-01-01", "--end", "2026-01-03")
        self.assertGreaterEqual(usage["requests"], 4)
        events = self.json_of("logs", "--limit", "1000")
        types = [e["type"] for e in events]
        for t in ("key.created", "key.accessed", "key.verification_failed", "key.rotated", "key.revoked"):
            self.assertIn(t, types)
        self.assertTrue(all(e["keyId"] == key_id for e in self.json_of("logs", key_id)))
        self.assertEqual(len(self.json_of("logs", "--limit", "2")), 2)
        self.assertEqual({e["type"] for e in self.json_of("logs", "--type", "key.rotated")}, {"key.rotated"})
        self.assertIn("key.created", self.run_cli("logs").stdout)
        chain = self.json_of("audit", "verify-chain")
        self.assertTrue(chain["ok"])
        self.assertEqual(chain["checked"], len(events))
        self.assertIn("chain ok", self.run_cli("audit", "verify-chain").stdout)
        self.assertIn("summary", self.json_of("policy"))
        # The rotation's notice waits in the outbox (the admin service mails it).
        (notice,) = self.json_of("notifications")
        self.assertEqual((notice["kind"], notice["recipients"], notice["status"]),
                         ("key.rotated", ["security@yourcompany.com"], "pending"))
        self.assertIn("key.rotated", self.run_cli("notifications", "--status", "pending").stdout)
        self.assertEqual(self.json_of("notifications", "--status", "sent"), [])
        self.create()  # live until 2026-12-31, its rotation long due by Christmas
        warned = self.json_of("notifications", "--queue-warnings", "--alert-to", "ops@example.com",
                              now="2026-12-25T00:00:00Z")
        self.assertEqual({n["kind"] for n in warned}, {"key.rotated", "key.expiring", "key.rotation_due"})
        self.assertIn("error: invalid_request", self.run_cli("notifications", "--status", "lost", code=2).stderr)
        self.assertIn("error: invalid_request", self.run_cli("notifications", "--alert-to", "nobody", code=2).stderr)

    def test_create_from_the_seed_request_and_restricted_children(self):
        parent = self.json_of("create", "--request", json.dumps(
            {"name": "Production API Key", "type": "production", "permissions": ["payments", "kyc", "reporting"],
             "expiration": "2026-12-31"}))
        self.secrets.append(parent["key"])
        child = self.json_of("create", "--name", "ledger", "--type", "restricted", "--permissions", "payments",
                             "--service", "ledger", "--parent", parent["record"]["id"])
        self.secrets.append(child["key"])
        self.assertEqual(child["record"]["parentKeyId"], parent["record"]["id"])
        out = self.json_of("emergency-revoke", parent["record"]["id"], "--reason", "compromised")
        self.assertEqual(set(out["revoked"]), {parent["record"]["id"], child["record"]["id"]})
        self.assertEqual(len(out["replacements"]), 2)
        for r in out["replacements"]:
            self.secrets.append(r["key"])
            self.assertEqual(self.json_of("verify", r["key"], "--service", "ledger" if r["key"].startswith("rest_")
                                          else "")["code"], "valid")
        self.assertEqual(self.json_of("verify", parent["key"], code=1)["code"], "revoked")

    def test_rotate_due_is_idempotent(self):
        self.create()
        self.assertEqual(self.json_of("rotate", "--due"), [])
        later = "2026-04-05T00:00:00Z"  # past the 90-day rotation period
        first = self.json_of("rotate", "--due", now=later)
        self.assertEqual(len(first), 1)
        self.secrets.append(first[0]["key"])
        self.assertEqual(self.json_of("rotate", "--due", now=later), [])
        self.assertIn("nothing due", self.run_cli("rotate", "--due", now=later).stdout)

    def test_bad_arguments_and_inputs_exit_2(self):
        self.run_cli(code=2)
        self.run_cli("frobnicate", code=2)
        self.run_cli("show", code=2)
        self.run_cli("create", "--type", "production", code=2)  # the core names the missing name
        self.run_cli("create", "--request", "{not json", code=2)
        self.run_cli("list", now="yesterday", code=2)
        self.run_cli("show", "nope", code=2)
        self.run_cli("show", "prod_AAAAAAAAAAAAAAAA", code=2)
        self.run_cli("rotate", code=2)
        self.run_cli("rotate", "prod_AAAAAAAAAAAAAAAA", "--grace", "forever", code=2)
        self.run_cli("logs", "--limit", "0", code=2)
        self.run_cli("usage", "prod_AAAAAAAAAAAAAAAA", "--start", "2026-01-02", "--end", "2026-01-01", code=2)
        self.run_cli("list", "--registry", "postgres://nowhere", code=2)
        self.run_cli("list", "--registry", "sqlite:" + os.path.join(self.dir.name, "no", "such", "dir.db"), code=2)
        self.assertEqual(self.run_cli("--help", now=None).returncode, 0)
        self.assertIn(".", self.run_cli("--version", now=None).stdout)

    def test_export_and_import(self):
        created = self.create()
        self.json_of("verify", created["key"])
        key_file = os.path.join(self.dir.name, "master.key")
        with open(key_file, "w") as f:
            f.write(base64.b64encode(b"*" * 32).decode() + "\n")
        out = os.path.join(self.dir.name, "backup.ffx")
        self.run_cli("export", "--key-file", key_file, "--out", out)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        with open(out) as f:
            text = f.read()
        self.assertTrue(text.startswith("ffx1."))
        self.assertNotIn(created["record"]["id"], text)
        restored = "sqlite:" + os.path.join(self.dir.name, "restored.db")
        self.env["FINFUSION_PEPPERS"] = ""  # the restored registry uses the same peppers file
        peppers = self.db + ".peppers"
        self.assertEqual(self.json_of("import", out, "--key-file", key_file, "--registry", restored,
                                      "--pepper-file", peppers)["imported"], 1)
        self.assertTrue(self.json_of("verify", created["key"], "--registry", restored, "--pepper-file", peppers)["valid"])
        self.assertTrue(self.json_of("audit", "verify-chain", "--registry", restored, "--pepper-file", peppers)["ok"])
        # Again: the registry is not empty any more; a wrong key and no key are refused.
        self.assertIn("precondition_failed", self.run_cli("import", out, "--key-file", key_file, "--registry", restored,
                                                          "--pepper-file", peppers, code=2).stderr)
        wrong = os.path.join(self.dir.name, "wrong.key")
        with open(wrong, "w") as f:
            f.write(base64.b64encode(b")" * 32).decode() + "\n")
        other = "sqlite:" + os.path.join(self.dir.name, "other.db")
        self.assertIn("wrong key", self.run_cli("import", out, "--key-file", wrong, "--registry", other, code=2).stderr)
        self.assertIn("no master key", self.run_cli("export", code=2).stderr)
        self.env["FINFUSION_MASTER_KEY"] = base64.b64encode(b"*" * 32).decode()
        self.assertTrue(self.run_cli("export").stdout.startswith("ffx1."))

    def test_sign_and_verify_signature(self):
        secret_file = os.path.join(self.dir.name, "signing.key")
        with open(secret_file, "w") as f:
            f.write(base64.b64encode(b"s" * 32).decode() + "\n")
        body_file = os.path.join(self.dir.name, "body.json")
        with open(body_file, "w") as f:
            f.write('{"amount": 1000}')
        common = ["--key-id", "key_1", "--secret-file", secret_file, "--method", "POST",
                  "--url", "https://api.example.com/v1/pay", "--header", "Content-Type: application/json"]
        for algorithm in ("hmac-sha256", "ed25519"):
            added = self.json_of("sign", *common, "--algorithm", algorithm, "--body-file", body_file, "--nonce", "random")
            self.assertEqual(list(added), ["Content-Digest", "Signature-Input", "Signature"])
            signed = [x for n, v in added.items() for x in ("--header", f"{n}: {v}")]
            ok = self.json_of("verify-signature", *common, *signed, "--algorithm", algorithm, "--body-file", body_file,
                              "--require-nonce")
            self.assertEqual((ok["valid"], ok["keyId"], ok["alg"]), (True, "key_1", algorithm))
            bad = self.json_of("verify-signature", *common, *signed, "--algorithm", algorithm, "--body", "{}", code=1)
            self.assertEqual(bad["code"], "signature_invalid")
        human = self.run_cli("sign", *common).stdout
        self.assertTrue(human.startswith("Signature-Input: sig1=("))
        self.assertNotIn(base64.b64encode(b"s" * 32).decode(), human)
        self.run_cli("sign", *common, "--algorithm", "rsa", code=2)
        self.run_cli("sign", *common, "--component", "x-missing", code=2)
        self.run_cli("sign", "--key-id", "k", "--secret-file", os.path.join(self.dir.name, "nope"), "--method", "GET",
                     "--url", "https://x.example/", code=2)

    def test_secrets_issued_sealed_and_reencrypted(self):
        key_id = self.create()["record"]["id"]
        # Without master keys nothing is kept.
        self.assertIn("no master keys", self.run_cli("secrets", "issue-webhook", "ep_orders", code=2).stderr)
        m1 = "m1=" + base64.b64encode(b"\x11" * 32).decode()
        m2 = "m2=" + base64.b64encode(b"\x22" * 32).decode()
        self.env["FINFUSION_SECRET_KEYS"] = m1
        issued = self.json_of("secrets", "issue-signing", key_id, "--algorithm", "ed25519")
        self.assertEqual((issued["keyId"], issued["algorithm"]), (key_id, "ed25519"))
        hook = self.json_of("secrets", "issue-webhook", "ep_orders")
        self.assertTrue(hook["secret"].startswith("whsec_"))
        # The issued secret is what `sign` takes; neither is anywhere in the file in clear.
        secret_file = os.path.join(self.dir.name, "client.key")
        with open(secret_file, "w") as f:
            f.write(issued["secret"] + "\n")
        added = self.json_of("sign", "--key-id", key_id, "--secret-file", secret_file, "--algorithm", "ed25519",
                             "--method", "GET", "--url", "https://api.example.com/v1/balance")
        self.assertIn("Signature", added)
        with open(self.db, "rb") as f:
            stored = f.read()
        for secret in (issued["secret"], hook["secret"], hook["secret"][6:]):
            self.assertNotIn(secret.encode(), stored)
        self.secrets += [hook["secret"]]
        # Master-key rotation: m2 current, m1 kept until everything is re-sealed.
        self.env["FINFUSION_SECRET_KEYS"] = m2 + "," + m1
        self.assertEqual(self.json_of("secrets", "reencrypt")["reencrypted"], 2)
        self.assertEqual(self.json_of("secrets", "reencrypt")["reencrypted"], 0)
        keys_file = os.path.join(self.dir.name, "secret.keys")
        with open(keys_file, "w") as f:
            f.write(m2 + "\n")
        del self.env["FINFUSION_SECRET_KEYS"]
        self.assertIn("re-sealed 0", self.run_cli("secrets", "--secret-keys-file", keys_file, "reencrypt").stdout)
        logs = self.json_of("logs", "--type", "secret.issued,secret.reencrypted")
        self.assertEqual([e["type"] for e in logs], ["secret.issued", "secret.issued", "secret.reencrypted"])
        self.env["FINFUSION_SECRET_KEYS"] = "m1=notbase64!"
        self.run_cli("secrets", "reencrypt", code=2)
        self.env["FINFUSION_SECRET_KEYS"] = m2
        self.run_cli("secrets", "issue-webhook", "bad endpoint", code=2)
        self.run_cli("secrets", code=2)

    def test_memory_registry_and_peppers_from_the_environment(self):
        self.env["FINFUSION_PEPPERS"] = "p1=" + base64.b64encode(b"\x01" * 32).decode()
        out = self.json_of("create", "--name", "x", "--type", "development", "--permissions", "payments",
                           "--registry", "memory:")
        self.secrets.append(out["key"])
        self.assertEqual(self.json_of("list", "--registry", "memory:"), [])  # a fresh process, a fresh registry
        self.env["FINFUSION_PEPPERS"] = "not a pepper list"
        self.run_cli("list", code=2)


if __name__ == "__main__":
    unittest.main(verbosity=1)
