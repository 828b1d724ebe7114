import re

import pytest

import finfusion
from finfusion import keys


@pytest.mark.parametrize("type_", list(keys.KeyType))
def test_generate_each_type(type_, recorder):
    key = keys.generate(type_)
    recorder(key)
    text = key.reveal()
    info = keys.TYPES[type_.value]
    assert text.startswith(info.prefix + "_")
    assert key.type == type_ == type_.value
    assert key.environment == info.environment
    assert key.id == text[: len(info.prefix) + 17]
    assert keys.check_format(text) == "valid"
    parsed = keys.parse(text)
    assert (parsed.id, parsed.type, parsed.environment, parsed.format_version) == (
        key.id, type_.value, info.environment, 1)
    assert re.search(keys.SCANNER_PATTERN, f"FINFUSION_API_KEY={text}\n")
    assert keys.mask(text) == key.id + "_********"


def test_generate_accepts_names_and_refuses_others():
    assert keys.generate("restricted").type == "restricted"
    with pytest.raises(finfusion.InvalidRequestError):
        keys.generate("staging")
    with pytest.raises(finfusion.InvalidRequestError):
        keys.generate("Production")
    with pytest.raises(TypeError):
        keys.generate(3)  # type: ignore[arg-type]


def test_check_format_never_raises_for_bad_keys():
    good = keys.generate("development").reveal()
    assert keys.check_format("") == "malformed_key"
    assert keys.check_format(" " + good) == "malformed_key"
    assert keys.check_format(good + "\n") == "malformed_key"
    assert keys.check_format(good[:10] + "\u0430" + good[11:]) == "malformed_key"
    assert keys.check_format(good[:10] + "\udc80" + good[11:]) == "malformed_key"
    assert keys.check_format("x" * 100_000) == "malformed_key"
    assert keys.check_format("DEV" + good[3:]) == "unknown_prefix"
    assert keys.check_format("prod" + good[3:]) == "bad_checksum"
    flipped = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert keys.check_format(flipped) == "bad_checksum"


def test_wrong_types_are_type_errors_without_the_value():
    with pytest.raises(TypeError) as info:
        keys.check_format(b"prod_abc")  # type: ignore[arg-type]
    assert "bytes" in str(info.value) and "prod_abc" not in str(info.value)
    with pytest.raises(TypeError):
        keys.parse(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "mutate, error",
    [
        (lambda k: k[:-1], finfusion.MalformedKeyError),
        (lambda k: "test" + k[4:], finfusion.UnknownPrefixError),
        (lambda k: "rest" + k[4:], finfusion.BadChecksumError),
    ],
)
def test_parse_raises_the_format_code(mutate, error):
    key = keys.generate("production").reveal()
    with pytest.raises(error) as info:
        keys.parse(mutate(key))
    assert isinstance(info.value, ValueError)
    with pytest.raises(error):
        keys.mask(mutate(key))


def test_parse_id():
    key = keys.generate("production")
    assert keys.parse_id(key.id).type == "production"
    with pytest.raises(finfusion.MalformedKeyError):
        keys.parse_id(key.reveal())
    with pytest.raises(finfusion.UnknownPrefixError):
        keys.parse_id("live_" + key.id[5:])


def test_generate_from_entropy_is_deterministic():
    a = keys.generate_from_entropy("development", bytes([5]) * 192)
    assert a.id == "dev_5555555555555555"
    assert keys.generate_from_entropy("development", bytes([5]) * 192).reveal() == a.reveal()
    with pytest.raises(finfusion.InvalidRequestError):
        keys.generate_from_entropy("development", bytes(10))
    with pytest.raises(TypeError):
        keys.generate_from_entropy("development", "text")  # type: ignore[arg-type]


def test_keys_are_unique():
    assert len({keys.generate("production").reveal() for _ in range(2000)}) == 2000


def test_type_table():
    table = keys.TypeTable()
    prod = table.get(keys.KeyType.PRODUCTION)
    assert prod.rotation_period.days == 90
    assert prod.environment == "production"
    assert table.get("restricted").requires_service
    custom = keys.TypeTable('{"production": {"max_lifetime": "365d"}}')
    assert custom.get("production").max_lifetime.days == 365
    assert keys.TypeTable(custom.to_json()).to_json() == custom.to_json()
    with pytest.raises(finfusion.InvalidRequestError, match="production.rotation_warning"):
        keys.TypeTable('{"production": {"rotation_warning": "90d"}}')
    with pytest.raises(finfusion.InvalidRequestError, match="duplicate key"):
        keys.TypeTable('{"production": {}, "production": {}}')
    with pytest.raises(finfusion.InvalidRequestError):
        table.get("staging")
