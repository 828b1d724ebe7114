"""The finfusion exception family: one class per core error code.

Every error the core reports arrives as a subclass of :class:`FinFusionError` whose
``code`` is the stable code string shared by every language (``"bad_checksum"``, ...).
Each class also inherits the built-in that matches its family, so ``except ValueError``
catches malformed input and ``except LookupError`` catches a missing key. Messages never
contain a secret.
"""

from __future__ import annotations

from typing import Dict, Type

from . import _core

__all__ = [
    "FinFusionError",
    "FormatError",
    "MalformedKeyError",
    "BadChecksumError",
    "UnknownPrefixError",
    "InvalidScopeError",
    "InvalidDurationError",
    "InvalidTimestampError",
    "InvalidRequestError",
    "NotFoundError",
    "DeniedError",
    "ExpiredError",
    "RevokedError",
    "DisabledError",
    "EnvironmentMismatchError",
    "InsufficientScopeError",
    "RateLimitedError",
    "SignatureInvalidError",
    "SignatureExpiredError",
    "ReplayedError",
    "ConflictError",
    "PreconditionFailedError",
    "StorageUnavailableError",
    "InternalError",
    "ERROR_CLASSES",
    "error_class",
]


class FinFusionError(Exception):
    """Base of every finfusion error; ``code`` is the stable DESIGN.md code string."""

    code: str = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


# Families, each with the matching built-in.
class FormatError(FinFusionError, ValueError):
    """The input is not acceptable as written."""


class NotFoundError(FinFusionError, LookupError):
    code = "not_found"


class DeniedError(FinFusionError, PermissionError):
    """A key or signature was refused (verification returns these as values; raised only
    where a caller asks for an exception)."""


class MalformedKeyError(FormatError):
    code = "malformed_key"


class BadChecksumError(FormatError):
    code = "bad_checksum"


class UnknownPrefixError(FormatError):
    code = "unknown_prefix"


class InvalidScopeError(FormatError):
    code = "invalid_scope"


class InvalidDurationError(FormatError):
    code = "invalid_duration"


class InvalidTimestampError(FormatError):
    code = "invalid_timestamp"


class InvalidRequestError(FormatError):
    code = "invalid_request"


class ExpiredError(DeniedError):
    code = "expired"


class RevokedError(DeniedError):
    code = "revoked"


class DisabledError(DeniedError):
    code = "disabled"


class EnvironmentMismatchError(DeniedError):
    code = "environment_mismatch"


class InsufficientScopeError(DeniedError):
    code = "insufficient_scope"


class RateLimitedError(DeniedError):
    code = "rate_limited"


class SignatureInvalidError(DeniedError):
    code = "signature_invalid"


class SignatureExpiredError(DeniedError):
    code = "signature_expired"


class ReplayedError(DeniedError):
    code = "replayed"


class ConflictError(FinFusionError, RuntimeError):
    code = "conflict"


class PreconditionFailedError(FinFusionError, RuntimeError):
    code = "precondition_failed"


class StorageUnavailableError(FinFusionError, ConnectionError):
    code = "storage_unavailable"


class InternalError(FinFusionError, RuntimeError):
    code = "internal"


#: code -> class, for every code but "valid" (which is not an error).
ERROR_CLASSES: Dict[str, Type[FinFusionError]] = {
    cls.code: cls
    for cls in (
        MalformedKeyError, BadChecksumError, UnknownPrefixError, InvalidScopeError,
        InvalidDurationError, InvalidTimestampError, InvalidRequestError, NotFoundError,
        ExpiredError, RevokedError, DisabledError, EnvironmentMismatchError,
        InsufficientScopeError, RateLimitedError, SignatureInvalidError, SignatureExpiredError,
        ReplayedError, ConflictError, PreconditionFailedError, StorageUnavailableError,
        InternalError,
    )
}


def error_class(code: str) -> Type[FinFusionError]:
    """The class for a code string; KeyError for a code outside the list."""
    return ERROR_CLASSES[code]


# The native layer raises these classes directly.
_core._error_classes.update(ERROR_CLASSES)
