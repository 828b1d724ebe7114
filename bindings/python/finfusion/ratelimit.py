"""Per-key rate limits: GCRA, exact and deterministic with the ``now`` you pass.

>>> state = None                                     # a key never seen
>>> d = check(RateLimit(100, "1s"), state, now)      # doctest: +SKIP
>>> if not d.allowed: respond_429(d.retry_after)     # a timedelta
>>> state = d.state                                  # store it with the key
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import NamedTuple, Optional, Union

from . import _core
from .keys import TypePolicy
from .time import Duration, Instant, duration_millis, to_millis

__all__ = ["RateLimit", "State", "Decision", "check"]


class RateLimit(NamedTuple):
    """``requests`` per ``window`` (a timedelta, ``"1s"``, or milliseconds)."""

    requests: int
    window: Duration


class State(NamedTuple):
    """What to store per key: the theoretical arrival time (ms + a fraction of 1/requests ms)."""

    tat_ms: int
    tat_frac: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: _dt.timedelta  # zero when allowed
    reset_after: _dt.timedelta  # until the full burst is back
    state: State                # unchanged when refused


def check(limit: Union[RateLimit, TypePolicy], state: Optional[State], now: Instant,
          cost: int = 1) -> Decision:
    """Decides one request of ``cost`` units at ``now``; ``state`` None is a fresh key.

    A key type's default limit: ``check(TypeTable().get("production"), state, now)``.
    Raises InvalidRequestError for a limit below 1 request or 1 ms, or a cost outside
    1..requests.
    """
    if isinstance(limit, TypePolicy):
        requests, window_ms = limit.rate_limit_requests, duration_millis(limit.rate_limit_window)
    else:
        requests, window_ms = limit.requests, duration_millis(limit.window)
    tat_ms, tat_frac = (state.tat_ms, state.tat_frac) if state is not None else (None, 0)
    allowed, lim, remaining, retry, reset, new_ms, new_frac = _core.ratelimit_check(
        requests, window_ms, tat_ms, tat_frac, to_millis(now), cost)
    ms = _dt.timedelta(milliseconds=1)
    return Decision(bool(allowed), int(lim), int(remaining), retry * ms, reset * ms,
                    State(int(new_ms), int(new_frac)))
