from __future__ import annotations

from datetime import date

import pytest

from servtrade.stats.claims import SeriesAnswer, Sources, check_documents
from servtrade.stats.claims.dates import make_document
from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.judge import Fmt, Stated, judge
from servtrade.stats.claims.numbers import find_quantities
from servtrade.stats.claims.report import ClaimResult
from servtrade.stats.claims.sources import Observation

from .support import doc, text

ACCEPTANCE_1 = (
    "China's services exports were $219.1 bn in 2014 and $445.9 bn in 2024, with "
    "average annual growth of 7.3 percent."
)
ACCEPTANCE_2 = (
    "From January to August, total 5.25 trillion yuan, up 7.4%; exports 2.3 trillion, "
    "up 14.7%; the deficit narrowed by 228.07 billion yuan."
)


def _result(body: str, index: int, sources: Sources | None = None) -> ClaimResult:
    return check_documents([doc(body)], sources).documents[0].claims[index]


def test_acceptance_average_from_endpoints_is_within_rounding() -> None:
    result = _result(ACCEPTANCE_1, 2)
    check = result.checks[0]
    assert (result.verdict, check.name) == ("within_rounding", "average_from_levels")
    assert check.computed == pytest.approx(7.3642, abs=1e-4)
    assert check.difference == pytest.approx(0.0642, abs=1e-4)
    assert check.explanation == (
        "off by 0.06 points, less than one unit of the last printed digit (0.10 points)"
    )
    assert check.arithmetic == (
        "2014 to 2024: 10 years (span taken from the years of the stated levels)",
        "(445.90 bn USD ÷ 219.10 bn USD)^(1/10) − 1 = 2.0351^(1/10) − 1 = 7.36%",
        "stated 7.30%; computed 7.36% (rounding of the inputs allows 7.36% to 7.37%)",
    )


def test_acceptance_deficit_change_from_levels_and_growth() -> None:
    result = _result(ACCEPTANCE_2, 4)
    check = result.checks[0]
    assert (result.verdict, check.name, check.inputs) == (
        "within_rounding",
        "balance_change_from_levels_and_growth",
        ("t:1", "t:3", "t:2", "t:4"),
    )
    assert check.computed == pytest.approx(-227.806e9, rel=1e-5)
    assert check.stated == pytest.approx(-228.07e9)
    assert check.arithmetic[-2] == (
        "change in the size of the balance, |now| − |earlier| = -227.806 billion CNY"
    )


def test_exact_components_are_consistent() -> None:
    report = check_documents([make_document("h1", text("release_h1.txt"))])
    verdicts = {r.claim.text: (r.verdict, r.decisive.name) for r in report.results}
    assert verdicts == {
        "3,887.26 billion yuan": ("consistent", "total_from_parts"),
        "up 8 percent": ("consistent", "growth_from_parts"),
        "1,688.3 billion yuan": ("not_checkable", "needs_data"),
        "up 15 percent": ("consistent", "growth_from_parts"),
        "2,198.96 billion yuan": ("not_checkable", "needs_data"),
        "up 3.2 percent": ("consistent", "growth_from_parts"),
        "510.66 billion yuan": ("consistent", "balance_from_levels"),
        "865.04 billion yuan": ("not_checkable", "needs_data"),
        "accounting for more than half": ("consistent", "share_from_levels"),
    }


def test_wrong_total_is_inconsistent_by_how_much() -> None:
    body = (
        "In 2024, services trade reached 8.0 trillion yuan; exports 3.18 trillion yuan and "
        "imports 4.35 trillion yuan."
    )
    result = _result(body, 0)
    assert (result.verdict, result.decisive.explanation) == (
        "inconsistent",
        "off by 0.47 trillion CNY (-5.9% of the stated figure); even allowing for "
        "rounding the inputs give 7.52 trillion CNY to 7.54 trillion CNY",
    )


def test_growth_from_levels_of_both_years_and_level_change() -> None:
    body = (
        "In 2025, exports reached 2.3 trillion yuan, up 15 percent. In 2024, exports were "
        "2.0 trillion yuan. In 2025 exports increased by 300 billion yuan."
    )
    report = check_documents([doc(body)])
    assert [(r.claim.kind, r.verdict, r.decisive.name) for r in report.results] == [
        ("level", "not_checkable", "needs_data"),
        ("growth", "consistent", "growth_from_levels"),
        ("level", "not_checkable", "needs_data"),
        ("change", "consistent", "change_from_level_and_growth"),
    ]


def test_conversion_without_rates_is_not_checkable_but_shows_the_rate() -> None:
    result = _result("In 2024, services trade reached 7.5 trillion yuan ($1.05 trillion).", 0)
    conversion = next(c for c in result.checks if c.name == "conversion_rate")
    assert (result.verdict, conversion.needs) == (
        "not_checkable",
        "an exchange-rate series of CNY per USD for 2024 in the observatory",
    )
    assert conversion.arithmetic == (
        "implied rate: 7.50 trillion CNY ÷ 1.050 trillion USD = 7.1429 "
        "CNY per USD (rounding allows 7.0616 to 7.2249)",
    )


def test_conversion_against_a_loaded_rate() -> None:
    def rates(currency: str, per: str, periods: tuple[str, ...]) -> SeriesAnswer:
        assert (currency, per, periods) == ("CNY", "USD", ("2024",))
        return SeriesAnswer(
            "fx-test",
            "v1",
            "CNY per USD, annual average",
            (Observation("2024", 7.12, "CNY", step=0.01),),
        )

    result = _result(
        "In 2024, services trade reached 7.5 trillion yuan ($1.05 trillion).",
        0,
        Sources(rates=rates),
    )
    check = result.checks[0]
    assert (result.verdict, check.name, check.data) == (
        "consistent",
        "conversion_rate",
        {
            "dataset": "fx-test",
            "vintage": "v1",
            "series": "CNY per USD, annual average",
            "periods": ["2024"],
        },
    )
    assert check.computed == pytest.approx(7.5e12 / 7.12)


def test_documents_given_together_are_compared() -> None:
    docs = [make_document(n, text(n)) for n in ("news_jan_jul.txt", "news_jan_jul_other.txt")]
    report = check_documents(docs)
    across = [
        (r.claim.id, c.verdict)
        for r in report.results
        for c in r.checks
        if c.name == "across_documents"
    ]
    assert across == [
        ("news_jan_jul.txt:1", "within_rounding"),
        ("news_jan_jul.txt:2", "consistent"),
        ("news_jan_jul.txt:3", "consistent"),
        ("news_jan_jul_other.txt:1", "consistent"),
        ("news_jan_jul_other.txt:2", "consistent"),
        ("news_jan_jul_other.txt:3", "within_rounding"),
    ]


def test_counts_and_rates_say_what_would_make_them_checkable() -> None:
    report = check_documents([doc("Nearly 2,000 companies attended. Trade was 12.5% in 2024.")])
    assert [r.decisive.needs for r in report.results] == [
        "a register of the companies counted (not in the observatory)",
        "what the percentage measures (no growth or share wording was found)",
    ]


def test_derived_imports_and_balance() -> None:
    report = check_documents([doc(ACCEPTANCE_2)])
    assert [(d.name, d.arithmetic) for d in report.documents[0].derived] == [
        (
            "implied imports (Total EBOPS 2010 Services, January–August 2025)",
            "total − exports = 2.950 trillion CNY",
        ),
        (
            "implied balance (Total EBOPS 2010 Services, January–August 2025)",
            "exports − (total − exports) = 2.300 trillion CNY − "
            "(5.250 trillion CNY − 2.300 trillion "
            "CNY) = -0.650 trillion CNY",
        ),
    ]


def test_report_renderings() -> None:
    report = check_documents([doc(ACCEPTANCE_1)])
    assert report.summary() == {
        "consistent": 0,
        "within_rounding": 1,
        "inconsistent": 0,
        "not_checkable": 2,
    }
    assert report.rows()[2] == {
        "id": "t:3",
        "text": "average annual growth of 7.3 percent",
        "kind": "average_growth",
        "subject": "Total EBOPS 2010 Services, exports",
        "period": "",
        "economy": "CHN",
        "verdict": "within_rounding",
        "check": "average_from_levels",
        "explanation": (
            "off by 0.06 points, less than one unit of the last printed digit (0.10 points)"
        ),
    }
    md = report.markdown()
    assert md.startswith(
        "# Claim check\n\n0 consistent, 1 within rounding, 0 inconsistent, 2 not "
        "checkable\n\n## t (2025-09-30)\n"
    )
    assert "- **average_from_levels** (within_rounding)" in md
    empty = check_documents([doc("Nothing here.", None)]).markdown()
    assert empty.endswith("## t (no date)\n\nNo numeric claims found.\n")


@pytest.mark.parametrize(
    ("stated", "computed", "span", "verdict"),
    [
        ("7.3%", 7.33, Interval(7.3, 7.4), "consistent"),
        ("7.3%", 7.36, Interval(7.36, 7.37), "within_rounding"),
        ("7.3%", 7.52, Interval(7.2, 7.6), "within_rounding"),
        ("7.3%", 7.52, Interval(7.5, 7.6), "inconsistent"),
        ("more than half", 50.2, Interval(50.2, 50.2), "consistent"),
        ("more than half", 48.0, Interval(47.0, 51.0), "within_rounding"),
        ("more than half", 40.0, Interval(40.0, 40.0), "inconsistent"),
        ("nearly 2,000", 1950.0, Interval(1950.0, 1950.0), "consistent"),
        ("nearly 2,000", 2100.0, Interval(2100.0, 2100.0), "inconsistent"),
    ],
)
def test_judge(stated: str, computed: float, span: Interval, verdict: str) -> None:
    (q,) = find_quantities(stated)
    assert judge(Stated(q), computed, span, Fmt.like(q)).verdict == verdict


def test_fmt_writes_units() -> None:
    (q,) = find_quantities("4.58 trillion yuan")
    show = Fmt.like(q)
    assert (show(4.58e12), show(float("inf")), Fmt("points")(0.5), show.rate(7.15)) == (
        "4.580 trillion CNY",
        "unbounded",
        "0.50 percentage points",
        "7.150",
    )


def test_interval_arithmetic() -> None:
    a, b = Interval(1.0, 2.0), Interval(-1.0, 3.0)
    assert (a - b, a * b, a / b, a.scale(2), a.gap(Interval(3.0, 4.0)), Interval(3, 4).gap(a)) == (
        Interval(-2.0, 3.0),
        Interval(-2.0, 6.0),
        Interval(float("-inf"), float("inf")),
        Interval(2.0, 4.0),
        1.0,
        1.0,
    )
    assert (a.width, Interval.point(2.0).contains(2.0)) == (1.0, True)


def test_dates_matter_for_unnamed_years() -> None:
    body = "From January to August, services trade totaled 5.25 trillion yuan."
    early = check_documents([doc(body, date(2025, 3, 1))]).results[0].claim
    assert early.period is not None and early.period.key == "2024-01..2024-08"
