"""GATS modes of supply."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servtrade.errors import UnknownCodeError
from servtrade.vocab.modes import GatsMode, modes, resolve_mode


def test_four_modes_in_order() -> None:
    assert [(m.mode, m.name_en, m.gats_article) for m in modes()] == [
        (1, "Cross-border supply", "I:2(a)"),
        (2, "Consumption abroad", "I:2(b)"),
        (3, "Commercial presence", "I:2(c)"),
        (4, "Presence of natural persons", "I:2(d)"),
    ]
    assert [m.in_cn_cross_border_negative_list for m in modes()] == [True, True, False, True]


@pytest.mark.parametrize(
    "value",
    [4, "4", "mode 4", "Mode4", "M4", "GATS mode 4", "自然人移动", "presence of natural persons"],
)
def test_resolve_mode_4(value: int | str) -> None:
    found = resolve_mode(value)
    assert isinstance(found, GatsMode)
    assert (found.mode, found.name_zh) == (4, "自然人移动")


@pytest.mark.parametrize("value", [0, 5, "mode 5", "cross border", ""])
def test_unknown_mode(value: int | str) -> None:
    with pytest.raises(UnknownCodeError, match="use 1, 2, 3 or 4"):
        resolve_mode(value)


@given(st.one_of(st.text(max_size=20), st.integers()))
def test_resolve_mode_raises_only_unknown_code_error(value: int | str) -> None:
    try:
        found = resolve_mode(value)
    except UnknownCodeError:
        return
    assert found in modes()
