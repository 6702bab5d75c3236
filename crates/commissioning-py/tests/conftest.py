"""Shared helpers: the published vectors, compared at each file's tolerance."""

from __future__ import annotations

import decimal
import json
import pathlib
from typing import Any

import pytest

VECTORS = pathlib.Path(__file__).parent / "vectors"


def vector_file(name: str) -> dict[str, Any]:
    """A vector file, by its path under tests/vectors (``compare/funnel_limits``)."""
    return json.loads((VECTORS / f"{name}.json").read_text())


def cases(name: str) -> list[Any]:
    """The cases of a vector file, each with the file's tolerance unless it has its own."""
    data = vector_file(name)
    out = []
    for case in data["cases"]:
        tolerance = case.get("tolerance", data["tolerance"])
        out.append(pytest.param(case, tolerance, id=case["id"]))
    return out


def _decimal(text: Any) -> decimal.Decimal | None:
    if not isinstance(text, str):
        return None
    try:
        return decimal.Decimal(text.replace(",", "").lstrip("£"))
    except decimal.InvalidOperation:
        return None


def close(actual: Any, expected: Any, tolerance: dict[str, Any], at: str = "") -> None:
    """Asserts ``actual`` agrees with ``expected``: every key of an expected object present,
    lists of the same length, numbers within the tolerance, decimal text equal as decimals,
    everything else equal."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{at}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{at}.{key}: missing from the result"
            close(actual[key], value, tolerance, f"{at}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{at}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{at}: {len(actual)} items, expected {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            close(a, e, tolerance, f"{at}[{i}]")
    elif expected is None:
        assert actual is None, f"{at}: expected null, got {actual!r}"
    elif isinstance(expected, bool):
        assert actual is expected, f"{at}: expected {expected}, got {actual!r}"
    elif isinstance(expected, (int, float)):
        if isinstance(actual, str):
            number = float(_decimal(actual))
        elif isinstance(actual, decimal.Decimal):
            number = float(actual)
        else:
            number = actual
        assert isinstance(number, (int, float)), f"{at}: expected a number, got {actual!r}"
        bound = tolerance["value"]
        if tolerance["kind"] == "relative":
            bound *= max(1.0, abs(expected))
        assert abs(number - expected) <= bound, f"{at}: {number} is not {expected} (±{bound})"
    elif _decimal(expected) is not None and _decimal(actual) is not None:
        assert _decimal(actual) == _decimal(expected), f"{at}: {actual} is not {expected}"
    else:
        assert actual == expected, f"{at}: {actual!r} is not {expected!r}"
