"""Charts: specifications carry titles, units and sources; they render offline to SVG and PNG."""

from __future__ import annotations

import json
from typing import Any

import pytest

from servtrade.errors import InputError
from servtrade.stats import charts

SERIES = [
    {"period": "2014", "value": 219.1, "growth_pct": None},
    {"period": "2015", "value": 218.6, "growth_pct": -0.2},
    {"period": "2024", "value": 445.9, "growth_pct": 4.2},
]


def _texts(spec: Any) -> list[str]:
    """Every title and axis title in a spec, in order."""
    found: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "text") and isinstance(value, str):
                found.append(value)
            if key == "text" and isinstance(value, list):
                found.append(" ".join(value))
            found.extend(_texts(value))
    elif isinstance(spec, list):
        for value in spec:
            found.extend(_texts(value))
    return found


def test_series_with_growth_has_units_and_source() -> None:
    spec = charts.series_with_growth(
        SERIES,
        title="China: services exports",
        unit="US$ bn",
        source="MOFCOM (cn-mofcom-releases, v1)",
    )
    texts = _texts(spec)
    assert "Source: MOFCOM (cn-mofcom-releases, v1)" in texts
    assert {"China: services exports", "US$ bn", "growth, % year on year"} <= set(texts)
    assert spec["title"]["orient"] == "bottom"


def test_long_sources_wrap_instead_of_widening_the_chart() -> None:
    lines = charts.source_lines("MOFCOM " * 30, width=40)
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(lines) == ("Source: " + "MOFCOM " * 30).strip()


def test_series_without_growth_is_a_single_panel() -> None:
    rows = [{"period": "2023", "value": 1.0}, {"period": "2024", "value": 2.0}]
    spec = charts.series_with_growth(rows, title="t", unit="u", source="s")
    assert len(spec["vconcat"]) == 1
    assert spec["vconcat"][0]["mark"]["type"] == "line"


@pytest.mark.parametrize(
    ("build", "rows", "expected"),
    [
        (charts.composition, [{"label": "Travel", "value": 3.0}], "u"),
        (charts.top_partners, [{"label": "USA", "value": 9.0}], "u"),
        (charts.balance, [{"period": "2024", "exports": 5.0, "imports": 7.0}], "balance, u"),
    ],
)
def test_other_charts_carry_unit_and_source(build: Any, rows: Any, expected: str) -> None:
    spec = build(rows, title="T", unit="u", source="S")
    assert {"T", expected, "Source: S"} <= set(_texts(spec))


def test_balance_is_computed_with_its_sign() -> None:
    spec = charts.balance(
        [
            {"period": "2023", "exports": 5.0, "imports": 7.0},
            {"period": "2024", "exports": 9.0, "imports": 7.0},
        ],
        title="T",
        unit="u",
        source="S",
    )
    assert spec["vconcat"][0]["resolve"] == {
        "scale": {"color": "independent", "strokeDash": "independent"}
    }
    bars = spec["vconcat"][0]["vconcat"][1]
    values = spec["datasets"][bars["data"]["name"]]
    assert [(v["balance"], v["sign"]) for v in values] == [(-2.0, "deficit"), (2.0, "surplus")]


def test_share_and_rca_specs() -> None:
    share = charts.share_over_time([{"period": "2024", "share_pct": 52.2}], title="T", source="S")
    assert "share, %" in _texts(share)
    rca = charts.rca_heatmap([{"economy": "CHN", "item": "SI", "rca": 1.4}], title="R", source="S")
    assert "RCA (1 = world average)" in _texts(rca)


def test_empty_or_malformed_data_is_a_clear_error() -> None:
    with pytest.raises(InputError) as info:
        charts.composition([], title="t", unit="u", source="s")
    assert str(info.value) == (
        "nothing to chart (load the dataset first (servtrade stats ingest) or widen the period)"
    )
    with pytest.raises(InputError, match=r"chart data lacks columns \['value'\]"):
        charts.composition([{"label": "x"}], title="t", unit="u", source="s")


def test_render_svg_png_and_json() -> None:
    spec = charts.series_with_growth(SERIES, title="T", unit="US$ bn", source="S")
    svg = charts.render(spec, "svg").decode()
    assert svg.startswith("<svg") and "Source: S" in svg and "US$ bn" in svg
    png = charts.render(spec, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads(charts.render(spec, "json")) == spec


def test_render_failure_is_an_input_error() -> None:
    with pytest.raises(InputError, match="chart could not be rendered"):
        charts.render({"mark": "nonsense-mark", "data": {"values": []}}, "svg")


def test_missing_years_stay_visible_as_gaps() -> None:
    import pandas as pd

    frame = charts.with_year_gaps(pd.DataFrame({"period": ["2014", "2017"], "value": [1.0, 2.0]}))
    assert frame["period"].tolist() == ["2014", "2015", "2016", "2017"]
    assert frame["value"].isna().tolist() == [False, True, True, False]
    halves = charts.with_year_gaps(pd.DataFrame({"period": ["2025H1"], "value": [1.0]}))
    assert halves["period"].tolist() == ["2025H1"]
