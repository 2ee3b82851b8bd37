"""Broken classification files raise DataFileError naming file, line, field and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import DataFileError, ErrorDetail
from servtrade.vocab.datafile import classification_path
from servtrade.vocab.ebops import read_aggregates, read_ebops
from servtrade.vocab.economies import read_economies
from servtrade.vocab.gbt4754 import read_gbt4754
from servtrade.vocab.modes import read_modes
from servtrade.vocab.w120 import read_w120

EBOPS_HEAD = "code,label,parent,level,comtrade_code,breakdown,partition,note\n"
EBOPS_ROOT = "S,Total services,,0,200,standard,main,\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _detail(exc: pytest.ExceptionInfo[DataFileError]) -> ErrorDetail:
    assert len(exc.value.errors) == 1
    return exc.value.errors[0]


def _copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = classification_path(name).read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, name, text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("rows", "line", "field", "value"),
    [
        ("SA,Manufacturing,S,1,1,standard,mainly,\n", 3, "partition", "mainly"),
        ("SA,Manufacturing,S,one,1,standard,main,\n", 3, "level", "one"),
        ("SA,,S,1,1,standard,main,\n", 3, "label", ""),
        ("SA,Manufacturing,SX,1,1,standard,main,\n", 3, "parent", "SX"),
        ("SA,Manufacturing,S,2,1,standard,main,\n", 3, "level", "2"),
        ("SA,Manufacturing,S,1,1,alternative,main,\n", 3, "breakdown", "alternative"),
        ("SA,Manufacturing,S,1,200,standard,main,\n", 3, "comtrade_code", "200"),
        ("sa,Manufacturing,S,1,1,standard,main,\nSA,Again,S,1,2,standard,main,\n", 4, "code", "SA"),
    ],
)
def test_broken_ebops_row(tmp_path: Path, rows: str, line: int, field: str, value: str) -> None:
    path = _write(tmp_path, "ebops.csv", EBOPS_HEAD + EBOPS_ROOT + rows)
    with pytest.raises(DataFileError) as caught:
        read_ebops(path)
    assert _detail(caught) == ErrorDetail(
        message=_detail(caught).message,
        file=str(path),
        line=line,
        field=field,
        value=value,
        hint=_detail(caught).hint,
    )
    assert f"ebops.csv:{line}" in str(caught.value)


def test_ebops_needs_one_root_and_all_columns(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="exactly one root"):
        read_ebops(_write(tmp_path, "two.csv", EBOPS_HEAD + EBOPS_ROOT.replace("S,", "T,", 1)))
    with pytest.raises(DataFileError) as caught:
        read_ebops(_write(tmp_path, "cols.csv", "code,label\nS,Total\n"))
    assert (_detail(caught).line, _detail(caught).field) == (1, "parent")


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot be read"):
        read_ebops(tmp_path / "missing.csv")
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(EBOPS_HEAD.encode() + "S,Caf\xe9,,0,200,standard,main,\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="not valid UTF-8 CSV"):
        read_ebops(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("aggregates: [\n", "not valid YAML"),
        ("other: 1\n", "top-level mapping 'aggregates'"),
        ("aggregates:\n  x: 3\n", "must be a mapping"),
        ("aggregates:\n  x: {name: X, items: [SF]}\n", "x.source"),
        ("aggregates:\n  x: {name: X, source: s, items: [SZ]}\n", "not an EBOPS 2010 code"),
        ("aggregates:\n  x: {name: X, source: s, items: [SK, SK1]}\n", "inside SK"),
    ],
)
def test_broken_aggregates(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        read_aggregates(_write(tmp_path, "aggregates.yaml", text))
    with pytest.raises(DataFileError, match="cannot be read"):
        read_aggregates(tmp_path / "none.yaml")


def test_broken_modes(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        read_modes(_copy_with(tmp_path, "gats_modes.csv", "\n4,", "\n5,"))
    assert (_detail(caught).line, _detail(caught).field, _detail(caught).value) == (5, "mode", "5")
    text = classification_path("gats_modes.csv").read_text(encoding="utf-8")
    short = _write(tmp_path, "three.csv", text.rsplit("\n4,", 1)[0] + "\n")
    with pytest.raises(DataFileError, match="modes 1, 2, 3 and 4"):
        read_modes(short)
    maybe = _copy_with(tmp_path, "gats_modes.csv", 'network).",yes', 'network).",maybe')
    with pytest.raises(DataFileError, match="'in_cn_cross_border_negative_list' value 'maybe'"):
        read_modes(maybe)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("1.B.b,Software", "1.B.bb,Software", "code"),
        ("services,1.B,3,842", "services,1.C,3,842", "parent"),
        ("services,1.B,3,842", "services,1.B,2,842", "level"),
        ("verified_excerpt\n1.B.b", "verified\n1.B.b", "verification"),
        ("1.B.b,Software", "1.B.a,Software", "code"),
        ("1.A,Professional Services,1,2", "1.A,Professional Services,9,2", "parent"),
        ("1,BUSINESS SERVICES,,1", "13,BUSINESS SERVICES,,1", "parent"),
    ],
)
def test_broken_w120(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(DataFileError) as caught:
        read_w120(_copy_with(tmp_path, "w120.csv", old, new))
    assert _detail(caught).field == field


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("I,信息", "H,信息", "section"),
        (",63,65,", ",63,100,", "division_to"),
        (",SI,", ",SIX9,", "ebops2010_approx"),
    ],
)
def test_broken_gbt4754(tmp_path: Path, old: str, new: str, field: str) -> None:
    with pytest.raises(DataFileError) as caught:
        read_gbt4754(_copy_with(tmp_path, "gbt4754_2017_sections.csv", old, new))
    assert _detail(caught).field == field


@pytest.mark.parametrize(
    ("table", "old", "new", "field"),
    [
        ("economy_aliases.csv", "UK,GBR,", "UK,GBX,", "code"),
        ("economy_aliases.csv", "South Korea,KOR,", "South Korea,PRK,", "alias"),
        ("economy_aliases.csv", "UK,GBR,alias", "UK,GBR,nickname", "kind"),
        (
            "wb_groups.csv",
            "Pacific,Upper middle income,no",
            "Pacific,Upper middle income,yes",
            "code",
        ),
        ("wb_groups.csv", "ABW,Aruba", "AFG,Aruba", "code"),
        ("wb_groups.csv", "High income,no\nAFG", "High income,perhaps\nAFG", "is_aggregate"),
    ],
)
def test_broken_economy_tables(tmp_path: Path, table: str, old: str, new: str, field: str) -> None:
    paths = {
        name: _copy_with(tmp_path, name, old, new) if name == table else classification_path(name)
        for name in ("wb_groups.csv", "economy_aliases.csv")
    }
    with pytest.raises(DataFileError) as caught:
        read_economies(paths["wb_groups.csv"], paths["economy_aliases.csv"])
    assert _detail(caught).field == field
    assert _detail(caught).file == str(paths[table])
