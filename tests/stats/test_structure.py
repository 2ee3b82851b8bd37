"""Indicators across economies, partners and items (rank, HHI, RCA, contribution, mirror) on a
small BaTIS-layout fixture, each cross-checked against a plain pandas computation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from servtrade.errors import NotFoundError, ValidationError
from servtrade.stats.ingest import ingest_file
from servtrade.stats.results import Query
from servtrade.stats.store import Store
from servtrade.stats.structure import contribution, hhi, mirror, rank, rca

MAIN_ITEMS = ["SC", "SD", "SI", "SJ"]  # the standard items present in the fixture


@pytest.fixture
def batis(store: Store, fixtures: Path) -> pd.DataFrame:
    ingest_file(store, fixtures / "batis_structure.csv")
    frame = pd.read_csv(fixtures / "batis_structure.csv", dtype={"Year": str})
    frame["value"] = frame["Balanced_value"] * 1e6  # BaTIS publishes millions of US$
    return frame


def world(frame: pd.DataFrame, flow: str = "X", year: str = "2023") -> pd.DataFrame:
    picked = frame[(frame.Partner == "WLD") & (frame.Flow == flow) & (frame.Year == year)]
    return picked.pivot(index="Reporter", columns="Item_code", values="value")


def test_rank_reporters_partners_items(store: Store, batis: pd.DataFrame) -> None:
    table = world(batis)
    expected = table["S"].sort_values(ascending=False)
    ranked = rank(store, Query("WLD", period="2023"), by="reporter", top=3)
    assert [(r.reporter, r.value, r.extra) for r in ranked] == [
        (code, pytest.approx(v), {"rank": n, "of": 4})
        for n, (code, v) in enumerate(expected.head(3).items(), start=1)
    ]
    partners = rank(store, Query("CHN", period="2023"), by="partner")
    bilateral = batis[(batis.Reporter == "CHN") & (batis.Partner != "WLD")]
    assert [(r.partner, r.value) for r in partners] == list(
        bilateral.sort_values("value", ascending=False)[["Partner", "value"]].itertuples(
            index=False, name=None
        )
    )
    items = rank(store, Query("CHN", period="2023"), by="item", top=2)
    top2 = table.loc["CHN", MAIN_ITEMS].sort_values(ascending=False).head(2)
    assert [(r.item, r.value) for r in items] == list(top2.items())


def test_hhi_by_partner_and_item(store: Store, batis: pd.DataFrame) -> None:
    bilateral = batis[(batis.Reporter == "CHN") & (batis.Partner != "WLD")]["value"]
    [by_partner] = hhi(store, Query("CHN", period="2023"), by="partner")
    assert by_partner.value == pytest.approx(((bilateral / bilateral.sum() * 100) ** 2).sum())
    assert (by_partner.unit, len(by_partner.inputs)) == ("index", 4)
    parts = world(batis).loc["CHN", MAIN_ITEMS]
    [by_item] = hhi(store, Query("CHN", period="2023"), by="item")
    assert by_item.value == pytest.approx(((parts / parts.sum() * 100) ** 2).sum())


def test_rca_matches_pandas_for_every_economy(store: Store, batis: pd.DataFrame) -> None:
    table = world(batis)
    world_share = table["SI"].sum() / table["S"].sum()
    for reporter in table.index:
        [result] = rca(store, Query(reporter, item="SI", period="2023"))
        expected = table.loc[reporter, "SI"] / table.loc[reporter, "S"] / world_share
        assert (result.value, result.unit, result.extra["economies"]) == (
            pytest.approx(expected),
            "index",
            4,
        )
    [india] = rca(store, Query("IND", item="SI", period="2023"))
    assert india.value is not None and india.value > 1  # the fixture tilts India to SI


def test_contribution_in_percentage_points(store: Store, batis: pd.DataFrame) -> None:
    now, before = world(batis, year="2023").loc["CHN"], world(batis, year="2022").loc["CHN"]
    expected = ((now[MAIN_ITEMS] - before[MAIN_ITEMS]) / before["S"] * 100).sort_values(
        ascending=False
    )
    found = contribution(store, Query("CHN", period="2023"))
    assert [(r.item, r.value, r.unit) for r in found] == [
        (code, pytest.approx(v), "pp") for code, v in expected.items()
    ]
    assert found[0].formula == f"({found[0].item} 2023 - {found[0].item} 2022) / S 2022 x 100"


def test_mirror_asymmetry(store: Store, batis: pd.DataFrame) -> None:
    x = batis.query("Reporter == 'CHN' and Partner == 'USA' and Flow == 'X'")["value"].item()
    m = batis.query("Reporter == 'USA' and Partner == 'CHN' and Flow == 'M'")["value"].item()
    [result] = mirror(store, Query("CHN", partner="USA", period="2023"))
    assert (result.value, result.extra) == (
        pytest.approx((x - m) / ((x + m) / 2) * 100),
        {"exports": x, "mirror_imports": m},
    )


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda s: rank(s, Query("WLD")), ValidationError),  # no period
        (lambda s: rank(s, Query("WLD", period="2023"), by="planet"), ValidationError),
        (lambda s: mirror(s, Query("CHN", period="2023")), ValidationError),  # partner is world
        (lambda s: mirror(s, Query("CHN", partner="FRA", period="2023")), NotFoundError),
        (lambda s: rca(s, Query("FRA", item="SI", period="2023")), NotFoundError),
        (lambda s: contribution(s, Query("CHN", period="2022")), NotFoundError),
        (lambda s: hhi(s, Query("FRA", period="2023"), by="partner"), NotFoundError),
        (lambda s: rank(s, Query("WLD", period="1999")), NotFoundError),
    ],
)
def test_structure_errors_are_clear(
    store: Store, batis: pd.DataFrame, call: object, error: type
) -> None:
    with pytest.raises(error):
        call(store)  # type: ignore[operator]
