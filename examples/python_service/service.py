"""A payments API whose middleware verifies FinFusion keys: ``Authorization: Bearer <key>``,
the RFC 9421 signature when the request carries one (restricted keys must sign, when the
type table says so), the route's scopes, usage and audit through the registry; refusals are
401, 403 or 429 with the decision's code.

  FINFUSION_REGISTRY=postgresql://... FINFUSION_PEPPERS=p1=<base64> \\
  FINFUSION_SECRET_KEYS=m1=<base64> python examples/python_service/service.py --port 8081

Environment: FINFUSION_REGISTRY (the store), FINFUSION_PEPPERS and FINFUSION_SECRET_KEYS
("id=base64,...", the first current), FINFUSION_TYPE_TABLE (policy overrides as JSON),
FINFUSION_ENVIRONMENT (default production). examples/node_service is the same in Node.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import json
import math
import os
import time
from typing import AsyncIterator, Awaitable, Callable, Dict, List, Optional, Tuple

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from finfusion import FinFusionError, hashing, keys, signing
from finfusion.keys import TypeTable
from finfusion.registry import Registry

# The scopes each route needs.
SCOPES: Dict[Tuple[str, str], List[str]] = {
    ("GET", "/v1/payments"): ["payments:read"],
    ("POST", "/v1/payments"): ["payments:charge"],
}
# Decision codes that are not "who are you" (401) but "not this" (403) or "not now" (429).
STATUS = {"insufficient_scope": 403, "environment_mismatch": 403, "rate_limited": 429}


def keyed(variable: str) -> Tuple[Dict[str, bytes], str]:
    items = [item.partition("=") for item in os.environ[variable].split(",") if item]
    return {k: base64.b64decode(v, validate=True) for k, _, v in items}, items[0][0]


def refuse(status: int, code: str, message: str, retry_after_ms: int = 0) -> JSONResponse:
    headers = {"Retry-After": str(max(1, math.ceil(retry_after_ms / 1000)))} if status == 429 else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


class FinFusionAuth(BaseHTTPMiddleware):
    def __init__(self, app: Callable[..., Awaitable[None]], registry: Registry, environment: str,
                 nonces: signing.NonceCache) -> None:
        super().__init__(app)
        self.registry = registry
        self.environment = environment
        self.nonces = nonces

    def signer(self, request: Request, key: str, body: bytes) -> Tuple[str, Optional[str]]:
        """The keyid that signed the request ("" when unsigned), or the refusal code."""
        if "signature-input" not in request.headers:
            return "", None
        try:
            verifying = self.registry.signing_key(keys.parse(key).id).verifying_key()
        except FinFusionError:
            return "", "signature_invalid"  # a signature, but no signing secret for this key
        v = signing.verify_request(request.method, str(request.url), list(request.headers.items()), body,
                                   keys=[verifying], nonces=self.nonces)
        return (v.signer, None) if v.valid else ("", v.code)

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        required = SCOPES.get((request.method, request.url.path))
        if required is None:
            return await call_next(request)
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return refuse(401, "malformed_key", "authorization: expected Bearer <key>")
        key = header[len("Bearer "):].strip()
        body = await request.body()
        signed_by, failure = self.signer(request, key, body) if keys.check_format(key) == "valid" else ("", None)
        if failure:
            return refuse(401, failure, "the request's signature does not verify")
        started = time.perf_counter()
        decision = self.registry.verify(key, now=dt.datetime.now(dt.timezone.utc), required=required,
                                        environment=self.environment, service="payments-api", signed_by=signed_by)
        if not decision.valid:
            return refuse(STATUS.get(decision.code, 401), decision.code, "the key was refused",
                          decision.rate_limit["retryAfterMs"])
        request.state.key_id = decision.key_id
        request.state.verified_in_ms = (time.perf_counter() - started) * 1000
        return await call_next(request)


async def list_payments(request: Request) -> Response:
    return JSONResponse({"ok": True, "keyId": request.state.key_id, "payments": []})


async def charge(request: Request) -> Response:
    return JSONResponse({"ok": True, "keyId": request.state.key_id, "charged": json.loads(await request.body() or b"{}")},
                        status_code=201)


def create_app() -> Starlette:
    peppers, current = keyed("FINFUSION_PEPPERS")
    registry = Registry(hashing.Hasher(peppers, current=current), TypeTable(os.environ.get("FINFUSION_TYPE_TABLE", "{}")),
                        store=os.environ["FINFUSION_REGISTRY"])
    if os.environ.get("FINFUSION_SECRET_KEYS"):
        registry.set_master_keys(*keyed("FINFUSION_SECRET_KEYS"))
    routes = [Route("/v1/payments", list_payments, methods=["GET"]), Route("/v1/payments", charge, methods=["POST"])]
    auth = Middleware(FinFusionAuth, registry=registry, environment=os.environ.get("FINFUSION_ENVIRONMENT", "production"),
                      nonces=signing.NonceCache())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # The registry holds verifications back and writes them in batches; an idle service
        # writes them out every second, and all of them when it stops.
        async def flush_every_second() -> None:
            while True:
                await asyncio.sleep(1)
                registry.flush()
        task = asyncio.create_task(flush_every_second())
        yield
        task.cancel()
        registry.flush()

    return Starlette(routes=routes, middleware=[auth], lifespan=lifespan)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    app = create_app()
    print(f"listening on http://{args.host}:{args.port}", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
