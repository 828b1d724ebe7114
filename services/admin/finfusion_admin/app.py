"""The admin API as an ASGI application (Starlette): the seed's ``/v1/api-keys`` endpoints
over a :class:`finfusion.registry.Registry`, bearer tokens with roles, the OpenAPI
description, health checks and Prometheus metrics.

Every decision is the core's: request bodies go to the registry as they came (so a create
body is checked by ``parse_create_request``, unknown fields included), and a core error code
becomes an HTTP status through one table. Responses carry the core's canonical JSON.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as _dt
import json
import logging
import math
import pathlib
import re
import time as _time
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, List, Mapping, Optional

import prometheus_client as prom
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from finfusion import FinFusionError, ratelimit
from finfusion.registry import Registry

from .mailer import Mailer
from .openapi import OPENAPI
from .tokens import AdminTokens, Principal

Clock = Callable[[], _dt.datetime]
_LOG = logging.getLogger("finfusion_admin")

#: HTTP status of each core code an operation can fail with.
STATUS: Dict[str, int] = {
    "malformed_key": 400, "bad_checksum": 400, "unknown_prefix": 400, "invalid_scope": 400,
    "invalid_duration": 400, "invalid_timestamp": 400, "invalid_request": 400,
    "not_found": 404, "conflict": 409, "precondition_failed": 412, "rate_limited": 429,
    "storage_unavailable": 503, "internal": 500,
}
MAX_BODY = 64 * 1024
_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[0-9]+\])?(?:\.[A-Za-z][A-Za-z0-9_]*)*): ")


def _utc_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


class ApiError(Exception):
    """A refusal with its status, code, message and (for a bad body) the field."""

    def __init__(self, status: int, code: str, message: str, field: Optional[str] = None,
                 headers: Optional[Mapping[str, str]] = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = dict(headers or {})

    @classmethod
    def from_core(cls, e: FinFusionError) -> "ApiError":
        # The core names the field first in its messages ("expiration: in the past").
        m = _FIELD.match(e.message)
        return cls(STATUS.get(e.code, 500), e.code, e.message, m.group(1) if m else None)

    def response(self) -> JSONResponse:
        error: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return JSONResponse({"error": error}, status_code=self.status, headers=self.headers)


class Metrics:
    """What the seed's production "SLA guarantees" are measured with."""

    def __init__(self, registry: Registry) -> None:
        self.collectors = prom.CollectorRegistry()
        self.verifications = prom.Counter("finfusion_verifications", "Key verifications by outcome and key type",
                                          ["outcome", "key_type"], registry=self.collectors)
        self.latency = prom.Histogram("finfusion_verification_seconds", "Time to verify a key in the service",
                                      buckets=(1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3, 0.025, 0.1),
                                      registry=self.collectors)
        self.rate_limited = prom.Counter("finfusion_rate_limited", "Requests refused by a rate limit",
                                         ["limit"], registry=self.collectors)
        self.store_errors = prom.Counter("finfusion_store_errors", "Registry operations the store failed",
                                         ["code"], registry=self.collectors)
        self.requests = prom.Counter("finfusion_admin_requests", "Admin API requests by route and status",
                                     ["route", "status"], registry=self.collectors)
        anomalies = prom.Gauge("finfusion_anomaly_events", "key.anomaly events among the newest 1000 in the audit log",
                               registry=self.collectors)
        anomalies.set_function(lambda: float(len(registry.logs(None, limit=1000, event_types=["key.anomaly"]))))

    def render(self) -> bytes:
        return prom.generate_latest(self.collectors)


def _json_body(raw: bytes, allowed: Optional[List[str]] = None) -> Dict[str, Any]:
    """The body as a JSON object, whatever its Content-Type (the seed's curl sends JSON as a
    form); an empty body is {}. ``allowed`` lists the fields an endpoint knows."""
    if len(raw) > MAX_BODY:
        raise ApiError(413, "invalid_request", f"body: larger than {MAX_BODY} bytes", "body")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "invalid_request", "body: not valid JSON", "body") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "body: must be a JSON object", "body")
    for name in body:
        if allowed is not None and name not in allowed:
            raise ApiError(400, "invalid_request", f"{name}: unknown field", name)
    return body


def _field(body: Mapping[str, Any], name: str, kind: Any, default: Any) -> Any:
    value = body.get(name, default)
    if kind is list:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, kind) and not isinstance(value, bool) if kind in (int, (int, float)) else isinstance(value, kind)
    if not ok:
        wanted = {list: "a list of strings", (int, float): "a number"}.get(kind, getattr(kind, "__name__", "?"))
        raise ApiError(400, "invalid_request", f"{name}: must be {wanted}", name)
    return value


def _core(value: Any) -> Any:
    """A record, decision, state, event or report as the core's canonical JSON (parsed)."""
    return json.loads(value.to_json())


def create_app(registry: Registry, tokens: AdminTokens, *, clock: Clock = _utc_now,
               rate_limit: ratelimit.RateLimit = ratelimit.RateLimit(50, _dt.timedelta(seconds=1)),
               rotate_every: Optional[_dt.timedelta] = None, rotation_grace: str = "48h",
               mailer: Optional[Mailer] = None, notify_every: _dt.timedelta = _dt.timedelta(seconds=30),
               console: bool = True, package_dir: Optional[pathlib.Path] = None) -> Starlette:
    """The admin API over ``registry``; ``tokens`` says who may call. Each token may make
    ``rate_limit`` requests (429 with Retry-After beyond it). With ``rotate_every``, the
    service rotates every key whose rotation is due, that often (the seed's automated
    rotation; ``rotation_grace`` for the old keys; several instances may run it at once).
    With ``mailer``, it delivers the registry's outbox every ``notify_every`` (rotation
    notices, warnings and alerts; several instances may). ``console`` serves the browser
    console at /console/, with the npm package's ``dist`` folder (``package_dir``) for its
    offline key inspector."""
    metrics = Metrics(registry)
    rotations = prom.Counter("finfusion_automated_rotations", "Keys rotated because their rotation was due",
                             registry=metrics.collectors)
    deliveries = prom.Counter("finfusion_notifications", "Notification deliveries by outcome", ["outcome"],
                              registry=metrics.collectors)
    limiter_state: Dict[str, ratelimit.State] = {}

    def endpoint(permission: Optional[str], route: str,
                 handler: Callable[[Request, Principal], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def run(request: Request) -> Response:
            try:
                principal = tokens.authenticate(request.headers.get("authorization"))
                if principal is None:
                    raise ApiError(401, "invalid_request", "authorization: a valid admin bearer token is required",
                                   headers={"WWW-Authenticate": 'Bearer realm="finfusion-admin"'})
                if permission is not None and not principal.may(permission):
                    raise ApiError(403, "insufficient_scope", f"the {principal.role} role may not {permission.replace('_', ' ')}")
                # Real time, not `clock` (which a demo may pin): a pinned clock would never refill.
                decision = ratelimit.check(rate_limit, limiter_state.get(principal.name), _utc_now())
                limiter_state[principal.name] = decision.state
                if not decision.allowed:
                    metrics.rate_limited.labels("admin_token").inc()
                    raise ApiError(429, "rate_limited", "too many requests for this token",
                                   headers={"Retry-After": str(max(1, math.ceil(decision.retry_after.total_seconds())))})
                response = await handler(request, principal)
            except FinFusionError as e:
                if e.code in ("storage_unavailable", "internal"):
                    metrics.store_errors.labels(e.code).inc()
                response = ApiError.from_core(e).response()
            except ApiError as e:
                response = e.response()
            metrics.requests.labels(route, str(response.status_code)).inc()
            return response
        return run

    async def create(request: Request, who: Principal) -> Response:
        raw = await request.body()
        _json_body(raw)  # a readable error for text that is not a JSON object; the core checks the fields
        created = registry.create(raw.decode("utf-8"), now=clock(), actor=who.actor)
        return JSONResponse({"key": created.key.reveal(), "record": _core(created.record)}, status_code=201,
                            headers={"Cache-Control": "no-store"})

    async def list_keys(request: Request, who: Principal) -> Response:
        return JSONResponse({"keys": [_core(r) for r in registry.list()]})

    async def get_key(request: Request, who: Principal) -> Response:
        return JSONResponse(_core(registry.get(request.path_params["key_id"])))

    async def rotate(request: Request, who: Principal) -> Response:
        body = _json_body(await request.body(), ["gracePeriod", "notifyEmails", "force"])
        rotated = registry.rotate(request.path_params["key_id"], now=clock(),
                                  grace_period=_field(body, "gracePeriod", str, "48h"),
                                  notify_emails=_field(body, "notifyEmails", list, []),
                                  force=_field(body, "force", bool, False), actor=who.actor)
        return JSONResponse({"key": rotated.key.reveal(), "id": rotated.id, "previous": _core(rotated.previous),
                             "current": _core(rotated.current)}, headers={"Cache-Control": "no-store"})

    async def revoke(request: Request, who: Principal) -> Response:
        body = _json_body(await request.body(), ["reason"])
        record = registry.revoke(request.path_params["key_id"], now=clock(), reason=_field(body, "reason", str, ""),
                                 actor=who.actor)
        return JSONResponse(_core(record))

    async def verify(request: Request, who: Principal) -> Response:
        body = _json_body(await request.body(), ["key", "required", "environment", "service", "cost", "latencyMs"])
        key = _field(body, "key", str, None) if "key" in body else None
        if key is None:
            raise ApiError(400, "invalid_request", "key: required", "key")
        started = _time.perf_counter()
        decision = registry.verify(key, now=clock(), required=_field(body, "required", list, []),
                                   environment=_field(body, "environment", str, ""),
                                   service=_field(body, "service", str, ""), cost=_field(body, "cost", int, 1),
                                   latency_ms=_field(body, "latencyMs", (int, float), None) if "latencyMs" in body else None,
                                   actor=who.actor)
        metrics.latency.observe(_time.perf_counter() - started)
        metrics.verifications.labels(decision.code, decision.type or "unknown").inc()
        if decision.code == "rate_limited":
            metrics.rate_limited.labels("key").inc()
            retry = max(1, math.ceil(decision.retry_after.total_seconds()))
            return JSONResponse(_core(decision), status_code=429, headers={"Retry-After": str(retry)})
        return JSONResponse(_core(decision))

    async def usage(request: Request, who: Principal) -> Response:
        q = request.query_params
        for name in ("start", "end"):
            if not q.get(name):
                raise ApiError(400, "invalid_request", f"{name}: required", name)
        metrics_list = [m for m in q["metrics"].split(",") if m] if q.get("metrics") else None
        return JSONResponse(registry.get_usage(request.path_params["key_id"], start=q["start"], end=q["end"],
                                               metrics=metrics_list))

    def limit_of(request: Request) -> int:
        try:
            return int(request.query_params.get("limit", "100"))
        except ValueError:
            raise ApiError(400, "invalid_request", "limit: must be an integer", "limit") from None

    async def usage_series(request: Request, who: Principal) -> Response:
        # One getUsage report per UTC day from start to end (dates, at most 92 days): what
        # the console charts, in one request.
        q = request.query_params
        days: List[str] = []
        try:
            first, last = _dt.date.fromisoformat(q.get("start", "")), _dt.date.fromisoformat(q.get("end", ""))
        except ValueError:
            raise ApiError(400, "invalid_request", "start, end: must be dates (YYYY-MM-DD)", "start") from None
        if not 0 <= (last - first).days < 92:
            raise ApiError(400, "invalid_request", "end: 1 to 92 days after start", "end")
        while first <= last:
            days.append(first.isoformat())
            first += _dt.timedelta(days=1)
        metrics_list = [m for m in q["metrics"].split(",") if m] if q.get("metrics") else None
        key_id = request.path_params["key_id"]
        return JSONResponse({"keyId": key_id, "days": [
            registry.get_usage(key_id, start=d, end=d, metrics=metrics_list) for d in days]})

    async def logs(request: Request, who: Principal) -> Response:
        types = [t for t in request.query_params.get("eventTypes", "").split(",") if t]
        events = registry.logs(request.path_params["key_id"], limit=limit_of(request), event_types=types)
        return JSONResponse({"events": [_core(e) for e in events]})

    async def key_state(request: Request, who: Principal) -> Response:
        return JSONResponse(_core(registry.status(request.path_params["key_id"], now=clock())))

    async def policy(request: Request, who: Principal) -> Response:
        return JSONResponse(registry.policy_report(now=clock()))

    async def audit_logs(request: Request, who: Principal) -> Response:
        types = [t for t in request.query_params.get("eventTypes", "").split(",") if t]
        events = registry.logs(None, limit=limit_of(request), event_types=types)
        return JSONResponse({"events": [_core(e) for e in events]})

    async def notifications(request: Request, who: Principal) -> Response:
        status = request.query_params.get("status") or None
        return JSONResponse({"notifications": [_core(n) for n in registry.notifications(status=status,
                                                                                         limit=limit_of(request))]})

    async def audit_chain(request: Request, who: Principal) -> Response:
        return JSONResponse(_core(registry.verify_chain()))

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        # A lookup of an id no key has: "not found" proves the store answers.
        try:
            registry.status("prod_0000000000000000", now=clock())
        except FinFusionError as e:
            if e.code != "not_found":
                metrics.store_errors.labels(e.code).inc()
                return JSONResponse({"status": "unavailable", "code": e.code}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def metrics_endpoint(request: Request) -> Response:
        return Response(metrics.render(), media_type=prom.CONTENT_TYPE_LATEST)

    async def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    routes: List[BaseRoute] = [
        Route("/v1/api-keys", endpoint("create", "create", create), methods=["POST"]),
        Route("/v1/api-keys", endpoint("read_keys", "list", list_keys), methods=["GET"]),
        Route("/v1/api-keys/verify", endpoint("verify", "verify", verify), methods=["POST"]),
        Route("/v1/api-keys/{key_id}", endpoint("read_keys", "get", get_key), methods=["GET"]),
        Route("/v1/api-keys/{key_id}/rotate", endpoint("rotate", "rotate", rotate), methods=["POST"]),
        Route("/v1/api-keys/{key_id}/revoke", endpoint("revoke", "revoke", revoke), methods=["POST"]),
        Route("/v1/api-keys/{key_id}/usage", endpoint("read_usage", "usage", usage), methods=["GET"]),
        Route("/v1/api-keys/{key_id}/usage/daily", endpoint("read_usage", "usage_daily", usage_series), methods=["GET"]),
        Route("/v1/api-keys/{key_id}/logs", endpoint("read_logs", "logs", logs), methods=["GET"]),
        Route("/v1/api-keys/{key_id}/status", endpoint("read_keys", "status", key_state), methods=["GET"]),
        Route("/v1/policy", endpoint("read_keys", "policy", policy), methods=["GET"]),
        Route("/v1/audit/logs", endpoint("read_logs", "audit_logs", audit_logs), methods=["GET"]),
        Route("/v1/audit/chain", endpoint("read_logs", "audit_chain", audit_chain), methods=["GET"]),
        Route("/v1/notifications", endpoint("read_logs", "notifications", notifications), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Background work outlives its failures: a store error is counted, anything else
        # logged, and the next round comes all the same.
        async def rotate_due_keys(every: _dt.timedelta) -> None:
            while True:
                await asyncio.sleep(every.total_seconds())
                try:
                    made = registry.rotate_due(now=clock(), grace_period=rotation_grace, actor="admin:automation")
                    rotations.inc(len(made))
                except FinFusionError as e:
                    metrics.store_errors.labels(e.code).inc()
                except Exception:
                    _LOG.exception("automated rotation failed")
        async def deliver(every: _dt.timedelta, mail: Mailer) -> None:
            while True:
                try:
                    sent, failed = await mail.run_once()
                    deliveries.labels("sent").inc(sent)
                    deliveries.labels("failed").inc(failed)
                except FinFusionError as e:
                    metrics.store_errors.labels(e.code).inc()
                except Exception:
                    _LOG.exception("notification delivery failed")
                await asyncio.sleep(every.total_seconds())
        tasks = [asyncio.create_task(rotate_due_keys(rotate_every))] if rotate_every else []
        if mailer is not None:
            tasks.append(asyncio.create_task(deliver(notify_every, mailer)))
        yield
        for task in tasks:
            task.cancel()
        registry.flush()

    if console:
        # The browser console: its page, and the npm package's ES modules for the key inspector.
        here = pathlib.Path(__file__).resolve().parent / "console"
        if package_dir is not None:
            routes.append(Mount("/console/pkg", StaticFiles(directory=package_dir)))
        routes.append(Mount("/console", StaticFiles(directory=here, html=True)))
        routes.append(Route("/", lambda request: RedirectResponse("/console/"), methods=["GET"]))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.metrics = metrics
    return app
