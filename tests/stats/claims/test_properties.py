"""Property tests: arbitrary text never crashes the extractor and spans stay inside it."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from servtrade.stats.claims import Document, check_documents, extract
from servtrade.stats.claims.numbers import find_quantities

from .support import text

WORDS = [
    "up",
    "down",
    "narrowed by",
    "exports",
    "imports",
    "total",
    "deficit",
    "yuan",
    "$",
    "billion",
    "trillion",
    "percent",
    "%",
    "from",
    "to",
    "in",
    "2024",
    "since 2012",
    "January",
    "August",
    "first half of this year",
    "average annual growth rate of",
    "accounting for",
    "more than half",
    "nearly",
    "companies",
    "亿元",
    "增长",
    ",",
    ";",
    ". ",
    "(",
    ")",
    "services trade",
    "knowledge-intensive services",
    "China's",
]
RELEASE_LIKE = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.decimals(0, 99999, places=2).map(str),
        st.integers(0, 3000).map(str),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(st.text(max_size=300), RELEASE_LIKE),
    when=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2040, 12, 31))),
)
def test_extractor_never_crashes_and_spans_are_inside(body: str, when: date | None) -> None:
    claims = extract(Document("p", body, when))
    for claim in claims:
        assert 0 <= claim.start <= claim.end <= len(body)
        assert body[claim.start : claim.end] == claim.text
    report = check_documents([Document("p", body, when)])
    assert len(report.results) == len(claims)
    assert all(
        r.verdict in ("consistent", "within_rounding", "inconsistent", "not_checkable")
        for r in report.results
    )


@settings(max_examples=100, deadline=None)
@given(
    value=st.decimals(0, 10**6, places=2, allow_nan=False),
    scale=st.sampled_from(["billion", "trillion", "亿"]),
)
def test_printed_numbers_read_back(value: object, scale: str) -> None:
    printed = f"{value} {scale} yuan" if scale != "亿" else f"{value}亿元"
    (q,) = find_quantities(printed)
    factor = {"billion": 1e9, "trillion": 1e12, "亿": 1e8}[scale]
    assert abs(q.value - float(str(value)) * factor) <= 1e-6 * max(1.0, q.value)
    assert q.interval().contains(q.value)


@settings(max_examples=30, deadline=None)
@given(cut=st.integers(0, 400))
def test_truncated_releases_never_crash(cut: int) -> None:
    body = text("release_jan_aug.txt")[:cut]
    assert all(0 <= c.start <= c.end <= len(body) for c in extract(Document("p", body, None)))
