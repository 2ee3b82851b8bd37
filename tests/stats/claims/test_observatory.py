"""Checks against the observatory, with the bundled China releases loaded in a real store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from servtrade.config import Settings
from servtrade.stats.claims import SeriesQuery, Sources, check_documents
from servtrade.stats.claims.observatory import printed_step, series_item, series_lookup
from servtrade.stats.indicators import fetch
from servtrade.stats.results import Query
from servtrade.stats.store import open_store

from .support import doc

SINCE_2012 = "Since 2012, China's services trade has grown at an average annual rate of 6.7%."


def _sources(settings: Settings) -> Sources:
    store = open_store(settings)

    def rows(
        reporter: str, items: Sequence[str], flows: Sequence[str], periods: Sequence[str]
    ) -> list[dict[str, Any]]:
        q = Query(reporter=reporter, item=items[0], flow=flows[0])
        return [
            o.to_dict()
            for o in fetch(store, q, periods=list(periods), items=list(items), flows=list(flows))
        ]

    return Sources(series=series_lookup(rows))


def test_acceptance_average_since_2012_against_the_bundled_series(
    loaded_settings: Settings,
) -> None:
    report = check_documents([doc(SINCE_2012, date(2025, 9, 12))], _sources(loaded_settings))
    (result,) = report.results
    check = next(c for c in result.checks if c.name == "average_against_data")
    vintage = open_store(loaded_settings).latest("cn-mofcom-releases")
    assert vintage is not None
    # 2012: US$470.6 billion; 2024: US$1.05 trillion (the releases' dollar figures).
    assert check.arithmetic[:2] == (
        "span used: 2012 to 2024 (12 years; claim: 2012 to 2024)",
        f"series: CHN S total (cn-mofcom-releases, vintage {vintage.vintage}), in USD",
    )
    assert check.computed == pytest.approx(100 * ((1050 / 470.6) ** (1 / 12) - 1))
    assert (check.verdict, round(check.difference or 0, 2)) == ("inconsistent", 0.22)
    assert check.data is not None and (check.data["dataset"], check.data["periods"]) == (
        "cn-mofcom-releases",
        ["2012", "2024"],
    )


def test_levels_and_growth_against_the_series(loaded_settings: Settings) -> None:
    body = (
        "From January to August, China's services trade totaled 5.25 trillion yuan, up 7.4%. "
        "In 2024, services trade reached 7.5 trillion yuan, up 14.4 percent."
    )
    report = check_documents([doc(body)], _sources(loaded_settings))
    assert [(r.claim.text, r.verdict, r.decisive.name) for r in report.results] == [
        ("5.25 trillion yuan", "consistent", "level_against_data"),
        ("up 7.4%", "consistent", "growth_against_data"),
        ("7.5 trillion yuan", "consistent", "level_against_data"),
        ("up 14.4 percent", "consistent", "growth_against_data"),
    ]
    assert report.sources_used == ["observatory series"]


def test_shares_and_published_averages(loaded_settings: Settings) -> None:
    body = (
        "In 2020, knowledge-intensive services accounted for 44.5% of China's services trade. From "
        "2012 to 2021, services trade grew at an average annual rate of 6.1%."
    )
    report = check_documents([doc(body)], _sources(loaded_settings))
    assert [(r.claim.kind, r.verdict, [c.name for c in r.checks]) for r in report.results] == [
        ("share", "consistent", ["share_against_data"]),
        ("average_growth", "inconsistent", ["average_against_data", "average_published"]),
    ]
    published = report.results[1].checks[1]
    assert (published.verdict, published.computed) == ("consistent", 6.1)


def test_lookup_maps_items_and_keeps_provenance() -> None:
    def rows(
        reporter: str, items: Sequence[str], flows: Sequence[str], periods: Sequence[str]
    ) -> list[dict[str, Any]]:
        return [
            {
                "dataset": "d",
                "vintage": "v1",
                "period": periods[0],
                "value": 52.2,
                "unit": "percent",
                "source": {"publisher": "MOFCOM", "title": "release"},
            },
            {
                "dataset": "d",
                "vintage": "v1",
                "period": periods[0],
                "value": None,
                "unit": "percent",
            },
        ]

    lookup = series_lookup(rows)
    query = SeriesQuery("CHN", "knowledge_intensive", "exports", ("2024",), measure="share")
    answer = lookup(query)
    assert answer is not None and (answer.dataset, answer.vintage, answer.series) == (
        "d",
        "v1",
        "CHN knowledge_intensive_share_exports exports",
    )
    assert [(o.value, o.step, o.source) for o in answer.observations] == [
        (52.2, pytest.approx(0.1), "MOFCOM — release")
    ]
    assert lookup(SeriesQuery("CHN", "SD", "exports", ("2024",), measure="share")) is None
    assert series_item(SeriesQuery("CHN", "S", "total", ("2012..2021",), measure="average")) == (
        "S_avg_annual_growth"
    )
    assert series_lookup(lambda *_: [])(SeriesQuery("CHN", "S", "total", ("2024",))) is None


@pytest.mark.parametrize(
    ("value", "step"), [(470.6e9, 1e8), (1.05e12, 1e10), (6.7, 0.1), (0.0, 0.0), (85.0, 1.0)]
)
def test_printed_step(value: float, step: float) -> None:
    assert printed_step(value) == pytest.approx(step)
