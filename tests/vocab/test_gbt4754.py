"""GB/T 4754-2017 sections."""

from __future__ import annotations

import pytest

from servtrade.errors import UnknownCodeError
from servtrade.vocab.gbt4754 import gbt4754_sections, resolve_gbt4754


def test_sections_a_to_t() -> None:
    sections = gbt4754_sections()
    assert "".join(s.section for s in sections) == "ABCDEFGHIJKLMNOPQRST"
    assert [(s.division_from, s.division_to) for s in sections[:3]] == [(1, 5), (6, 12), (13, 43)]


def test_resolve_by_letter_or_division() -> None:
    info = resolve_gbt4754("i")
    assert (info.name_zh, info.ebops_codes) == ("信息传输、软件和信息技术服务业", ("SI",))
    assert resolve_gbt4754(65).section == "I"
    assert resolve_gbt4754("97").section == "T"
    assert resolve_gbt4754("J").ebops_codes == ("SG", "SF")
    assert resolve_gbt4754("D").ebops_codes == ()


def test_unknown() -> None:
    with pytest.raises(UnknownCodeError, match="section letter A-T"):
        resolve_gbt4754("Z")
