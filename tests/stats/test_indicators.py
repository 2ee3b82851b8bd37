"""Indicators: golden values on fixtures, cross-checked with plain pandas, and China's
published figures from the bundled releases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from servtrade.config import Settings
from servtrade.errors import NotFoundError, UnknownCodeError, ValidationError
from servtrade.stats.bundled import load_bundled
from servtrade.stats.indicators import (
    aggregate,
    balance,
    cagr,
    change,
    share,
    value,
    yoy,
)
from servtrade.stats.ingest import ingest_file
from servtrade.stats.queries import run_indicator
from servtrade.stats.results import Query
from servtrade.stats.selection import check_flow, resolve_item
from servtrade.stats.store import Store


@pytest.fixture
def wide(store: Store, fixtures: Path) -> pd.DataFrame:
    ingest_file(store, fixtures / "wdi_wide.csv")
    frame = pd.read_csv(fixtures / "wdi_wide.csv", skiprows=4, encoding="utf-8-sig")
    return frame.set_index("Country Code")


@pytest.fixture
def releases(settings: Settings, store: Store) -> Store:
    load_bundled(settings)
    return store


def test_yoy_cagr_share_match_pandas(store: Store, wide: pd.DataFrame) -> None:
    [growth] = yoy(store, Query("DEU", period="2024"))
    assert growth.value == pytest.approx(
        (wide.loc["DEU", "2024"] / wide.loc["DEU", "2023"] - 1) * 100
    )
    assert growth.formula == "(2024 / 2023 - 1) x 100"
    [rate] = cagr(store, Query("Germany", start=2015, end=2024))
    expected = ((wide.loc["DEU", "2024"] / wide.loc["DEU", "2015"]) ** (1 / 9) - 1) * 100
    assert rate.value == pytest.approx(expected)
    [part] = share(store, Query("CHN", period="2020"))
    assert part.value == pytest.approx(wide.loc["CHN", "2020"] / wide.loc["WLD", "2020"] * 100)
    assert [o.reporter for o in part.inputs] == ["CHN", "WLD"]


def test_rank_and_hhi_match_pandas(store: Store, wide: pd.DataFrame) -> None:
    ranked = run_indicator(store, "rank", Query("WLD", period="2023"), by="reporter")
    assert [(r.reporter, r.value) for r in ranked] == [("DEU", 420.0e9), ("CHN", 381.0e9)]
    [conc] = run_indicator(store, "hhi", Query("WLD", period="2023"), by="reporter")
    col = wide.loc[["CHN", "DEU"], "2023"]
    assert conc.value == pytest.approx(((col / col.sum() * 100) ** 2).sum())


def test_china_cagr_2014_2024_is_exact(releases: Store) -> None:
    results = cagr(releases, Query("CHN", flow="exports", start=2014, end=2024, unit="USD"))
    assert [round(r.value or 0, 2) for r in results] == [7.36]
    assert results[0].display == "7.36 %"
    assert [o.value for o in results[0].inputs] == [219.1e9, 445.9e9]


def test_conflicting_sources_stay_side_by_side(releases: Store) -> None:
    found = value(releases, Query("CHN", flow="balance", period="2012"))
    assert sorted((r.value, r.alternative) for r in found) == [
        (-89.7e9, "2012-156135"),
        (-79.72e9, "2012-cgtn"),
    ]


def test_ytd_growth_and_required_figures(releases: Store) -> None:
    [growth] = yoy(releases, Query("CHN", flow="total", period="2025-01..2025-08"))
    assert (growth.value, growth.formula) == (
        7.4,
        "growth rate as published (earlier value not in the store)",
    )
    [ki] = value(
        releases,
        Query("CHN", item="knowledge_intensive", flow="exports", period="2025-01..2025-08"),
    )
    assert (ki.value, ki.inputs[0].growth_pct) == (1.18e12, 9.4)
    half = value(releases, Query("CHN", flow="total", period="2025H1"))
    assert sorted(r.value for r in half) == [3887.26e9, 3.9e12]
    assert {r.inputs[0].source["publisher"] for r in half} >= {  # type: ignore[index]
        "Chinese Today citing MOFCOM; China Daily (cn) and hgzwl copy agree"
    }


def test_balance_from_exports_and_imports(store: Store, tmp_path: Path) -> None:
    for code, rows in (("bx", "2024,10"), ("bm", "2024,4")):
        path = tmp_path / f"{code}.gsr.nfsv.cd.csv"
        path.write_text(f"Country Name,Country Code,Year,Value\nChina,CHN,{rows}\n")
        ingest_file(store, path)
    [result] = balance(store, Query("CHN", period="2024"))
    assert (result.value, result.flow, result.formula) == (6.0, "balance", "exports - imports")


def test_mixing_units_names_both(releases: Store) -> None:
    # 2013 exports were published in US$ only, 2017 exports in yuan only
    with pytest.raises(ValidationError, match="cannot combine USD and CNY") as caught:
        cagr(releases, Query("CHN", flow="exports", start=2013, end=2017))
    assert caught.value.errors[0].value == "USD/CNY"
    with pytest.raises(NotFoundError):
        value(releases, Query("CHN", item="SH", period="1990"))


@pytest.mark.shared
def test_load_bundled_is_idempotent(settings: Settings, store: Store, shared_dir: Path) -> None:
    shared = settings.model_copy(update={"shared_dir": shared_dir})
    first = load_bundled(shared)
    assert [(s.dataset, s.skipped) for s in first] == [
        ("cn-mofcom-releases", False),
        ("wdi", False),
        ("wdi", False),
    ]
    assert [s.skipped for s in load_bundled(shared)] == [True, True, True]
    assert len(store.vintages("wdi")) == 2
    [royalties] = value(store, Query("CHN", item="SH", period="2024"))
    assert royalties.display == "7,064.9 million US$"


def test_change_of_a_flow_a_year_apart(store: Store, wide: pd.DataFrame) -> None:
    [result] = change(store, Query("DEU", period="2024"))
    assert (result.value, result.formula, result.unit) == (
        wide.loc["DEU", "2024"] - wide.loc["DEU", "2023"],
        "2024 - 2023",
        "USD",
    )
    with pytest.raises(NotFoundError):
        change(store, Query("DEU", period="2015"))


def test_aggregate_sums_its_items_like_pandas(store: Store, tmp_path: Path) -> None:
    items = {"SF": 10.0, "SG": 20.0, "SH": 5.5, "SI": 40.0, "SJ": 60.0, "SK": 2.5, "SC": 99.0}
    header = "Reporter,type_Reporter,Partner,type_Partner,Flow,Item_code,type_Item,Year,"
    header += "Reported_value,Estimated_value,Balanced_value"
    lines = [f"CHN,c,WLD,a,X,{code},i,2023,,{v},{v}" for code, v in items.items()]
    path = tmp_path / "batis.csv"
    path.write_text("\n".join([header, *lines]) + "\n")
    ingest_file(store, path)
    frame = pd.read_csv(path)
    wanted = frame[frame.Item_code.isin(["SF", "SG", "SH", "SI", "SJ", "SK"])]
    [result] = aggregate(store, Query("CHN", item="knowledge-intensive", period="2023"))
    assert (result.value, result.label, result.formula) == (
        pytest.approx(wanted.Balanced_value.sum() * 1e6),
        "knowledge_intensive",
        "SF + SG + SH + SI + SJ + SK",
    )
    with pytest.raises(NotFoundError, match="needs all of SF, SG, SH, SI, SJ, SK1"):
        aggregate(store, Query("CHN", item="digitally_deliverable", period="2023"))
    with pytest.raises(ValidationError, match="'SC' is not a named aggregate"):
        aggregate(store, Query("CHN", item="SC", period="2023"))
    with pytest.raises(NotFoundError):  # no S row in this file: no share of total
        run_indicator(store, "share-of-total", Query("CHN", item="SI", period="2023"))


def test_items_and_flows_are_resolved_or_refused() -> None:
    assert [resolve_item(c) for c in ("8", "sh", "Knowledge-intensive", "commercial")] == [
        "SH",
        "SH",
        "knowledge_intensive",
        "commercial",
    ]
    with pytest.raises(UnknownCodeError):
        resolve_item("ZZZ")
    with pytest.raises(ValidationError) as caught:
        check_flow("sideways")
    assert caught.value.errors[0].hint == "use exports, imports, balance, total"


def test_share_of_total_and_published_aggregate(releases: Store) -> None:
    [ki] = aggregate(
        releases,
        Query("CHN", item="knowledge_intensive", flow="exports", period="2025-01..2025-08"),
    )
    assert (ki.value, ki.formula) == (1.18e12, "aggregate as published")
    found = run_indicator(
        releases,
        "share-of-total",
        Query("CHN", item="knowledge_intensive", flow="total", period="2025-01..2025-07"),
    )
    assert [(round(r.value or 0, 2), r.formula) for r in found] == [
        (round(1.77e12 / 4.58e12 * 100, 2), "CHN knowledge_intensive / CHN S x 100")
    ]
