import datetime as dt

import pytest

import finfusion
from finfusion import time

UTC = dt.timezone.utc


def test_durations():
    assert time.parse_duration("48h") == dt.timedelta(hours=48)
    assert time.parse_duration("1d12h") == dt.timedelta(hours=36)
    assert time.parse_duration("2w") == dt.timedelta(days=14)
    assert time.format_duration(dt.timedelta(hours=36)) == "1d12h"
    assert time.format_duration("2w") == "14d"
    assert time.format_duration(250) == "250ms"
    assert time.duration_millis(dt.timedelta(seconds=1)) == 1000
    for bad in ["", "-1h", "1H", "99999999999h", "1 h", "12h1d"]:
        with pytest.raises(finfusion.InvalidDurationError):
            time.parse_duration(bad)
    with pytest.raises(finfusion.InvalidDurationError):
        time.format_duration(dt.timedelta(microseconds=1500))
    with pytest.raises(finfusion.InvalidDurationError):
        time.format_duration(dt.timedelta(seconds=-1))
    with pytest.raises(TypeError):
        time.format_duration(1.5)  # type: ignore[arg-type]


def test_timestamps_are_aware_utc():
    t = time.parse_timestamp("2026-01-01T02:00:00+02:00")
    assert t == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert t.tzinfo is not None and t.utcoffset() == dt.timedelta(0)
    assert time.parse_timestamp("2025-12-31") == dt.datetime(2025, 12, 31, tzinfo=UTC)
    assert time.format_timestamp(dt.datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) == \
        "2025-12-31T23:59:59.999Z"
    assert time.format_timestamp(0) == "1970-01-01T00:00:00.000Z"
    assert time.parse_timestamp("0001-01-01T00:00:00Z") == dt.datetime(1, 1, 1, tzinfo=UTC)
    assert time.parse_timestamp("9999-12-31T23:59:59.999Z").year == 9999


def test_date_only_expiry_covers_the_whole_day():
    until = time.parse_until("2025-12-31")
    assert until == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert dt.datetime(2025, 12, 31, 23, 59, 59, 999000, tzinfo=UTC) < until
    with pytest.raises(finfusion.InvalidTimestampError):
        time.parse_until("9999-12-31")


def test_naive_datetimes_are_refused():
    with pytest.raises(finfusion.InvalidTimestampError, match="naive"):
        time.format_timestamp(dt.datetime(2025, 1, 1))
    with pytest.raises(TypeError):
        time.format_timestamp("2025-01-01")  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["", "2025-02-29", "2025-12-31t00:00:00Z", "2025-12-31T23:59:60Z", "2025-12-31T00:00:00"])
def test_bad_timestamps(bad):
    with pytest.raises(finfusion.InvalidTimestampError):
        time.parse_timestamp(bad)


def test_out_of_range_instants():
    with pytest.raises(finfusion.InvalidTimestampError):
        time.format_timestamp(253402300800000)
    with pytest.raises(finfusion.InvalidTimestampError):
        time.from_millis(10**18)
