from __future__ import annotations

from datetime import date

import pytest

from servtrade.stats.claims import extract
from servtrade.stats.claims.model import Claim

from .support import doc, text


def _view(c: Claim) -> tuple[object, ...]:
    return (
        c.kind,
        c.text,
        c.value,
        c.currency,
        (c.topic.item, c.topic.flow) if c.topic else None,
        c.period.key if c.period else None,
        c.economy,
    )


def test_release_sentence_with_levels_growth_and_change() -> None:
    claims = extract(doc(text("release_jan_aug.txt")))
    assert [_view(c) for c in claims[:5]] == [
        ("level", "5.25 trillion yuan", 5.25e12, "CNY", ("S", "total"), "2025-01..2025-08", "CHN"),
        ("growth", "up 7.4%", 7.4, None, ("S", "total"), "2025-01..2025-08", "CHN"),
        ("level", "2.3 trillion", 2.3e12, "CNY", ("S", "exports"), "2025-01..2025-08", "CHN"),
        ("growth", "up 14.7%", 14.7, None, ("S", "exports"), "2025-01..2025-08", "CHN"),
        (
            "change",
            "narrowed by 228.07 billion yuan",
            -228.07e9,
            "CNY",
            ("S", "balance"),
            "2025-01..2025-08",
            "CHN",
        ),
    ]
    assert claims[2].notes == ["currency CNY taken from '5.25 trillion yuan'"]
    assert claims[4].size_change is True
    assert [(c.text, c.topic.item if c.topic else None) for c in claims[5:]] == [
        ("2.03 trillion yuan", "knowledge_intensive"),
        ("up 6.4 percent", "knowledge_intensive"),
        ("rose 8.5 percent", "SD"),
    ]


def test_spans_point_into_the_text() -> None:
    body = text("release_jan_aug.txt")
    assert all(body[c.start : c.end] == c.text for c in extract(doc(body)))


def test_levels_under_a_year_range_get_its_ends_and_the_average_its_span() -> None:
    body = (
        "From 2014 to 2024, China's total services exports grew from $219.1 billion to "
        "$445.9 billion, an average annual growth of 7.3 percent."
    )
    claims = extract(doc(body))
    assert [_view(c) for c in claims] == [
        ("level", "$219.1 billion", 219.1e9, "USD", ("S", "exports"), "2014", "CHN"),
        ("level", "$445.9 billion", 445.9e9, "USD", ("S", "exports"), "2024", "CHN"),
        (
            "average_growth",
            "average annual growth of 7.3 percent",
            7.3,
            None,
            ("S", "exports"),
            "2014..2024",
            "CHN",
        ),
    ]
    assert claims[1].pair == "t:1"


def test_conversion_in_brackets_belongs_to_the_level() -> None:
    (level, growth, *_rest) = extract(doc(text("news_jan_jul.txt")))
    assert (level.text, level.converted.text if level.converted else None, growth.text) == (
        "4.58 trillion yuan ($640 billion)",
        "$640 billion",
        "up 8.2 percent",
    )


def test_shares_counts_and_ranges() -> None:
    claims = extract(doc(text("since_2012.txt"), date(2025, 9, 12)))
    avg, first, second = claims
    assert _view(avg) == (
        "average_growth",
        "average annual rate of 6.7%",
        6.7,
        None,
        ("S", "total"),
        "2012..2024",
        "CHN",
    )
    assert [
        (
            c.kind,
            c.value,
            c.topic.item if c.topic else None,
            (c.whole.item, c.whole.flow) if c.whole else None,
            c.period.key if c.period else None,
            c.pair,
        )
        for c in (first, second)
    ] == [
        ("share", 38.5, "knowledge_intensive", ("S", "exports"), "2012", None),
        ("share", 52.2, "knowledge_intensive", ("S", "exports"), None, "t:2"),
    ]
    counts = extract(doc("Nearly 2,000 companies from 85 countries and regions attended."))
    assert [(c.kind, c.value, c.noun, c.quantity.qualifier is not None) for c in counts] == [
        ("count", 2000.0, "companies", True),
        ("count", 85.0, "countries", False),
    ]


def test_chinese_release() -> None:
    claims = extract(doc(text("release_zh.txt"), None))
    assert [(c.kind, c.value, c.topic.flow if c.topic else None) for c in claims] == [
        ("level", 5247.69e9, "total"),
        ("growth", 7.4, "total"),
        ("level", 2300.44e9, "exports"),
        ("growth", 14.7, "exports"),
        ("level", 2947.25e9, "imports"),
        ("growth", 2.3, "imports"),
        ("level", -646.81e9, "balance"),
        ("change", pytest.approx(-228.07e9), "balance"),
    ]
    assert {c.period.key if c.period else None for c in claims} == {"2025-01..2025-08"}


def test_economy_named_first_is_the_reporter_not_the_partner() -> None:
    claims = extract(doc("Japan's services exports to China rose 5.1 percent in 2024."))
    assert [(c.economy, c.kind) for c in claims] == [("JPN", "growth")]


def test_unclassified_percentages_and_points() -> None:
    claims = extract(doc("Services trade was 12.5% in 2024. The share rose 2.1 percentage points."))
    assert [(c.kind, c.value) for c in claims] == [("rate", 12.5), ("points", 2.1)]


def test_no_claims_in_plain_text() -> None:
    assert extract(doc("The ministry held a press conference on services.")) == []
