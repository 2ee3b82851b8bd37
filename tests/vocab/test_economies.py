"""Economies: lookup by every kind of key, WDI groups, aggregates, suggestions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servtrade.errors import UnknownCodeError
from servtrade.vocab.economies import (
    Economy,
    all_economies,
    resolve_economy,
    search_economies,
)

CHINA = Economy(
    alpha2="CN",
    alpha3="CHN",
    numeric="156",
    name_en="China",
    name_zh="中国",
    region="East Asia & Pacific",
    income_group="Upper middle income",
    is_aggregate=False,
    official_name="People's Republic of China",
)


@pytest.mark.parametrize(
    "text", ["中国", "CHN", "CN", "156", "People's Republic of China", "china", " China  ", "cn"]
)
def test_china_by_any_key(text: str) -> None:
    assert resolve_economy(text) == CHINA


@pytest.mark.parametrize(
    ("text", "alpha3"),
    [
        ("USA", "USA"),
        ("United States of America", "USA"),
        ("UK", "GBR"),
        ("South Korea", "KOR"),
        ("Korea, Rep.", "KOR"),
        ("Egypt, Arab Rep.", "EGY"),
        ("Iran, Islamic Rep.", "IRN"),
        ("Hong Kong, China", "HKG"),
        ("Hong Kong SAR, China", "HKG"),
        ("香港", "HKG"),
        ("Turkiye", "TUR"),
        ("Mainland China", "CHN"),
        ("4", "AFG"),
        ("004", "AFG"),
        ("美国", "USA"),
        ("Viet Nam", "VNM"),
    ],
)
def test_aliases_and_names(text: str, alpha3: str) -> None:
    assert resolve_economy(text).alpha3 == alpha3


def test_wdi_only_economies() -> None:
    kosovo = resolve_economy("XKX")
    assert kosovo == Economy(
        alpha2="XK",
        alpha3="XKX",
        numeric=None,
        name_en="Kosovo",
        name_zh="科索沃",
        region="Europe & Central Asia",
        income_group="Upper middle income",
    )
    assert resolve_economy("Channel Islands").alpha3 == "CHI"
    assert resolve_economy("CHI").alpha2 is None
    assert resolve_economy("CHI").code == "CHI"
    assert resolve_economy(156).alpha3 == "CHN"


def test_aggregates_are_marked_and_not_counted() -> None:
    world = resolve_economy("WLD")
    assert (world.name_en, world.name_zh, world.is_aggregate, world.region) == (
        "World",
        "世界",
        True,
        None,
    )
    assert resolve_economy("High income").alpha3 == "HIC"
    economies = all_economies()
    assert [e.alpha3 for e in economies if e.is_aggregate] == []
    assert {"CHN", "XKX", "CHI", "TWN"} <= {e.alpha3 for e in economies}
    everything = all_economies(include_aggregates=True)
    assert len(everything) - len(economies) == 48
    assert len(economies) == 251  # 249 ISO 3166-1 entries plus XKX and CHI


def test_world_bank_groups_cover_the_wdi_economies() -> None:
    grouped = [e for e in all_economies() if e.region]
    assert len(grouped) == 217
    assert {e.income_group for e in grouped} == {
        "High income",
        "Upper middle income",
        "Lower middle income",
        "Low income",
        None,  # Venezuela is unclassified in this WDI vintage
    }
    assert resolve_economy("IND").region == "South Asia"


def test_search() -> None:
    assert [e.alpha3 for e in search_economies("中国")] == ["CHN", "HKG", "MAC", "TWN"]
    assert [e.alpha3 for e in search_economies("korea")][:2] == ["KOR", "PRK"]
    assert "EAS" in {e.alpha3 for e in search_economies("east asia")}
    assert "EAS" not in {e.alpha3 for e in search_economies("east asia", include_aggregates=False)}


def test_unknown_suggests() -> None:
    with pytest.raises(UnknownCodeError) as caught:
        resolve_economy("Chnia")
    assert "did you mean: China (CHN)" in str(caught.value)
    assert caught.value.status == 404


@given(st.text(max_size=40))
def test_resolve_raises_only_unknown_code_error(text: str) -> None:
    try:
        economy = resolve_economy(text)
    except UnknownCodeError:
        return
    assert isinstance(economy, Economy)
