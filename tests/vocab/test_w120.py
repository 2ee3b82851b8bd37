"""WTO W/120 sectors with provisional CPC codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servtrade.errors import UnknownCodeError
from servtrade.vocab.w120 import (
    W120Sector,
    parse_cpc,
    resolve_w120,
    w120_children,
    w120_for_cpc,
    w120_sectors,
)


def test_sector_golden() -> None:
    assert resolve_w120("1.b.b") == W120Sector(
        code="1.B.b",
        name="Software implementation services",
        parent="1.B",
        level=3,
        cpc_prov="842",
        verification="verified_excerpt",
        cpc_codes=("842",),
    )
    assert resolve_w120("1.B.b").verified is True
    assert resolve_w120("11.A.a").verified is False


def test_tree_shape() -> None:
    sectors = w120_sectors()
    assert len(sectors) == 183
    assert [s.code for s in sectors if s.parent is None] == [str(i) for i in range(1, 13)]
    codes = {s.code for s in sectors}
    assert [s.code for s in sectors if s.parent and s.parent not in codes] == []
    assert [c.code for c in w120_children("9")] == ["9.A", "9.B", "9.C", "9.D"]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("", ()),
        ("n.a.", ()),
        ("845+849", ("845", "849")),
        ("83106-83109", ("83106", "83107", "83108", "83109")),
        ("7523**", ("7523",)),
        ("884+885 (except 88442)", ("884", "885")),
        ("631+632, 6111+6113+6121", ("631", "632", "6111", "6113", "6121")),
    ],
)
def test_parse_cpc(text: str, codes: tuple[str, ...]) -> None:
    assert parse_cpc(text) == codes


def test_cpc_lookup() -> None:
    assert [s.code for s in w120_for_cpc("8421")] == ["1.B.b"]
    assert [s.code for s in w120_for_cpc("CPC 83107")] == ["1.E.d"]
    # 88442 is excluded from 1.F.i and listed under 1.F.r
    assert [s.code for s in w120_for_cpc("88442")] == ["1.F.r"]
    assert [s.code for s in w120_for_cpc("93191")] == ["1.A.j"]
    assert w120_for_cpc("1") == []


def test_unknown() -> None:
    with pytest.raises(UnknownCodeError, match=r"did you mean: 1\.B"):
        resolve_w120("1.B.z")
    with pytest.raises(UnknownCodeError, match="CPC code"):
        w120_for_cpc("abc")


@given(st.text(max_size=20))
def test_resolve_w120_raises_only_unknown_code_error(text: str) -> None:
    try:
        found = resolve_w120(text)
    except UnknownCodeError:
        return
    assert found.code.casefold() == text.strip().casefold()
