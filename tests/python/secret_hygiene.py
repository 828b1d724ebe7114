"""State and helpers of the suite-wide secret check (see conftest.py)."""

from __future__ import annotations

from typing import Dict, List, Set

REVEALED: Set[str] = set()
# Other secrets the suite was shown (webhook and request-signing secrets), each in the text
# forms it could leak in, with a label for the report.
OTHER: Dict[str, str] = {}
TEXTS: List[str] = []


def reveal_other(label: str, *forms: str) -> None:
    """Remember a non-key secret in each text form given."""
    for form in forms:
        if len(form) >= _WINDOW:
            OTHER[form] = label


def record(*objects: object) -> None:
    """Remember repr() and str() of objects the tests made."""
    for obj in objects:
        TEXTS.append(repr(obj))
        TEXTS.append(str(obj))


_WINDOW = 12
_index: Dict[str, str] = {}  # every 12-character piece of a revealed secret -> its key id


def leaks(text: str) -> List[str]:
    """The key ids of revealed keys whose secret (or any 12-character piece of it) is in text."""
    for key in REVEALED - _indexed:
        secret = key[-49:-6]
        for i in range(len(secret) - _WINDOW + 1):
            _index[secret[i:i + _WINDOW]] = key[:-49]
        _indexed.add(key)
    for form, label in OTHER.items():
        if form in _indexed:
            continue
        for i in range(len(form) - _WINDOW + 1):
            _index[form[i:i + _WINDOW]] = label
        _indexed.add(form)
    return sorted({_index[text[j:j + _WINDOW]] for j in range(len(text) - _WINDOW + 1)
                   if text[j:j + _WINDOW] in _index})


_indexed: Set[str] = set()
