import datetime as dt

import pytest

import finfusion
from finfusion import keys, ratelimit

MS = dt.timedelta(milliseconds=1)


def test_burst_then_boundary():
    limit = ratelimit.RateLimit(2, "1s")
    a = ratelimit.check(limit, None, 0)
    b = ratelimit.check(limit, a.state, 0)
    c = ratelimit.check(limit, b.state, 0)
    assert (a.allowed, a.remaining, b.allowed, b.remaining, c.allowed) == (True, 1, True, 0, False)
    assert c.retry_after == 500 * MS and c.state == b.state
    assert not ratelimit.check(limit, b.state, 499).allowed
    assert ratelimit.check(limit, b.state, 500).allowed


def test_type_defaults_and_datetimes():
    policy = keys.TypeTable().get("development")
    now = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
    state = None
    results = []
    for _ in range(11):
        d = ratelimit.check(policy, state, now)
        state = d.state
        results.append(d.allowed)
    assert results == [True] * 10 + [False]
    assert ratelimit.check(policy, state, now + 100 * MS).allowed
    assert ratelimit.check(ratelimit.RateLimit(1, dt.timedelta(days=1)), None, now).reset_after == dt.timedelta(days=1)


@pytest.mark.parametrize("limit, cost", [((0, 1000), 1), ((10, 0), 1), ((10, 1000), 0), ((10, 1000), 11)])
def test_bad_arguments(limit, cost):
    with pytest.raises(finfusion.InvalidRequestError):
        ratelimit.check(ratelimit.RateLimit(*limit), None, 0, cost)
    with pytest.raises(finfusion.InvalidDurationError):
        ratelimit.check(ratelimit.RateLimit(10, "1 s"), None, 0)
