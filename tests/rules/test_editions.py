"""Edition diffs and as-of listing."""

from __future__ import annotations

from datetime import date

from servtrade.rules.editions import diff, lists_as_of
from servtrade.rules.loader import default_rulebook


def test_lists_as_of_a_date() -> None:
    rows = {r["list_id"]: r["status"] for r in lists_as_of(default_rulebook(), date(2024, 1, 1))}
    assert rows == {
        "CN-CBDF-2024": "not yet in force (from 2024-03-22)",
        "CN-DSL-2021": "in force",
        "CN-FTZ-2024": "not yet in force (from 2024-04-21)",
        "CN-HN-2021": "in force",
        "CN-NAT-2024": "not yet in force (from 2024-04-21)",
        "CN-PIPL-2021": "in force",
    }
    assert {r["status"] for r in lists_as_of(default_rulebook())} == {None}


def test_diff_hainan_2021_national_2024() -> None:
    found = diff(default_rulebook(), "CN-HN-2021", "CN-NAT-2024")
    assert [(m["status"], m["a"], m["b"]) for m in found["measures"]] == [
        ("changed", "CN-HN-2021-001", "CN-NAT-2024-001"),
        ("only_in_b", None, "CN-NAT-2024-005"),
        ("only_in_b", None, "CN-NAT-2024-010"),
        ("only_in_b", None, "CN-NAT-2024-046"),
        ("only_in_b", None, "CN-NAT-2024-060"),
    ]
    assert found["measures"][1]["detail"] == (
        "reported absent from CN-HN-2021 [https://www.bjnews.com.cn/detail/1712727264129214.html]"
    )
    assert {m["field"]: (m["a"], m["b"]) for m in found["metadata"]}["measures_in_text"] == (70, 71)
    assert found["coverage"] == [
        "CN-HN-2021: 1 of 70 measures encoded",
        "CN-NAT-2024: 5 of 71 measures encoded",
    ]


def test_diff_the_other_way_and_identical() -> None:
    book = default_rulebook()
    back = diff(book, "CN-NAT-2024", "CN-FTZ-2024")
    assert {m["status"] for m in back["measures"]} == {"only_in_a"}
    assert (
        back["measures"][0]["detail"]
        == "not encoded in CN-FTZ-2024 (it may still be among its unencoded measures)"
    )
    same = diff(book, "CN-NAT-2024", "CN-NAT-2024")
    assert (same["metadata"], {m["status"] for m in same["measures"]}) == ([], {"in_both"})
