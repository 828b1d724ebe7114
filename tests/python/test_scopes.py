import pickle

import pytest

import finfusion
from finfusion import scopes


def test_parse_is_canonical():
    s = scopes.parse(["reporting", "payments", "kyc", "payments"])
    assert s.to_list() == ["kyc", "payments", "reporting"]
    assert list(s) == s.to_list() and len(s) == 3 and "kyc" in s and "x" not in s
    assert s == scopes.parse(["kyc", "payments", "reporting"])
    assert s != ["kyc"]
    assert hash(s) == hash(scopes.parse(["payments", "kyc", "reporting"]))
    assert repr(s) == "ScopeSet(['kyc', 'payments', 'reporting'])"
    assert pickle.loads(pickle.dumps(s)) == s
    assert scopes.ScopeSet(["b", "a"]).to_list() == ["a", "b"]


@pytest.mark.parametrize("bad", ["Payments", "paymënts", "a::b", "**", "pay*", "payments:*:x", "", "!", " a"])
def test_invalid_scopes(bad):
    with pytest.raises(finfusion.InvalidScopeError) as info:
        scopes.parse(["ok", bad])
    assert "entry 1" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_list_bound_and_types():
    with pytest.raises(finfusion.InvalidScopeError):
        scopes.parse(["a"] * (scopes.MAX_ENTRIES + 1))
    with pytest.raises(TypeError):
        scopes.parse("payments")  # type: ignore[arg-type]


def test_allows():
    granted = scopes.parse(["payments", "!payments:refund", "kyc:read"])
    assert scopes.allows(granted, "payments:charge")
    assert not scopes.allows(granted, "payments:refund")
    assert not scopes.allows(granted, "payments")
    assert scopes.allows(granted, "kyc:read")
    assert not scopes.allows(granted, "kyc")
    assert scopes.allows(["*"], "anything")
    assert not scopes.allows(["payments:*"], "payments")
    with pytest.raises(finfusion.InvalidScopeError):
        scopes.allows(granted, "!payments")
    assert scopes.allows_all(granted, ["payments:charge", "kyc:read"])
    assert not scopes.allows_all(granted, ["payments:charge", "reporting"])


def test_is_subset():
    parent = ["payments", "kyc:read", "!payments:refund"]
    assert scopes.is_subset(["payments:charge"], parent)
    assert not scopes.is_subset(["payments"], parent)
    assert scopes.is_subset(["payments", "!payments:refund"], parent)
    assert not scopes.is_subset(["*"], parent)
    assert scopes.is_subset([], parent)
