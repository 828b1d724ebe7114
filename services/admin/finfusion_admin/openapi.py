"""The admin API's OpenAPI 3.1 description, served at ``/openapi.json``. Schemas name the
fields the core's canonical JSON has; the core remains the judge of every value."""

from __future__ import annotations

from typing import Any, Dict

from finfusion import __version__

_ERROR = {"$ref": "#/components/responses/Error"}
_KEY_ID = {"name": "key_id", "in": "path", "required": True, "schema": {"type": "string"},
           "description": "A key id: `prod_7kNsV0dGlOW9eHuP`."}


def _op(summary: str, role: str, ok: Dict[str, Any], *errors: str, **extra: Any) -> Dict[str, Any]:
    responses: Dict[str, Any] = dict(ok)
    for status in ("400", "401", "403", "429") + errors:
        responses[status] = _ERROR
    return {"summary": summary, "description": f"Role: {role}.", "security": [{"bearer": []}],
            "responses": responses, **extra}


def _json(schema: Dict[str, Any], description: str = "OK") -> Dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_RECORD = {"$ref": "#/components/schemas/KeyRecord"}

OPENAPI: Dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "FinFusion Keys admin API", "version": __version__,
             "description": "Create, list, rotate, revoke and verify API keys; read their usage and audit log. "
                            "Bodies are JSON whatever their Content-Type (the seed's `curl -d` sends a form type)."},
    "paths": {
        "/v1/api-keys": {
            "post": _op("Create a key (the key is in the response once)", "admin",
                        {"201": _json({"type": "object", "required": ["key", "record"],
                                       "properties": {"key": {"type": "string"}, "record": _RECORD}}, "Created")},
                        "412", "503",
                        requestBody={"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CreateRequest"}}}}),
            "get": _op("List keys", "admin", {"200": _json({"type": "object", "properties": {"keys": {"type": "array", "items": _RECORD}}})}, "503"),
        },
        "/v1/api-keys/verify": {
            "post": _op("Verify a presented key (a negative decision is 200 with valid false; rate_limited is 429)",
                        "admin or verifier", {"200": _json({"$ref": "#/components/schemas/Decision"})}, "503",
                        requestBody={"required": True, "content": {"application/json": {"schema": {
                            "type": "object", "required": ["key"], "additionalProperties": False,
                            "properties": {"key": {"type": "string"}, "required": {"type": "array", "items": {"type": "string"}},
                                           "environment": {"enum": ["", "sandbox", "production"]},
                                           "service": {"type": "string"}, "cost": {"type": "integer", "minimum": 1}}}}}}),
        },
        "/v1/api-keys/{key_id}": {
            "get": _op("A key's record", "admin", {"200": _json(_RECORD)}, "404", "503", parameters=[_KEY_ID]),
        },
        "/v1/api-keys/{key_id}/rotate": {
            "post": _op("Rotate: a successor key; both work for the grace period", "admin",
                        {"200": _json({"type": "object", "properties": {"key": {"type": "string"}, "id": {"type": "string"},
                                                                        "previous": _RECORD, "current": _RECORD}})},
                        "404", "409", "503", parameters=[_KEY_ID],
                        requestBody={"content": {"application/json": {"schema": {
                            "type": "object", "additionalProperties": False,
                            "properties": {"gracePeriod": {"type": "string", "default": "48h"},
                                           "notifyEmails": {"type": "array", "items": {"type": "string", "format": "email"}},
                                           "force": {"type": "boolean", "default": False}}}}}}),
        },
        "/v1/api-keys/{key_id}/revoke": {
            "post": _op("Revoke a key at once", "admin", {"200": _json(_RECORD)}, "404", "503", parameters=[_KEY_ID],
                        requestBody={"content": {"application/json": {"schema": {
                            "type": "object", "additionalProperties": False, "properties": {"reason": {"type": "string"}}}}}}),
        },
        "/v1/api-keys/{key_id}/usage": {
            "get": _op("The seed's getUsage", "admin or auditor", {"200": _json({"$ref": "#/components/schemas/Usage"})}, "404", "503",
                       parameters=[_KEY_ID,
                                   {"name": "start", "in": "query", "required": True, "schema": {"type": "string"}},
                                   {"name": "end", "in": "query", "required": True, "schema": {"type": "string"}},
                                   {"name": "metrics", "in": "query", "schema": {"type": "string"},
                                    "description": "Comma-separated: requests, errors, latency."}]),
        },
        "/v1/api-keys/{key_id}/logs": {
            "get": _op("The seed's getLogs", "admin or auditor",
                       {"200": _json({"type": "object", "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}}}})},
                       "503", parameters=[_KEY_ID,
                                          {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 100, "minimum": 1, "maximum": 1000}},
                                          {"name": "eventTypes", "in": "query", "schema": {"type": "string"},
                                           "description": "Comma-separated event types."}]),
        },
        "/v1/notifications": {
            "get": _op("The registry's outbox, newest first: rotation notices, warnings and alerts with their delivery state",
                       "admin or auditor",
                       {"200": _json({"type": "object", "properties": {"notifications": {"type": "array", "items": {"$ref": "#/components/schemas/Notification"}}}})},
                       "503", parameters=[{"name": "status", "in": "query", "schema": {"enum": ["pending", "sent", "failed"]}},
                                          {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 100, "minimum": 1, "maximum": 1000}}]),
        },
        "/healthz": {"get": {"summary": "The process answers", "responses": {"200": _json({"type": "object"})}}},
        "/readyz": {"get": {"summary": "The registry's store answers", "responses": {"200": _json({"type": "object"}), "503": _json({"type": "object"}, "Unavailable")}}},
        "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text/plain; version=0.0.4"}}}},
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                       "description": "An admin token (roles: admin, auditor, verifier)."}},
        "responses": {"Error": _json({"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}}},
            "Refused: the code is the core's (invalid_request, not_found, conflict, rate_limited, ...)")},
        "schemas": {
            "CreateRequest": {"type": "object", "required": ["name", "type", "permissions"], "additionalProperties": False,
                              "properties": {"name": {"type": "string"}, "type": {"enum": ["development", "production", "restricted"]},
                                             "permissions": {"type": "array", "items": {"type": "string"}},
                                             "expiration": {"type": "string", "description": "A date (covers the whole UTC day) or an RFC 3339 instant."},
                                             "expiresAt": {"type": "string"}, "service": {"type": "string"},
                                             "parentKeyId": {"type": "string"}, "owner": {"type": "string"}, "purpose": {"type": "string"}}},
            "KeyRecord": {"type": "object", "properties": {name: {"type": ["string", "null"]} for name in (
                "id", "name", "type", "environment", "service", "parentKeyId", "owner", "purpose", "createdAt", "expiresAt",
                "status", "revokedAt", "revokeReason", "replaces", "replacedBy", "graceUntil", "lastUsedAt")}},
            "Decision": {"type": "object", "properties": {"valid": {"type": "boolean"}, "code": {"type": "string"},
                                                          "keyId": {"type": "string"}, "rateLimit": {"type": "object"}}},
            "Usage": {"type": "object", "properties": {"keyId": {"type": "string"}, "timeframe": {"type": "object"},
                                                       "requests": {"type": "integer"}, "errors": {"type": "integer"},
                                                       "latency": {"type": "object"}}},
            "Notification": {"type": "object", "properties": {
                "id": {"type": "string"}, "kind": {"enum": ["key.rotated", "key.expiring", "key.rotation_due", "key.anomaly", "key.rate_limit"]},
                "keyId": {"type": "string"}, "recipients": {"type": "array", "items": {"type": "string"}},
                "subject": {"type": "string"}, "body": {"type": "string"}, "createdAt": {"type": "string"}, "dueAt": {"type": "string"},
                "status": {"enum": ["pending", "sent", "failed"]}, "attempts": {"type": "integer"}, "claimedBy": {"type": "string"},
                "leaseUntil": {"type": ["string", "null"]}, "lastError": {"type": "string"}, "sentAt": {"type": ["string", "null"]}}},
            "AuditEvent": {"type": "object", "properties": {"seq": {"type": "integer"}, "at": {"type": "string"},
                                                            "type": {"type": "string"}, "keyId": {"type": "string"},
                                                            "actor": {"type": "string"}, "hash": {"type": "string"}}},
        },
    },
}
