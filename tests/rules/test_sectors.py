"""Service codes resolved through their hierarchies and crosswalks."""

from __future__ import annotations

import pytest

from servtrade.errors import UnknownCodeError
from servtrade.rules.sectors import resolve_service


def test_codes_resolve_with_paths_and_crosswalks() -> None:
    assert resolve_service("cpc:932").to_dict() == {
        "key": "cpc:932",
        "label": "Veterinary services",
        "path": ["cpc:932", "cpc:93", "cpc:9"],
        "within": ["w120:1.A.i", "w120:1.A", "w120:1"],
        "approx": [],
        "parts": [],
        "crosswalk": "W/120 provisional CPC concordance",
    }
    assert resolve_service("w120:1.E.c").parts == ("cpc:83101", "cpc:83102", "cpc:83105")
    assert resolve_service("w120:1.E.c").within == ("cpc:8310", "cpc:831", "cpc:83", "cpc:8")
    assert resolve_service("gbt4754:F5182").path == (
        "gbt4754:F5182",
        "gbt4754:F518",
        "gbt4754:F51",
        "gbt4754:F",
    )
    assert resolve_service("gbt4754:72").key == "gbt4754:L72"
    assert resolve_service("GBT:l").key == "gbt4754:L"
    assert resolve_service("ebops:sj34").path == ("ebops:SJ34", "ebops:SJ3", "ebops:SJ", "ebops:S")


@pytest.mark.parametrize(
    ("code", "message", "hint"),
    [
        ("SH", "no classification given for service code 'SH'", "did you mean: ebops:SH?"),
        (
            "foo:1",
            "unknown classification 'foo' in service code 'foo:1'",
            "write the classification first",
        ),
        ("cpc:12a", "unknown CPC code '12a'", "use a provisional CPC code"),
        ("gbt4754:F99", "unknown GB/T 4754 section 'F99'", "use a section letter A-T"),
        ("gbt4754:Z", "unknown GB/T 4754 section 'Z'", "use a section letter A-T"),
        ("w120:1.Z", "unknown W/120 code '1.Z'", "did you mean: 1.F Other Business Services"),
    ],
)
def test_unknown_codes_give_clear_errors_with_suggestions(
    code: str, message: str, hint: str
) -> None:
    with pytest.raises(UnknownCodeError) as err:
        resolve_service(code)
    assert err.value.message == message
    assert hint in (err.value.hint or "")
