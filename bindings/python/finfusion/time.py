"""Durations and instants, with ``now`` always passed in.

Instants are timezone-aware UTC :class:`datetime.datetime` values (naive datetimes are
refused: they would mean local time); epoch milliseconds (``int``) are accepted too.
Durations are :class:`datetime.timedelta` values, or text such as ``"48h"``.
A date alone as the end of a period covers that whole UTC day: see :func:`parse_until`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Union

from . import _core
from .errors import InvalidDurationError, InvalidTimestampError

__all__ = [
    "Instant",
    "Duration",
    "parse_duration",
    "format_duration",
    "parse_timestamp",
    "parse_until",
    "format_timestamp",
    "to_millis",
    "from_millis",
    "duration_millis",
]

Instant = Union[_dt.datetime, int]
Duration = Union[_dt.timedelta, str, int]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MS = _dt.timedelta(milliseconds=1)


def to_millis(instant: Instant) -> int:
    """Epoch milliseconds of an aware datetime (or an int passed through)."""
    if isinstance(instant, bool):
        raise TypeError("instant must be a datetime or epoch milliseconds, not bool")
    if isinstance(instant, int):
        return instant
    if isinstance(instant, _dt.datetime):
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise InvalidTimestampError("naive datetime: pass an aware datetime (e.g. tzinfo=timezone.utc)")
        return (instant - _EPOCH) // _MS
    raise TypeError(f"instant must be a datetime or epoch milliseconds, not {type(instant).__name__}")


def from_millis(ms: int) -> _dt.datetime:
    """The aware UTC datetime of epoch milliseconds."""
    try:
        return _EPOCH + _dt.timedelta(milliseconds=ms)
    except OverflowError:
        raise InvalidTimestampError("instant outside 0001-01-01 .. 9999-12-31 UTC") from None


def duration_millis(duration: Duration) -> int:
    """Milliseconds of a timedelta, a duration text ("48h") or an int of milliseconds."""
    if isinstance(duration, bool):
        raise TypeError("duration must be a timedelta, str or int, not bool")
    if isinstance(duration, str):
        return int(_core.time_parse_duration(duration))
    if isinstance(duration, int):
        return duration
    if isinstance(duration, _dt.timedelta):
        ms, rest = divmod(duration, _MS)
        if rest:
            raise InvalidDurationError("durations are whole milliseconds")
        return int(ms)
    raise TypeError(f"duration must be a timedelta, str or int, not {type(duration).__name__}")


def parse_duration(text: str) -> _dt.timedelta:
    """``"48h"``, ``"1d12h"``, ``"250ms"``, ``"2w"``, ``"0"``. Raises InvalidDurationError."""
    return _dt.timedelta(milliseconds=_core.time_parse_duration(text))


def format_duration(duration: Duration) -> str:
    """Canonical text: ``timedelta(hours=36)`` -> ``"1d12h"``. Raises InvalidDurationError."""
    return str(_core.time_format_duration(duration_millis(duration)))


def parse_timestamp(text: str) -> _dt.datetime:
    """RFC 3339 or a date alone (that day's 00:00 UTC). Raises InvalidTimestampError."""
    return from_millis(_core.time_parse_timestamp(text))


def parse_until(text: str) -> _dt.datetime:
    """The end of a period, exclusive: ``"2025-12-31"`` -> 2026-01-01 00:00 UTC, so the
    whole day is inside. Full timestamps are returned as they are."""
    return from_millis(_core.time_parse_until(text))


def format_timestamp(instant: Instant) -> str:
    """``"2025-12-31T23:59:59.000Z"`` (UTC, milliseconds). Raises InvalidTimestampError."""
    return str(_core.time_format_timestamp(to_millis(instant)))
