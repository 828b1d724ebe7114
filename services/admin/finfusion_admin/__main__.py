"""``python -m finfusion_admin``: serve the admin API, or manage its tokens.

  python -m finfusion_admin serve [--registry sqlite:keys.db] [--host 127.0.0.1] [--port 8080]
  python -m finfusion_admin token issue NAME --role admin|auditor|verifier
  python -m finfusion_admin token revoke NAME
  python -m finfusion_admin token list

The registry and its peppers are found as the command line finds them: ``--registry`` or
FINFUSION_REGISTRY (default ``sqlite:finfusion-keys.db``), FINFUSION_PEPPERS
(``id=base64,...``, the first current) or the pepper file beside a SQLite registry
(``PATH.peppers``, made on first use). Tokens live in ``--tokens`` (default: beside the
registry, ``PATH.admin-tokens.json``). ``serve`` issues a first admin token when there is
none and prints it once. FINFUSION_ADMIN_NOW pins the clock (for demos and tests only).
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import json
import os
import pathlib
import socket
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

from finfusion import FinFusionError, hashing
from finfusion import time as fftime
from finfusion.registry import Registry

from .app import create_app
from .mailer import Mailer, SmtpSettings
from .tokens import ROLES, AdminTokens


def _peppers(registry: str, pepper_file: Optional[str]) -> hashing.Hasher:
    env = os.environ.get("FINFUSION_PEPPERS")
    if env:
        items: List[Tuple[str, bytes]] = []
        for item in env.split(","):
            pid, _, b64 = item.partition("=")
            items.append((pid, base64.b64decode(b64, validate=True)))
        return hashing.Hasher(dict(items), current=items[0][0])
    if pepper_file is None and registry.startswith("sqlite:"):
        pepper_file = registry[len("sqlite:"):] + ".peppers"
    if pepper_file is None:
        if registry != "memory:":
            raise SystemExit("this registry needs its peppers: set FINFUSION_PEPPERS or --pepper-file")
        return hashing.Hasher({"local": hashing.generate_pepper()}, current="local")
    path = pathlib.Path(pepper_file)
    if not path.exists():
        pid = f"p{int(time.time())}"
        doc = {"current": pid, "peppers": {pid: base64.b64encode(hashing.generate_pepper()).decode()}}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(json.dumps(doc, indent=2) + "\n")
    doc = json.loads(path.read_text())
    peppers: Dict[str, bytes] = {pid: base64.b64decode(v, validate=True) for pid, v in doc["peppers"].items()}
    return hashing.Hasher(peppers, current=doc["current"])


def _clock() -> Callable[[], _dt.datetime]:
    pinned = os.environ.get("FINFUSION_ADMIN_NOW")
    if not pinned:
        return lambda: _dt.datetime.now(_dt.timezone.utc)
    at = fftime.parse_timestamp(pinned)
    return lambda: at


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m finfusion_admin", description="The FinFusion Keys admin API.")
    parser.add_argument("--registry", default=os.environ.get("FINFUSION_REGISTRY", "sqlite:finfusion-keys.db"))
    parser.add_argument("--pepper-file")
    parser.add_argument("--tokens", help="the tokens file (default: beside the registry)")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--rotate-every", default="15m",
                       help="rotate keys whose rotation is due this often (a duration; 0 for never)")
    serve.add_argument("--rotation-grace", default="48h", help="how long a rotated key keeps working")
    serve.add_argument("--smtp", default=os.environ.get("FINFUSION_SMTP"),
                       help="deliver notifications through this mail server, HOST:PORT (default: FINFUSION_SMTP; "
                            "none: they wait in the registry's outbox)")
    serve.add_argument("--smtp-security", choices=["none", "starttls", "tls"], default="starttls",
                       help="how to reach the mail server (a login needs starttls or tls)")
    serve.add_argument("--mail-from", default=os.environ.get("FINFUSION_MAIL_FROM", "finfusion-keys@localhost"),
                       help="the notifications' From address")
    serve.add_argument("--alert-to", action="append", default=[],
                       help="who gets every key's warnings and alerts, besides its owner (repeatable)")
    serve.add_argument("--notify-every", default="30s", help="how often to deliver notifications (a duration)")
    serve.add_argument("--warn-every", default="1h",
                       help="how often to queue expiry and rotation-due warnings (a duration; the scan reads every key)")
    serve.add_argument("--package-dir", help="the npm package's dist folder, for the console's key inspector "
                                             "(default: bindings/node/dist of this repository, when built)")
    token = sub.add_parser("token", help="manage admin tokens")
    tsub = token.add_subparsers(dest="action", required=True)
    issue = tsub.add_parser("issue")
    issue.add_argument("name")
    issue.add_argument("--role", choices=sorted(ROLES), required=True)
    revoke = tsub.add_parser("revoke")
    revoke.add_argument("name")
    tsub.add_parser("list")
    args = parser.parse_args(argv)

    hasher = _peppers(args.registry, args.pepper_file)
    base = args.registry[len("sqlite:"):] if args.registry.startswith("sqlite:") else "finfusion-keys"
    tokens = AdminTokens(pathlib.Path(args.tokens or base + ".admin-tokens.json"), hasher)
    if args.command == "token":
        if args.action == "issue":
            print(tokens.issue(args.name, args.role))
        elif args.action == "revoke":
            tokens.revoke(args.name)
        else:
            print("\n".join(tokens.names()))
        return 0

    import uvicorn

    clock = _clock()
    # Everything that can be refused is checked before the first token or the URL is printed.
    mailer = None
    try:
        registry = Registry(hasher, store=args.registry)
        registry.set_alert_recipients(args.alert_to)
        every = fftime.parse_duration(args.rotate_every)
        notify_every = fftime.parse_duration(args.notify_every)
        if args.smtp:
            host, _, port = args.smtp.rpartition(":")
            if not host or not port.isdigit():
                raise ValueError("--smtp: HOST:PORT")
            user, password = os.environ.get("FINFUSION_SMTP_USER"), os.environ.get("FINFUSION_SMTP_PASSWORD")
            settings = SmtpSettings(host, int(port), args.mail_from, args.smtp_security, user, password)
            mailer = Mailer(registry, settings, worker=f"{socket.gethostname()}:{os.getpid()}", clock=clock,
                            warn_every=fftime.parse_duration(args.warn_every))
    except (FinFusionError, ValueError) as e:
        print(f"error: {getattr(e, 'code', 'invalid_request')}: {getattr(e, 'message', e)}", file=sys.stderr)
        return 2
    if not tokens.names():
        first = tokens.issue("admin", "admin")
        print(f"first admin token (shown once, keep it in a secret store): {first}", flush=True)
    print(f"FinFusion admin API on http://{args.host}:{args.port}/ (console at /console/, OpenAPI at /openapi.json)",
          flush=True)
    package = pathlib.Path(args.package_dir) if args.package_dir else None
    if package is None:
        built = pathlib.Path(__file__).resolve().parents[3] / "bindings" / "node" / "dist"
        package = built if (built / "index.mjs").exists() else None
    app = create_app(registry, tokens, clock=clock, rotate_every=every or None, rotation_grace=args.rotation_grace,
                     mailer=mailer, notify_every=notify_every, package_dir=package)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
