import pytest

import finfusion
from finfusion import errors

DESIGN_CODES = [
    "valid", "malformed_key", "bad_checksum", "unknown_prefix", "invalid_scope",
    "invalid_duration", "invalid_timestamp", "invalid_request", "not_found", "expired",
    "revoked", "disabled", "environment_mismatch", "insufficient_scope", "rate_limited",
    "signature_invalid", "signature_expired", "replayed", "conflict", "precondition_failed",
    "storage_unavailable", "internal",
]


def test_codes_are_the_closed_list():
    assert finfusion.CODES == DESIGN_CODES


def test_every_error_code_maps_to_exactly_one_class():
    error_codes = [c for c in finfusion.CODES if c != "valid"]
    assert sorted(errors.ERROR_CLASSES) == sorted(error_codes)
    classes = list(errors.ERROR_CLASSES.values())
    assert len(set(classes)) == len(classes)
    for code, cls in errors.ERROR_CLASSES.items():
        assert cls.code == code
        assert issubclass(cls, finfusion.FinFusionError)
        assert errors.error_class(code) is cls
    with pytest.raises(KeyError):
        errors.error_class("valid")


@pytest.mark.parametrize(
    "code, builtin",
    [
        ("malformed_key", ValueError), ("bad_checksum", ValueError), ("unknown_prefix", ValueError),
        ("invalid_scope", ValueError), ("invalid_duration", ValueError),
        ("invalid_timestamp", ValueError), ("invalid_request", ValueError),
        ("not_found", LookupError), ("expired", PermissionError), ("revoked", PermissionError),
        ("rate_limited", PermissionError), ("signature_invalid", PermissionError),
        ("conflict", RuntimeError), ("precondition_failed", RuntimeError),
        ("storage_unavailable", ConnectionError), ("internal", RuntimeError),
    ],
)
def test_families_inherit_the_matching_builtin(code, builtin):
    assert issubclass(errors.error_class(code), builtin)


def test_native_errors_arrive_as_the_right_class():
    with pytest.raises(finfusion.BadChecksumError) as info:
        finfusion.keys.parse("rest" + finfusion.keys.generate("production").reveal()[4:])
    assert info.value.code == "bad_checksum"
    assert isinstance(info.value, ValueError)
    assert "checksum" in str(info.value)
    assert repr(info.value).startswith("BadChecksumError(code='bad_checksum'")
    with pytest.raises(finfusion.InvalidScopeError):
        finfusion.scopes.parse(["Payments"])
    with pytest.raises(finfusion.PreconditionFailedError):
        h = finfusion.Hasher({"a": bytes(32)}, current="a")
        h.verify("x", "ffk$1$b2b256$b$" + "A" * 43)
