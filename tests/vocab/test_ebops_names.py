"""Chinese names of EBOPS 2010 items: the official terms where China's statistics publish the
item, nothing elsewhere, and a broken ``name_zh`` cell is a located data error."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.errors import DataFileError, ErrorDetail
from servtrade.vocab.datafile import classification_path
from servtrade.vocab.ebops import aggregates, ebops_tree, read_ebops

# SAFE's balance of payments (BPM6), services lines 1.A.b and 1.A.b.1 ... 1.A.b.12
OFFICIAL = {
    "S": "服务",
    "SA": "加工服务",
    "SB": "维护和维修服务",
    "SC": "运输",
    "SD": "旅行",
    "SE": "建设",
    "SF": "保险和养老金服务",
    "SG": "金融服务",
    "SH": "知识产权使用费",
    "SI": "电信、计算机和信息服务",
    "SJ": "其他商业服务",
    "SK": "个人、文化和娱乐服务",
    "SL": "别处未提及的政府服务",
}
HEAD = "code,label,parent,level,comtrade_code,breakdown,partition,note,name_zh\n"
ROOT = "S,Total services,,0,200,standard,main,,服务\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ebops.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_total_and_the_twelve_components_have_the_official_names() -> None:
    tree = ebops_tree()
    named = {i.code: i.name_zh for i in tree.items() if i.name_zh}
    assert {c: named.get(c) for c in OFFICIAL} == OFFICIAL
    assert [c.code for c in tree.standard_children("S")] == list(OFFICIAL)[1:]


def test_only_the_checked_sub_components_are_named() -> None:
    named = {i.code: i.name_zh for i in ebops_tree().items() if i.name_zh}
    assert {c: n for c, n in named.items() if c not in OFFICIAL} == {
        "SI1": "电信服务",
        "SI2": "计算机服务",
        "SI3": "信息服务",
    }


def test_name_falls_back_to_the_english_label() -> None:
    tree = ebops_tree()
    assert (tree.resolve("SI").name("zh"), tree.resolve("SI").name("en")) == (
        "电信、计算机和信息服务",
        "Telecommunications, computer, and information services",
    )
    assert tree.resolve("SC1").name("zh") == "Sea transport"
    assert aggregates()["knowledge_intensive"].label("zh") == "知识密集型服务"
    assert aggregates()["knowledge_intensive"].label("en") == "Knowledge-intensive services"


def test_search_finds_chinese_names() -> None:
    assert [i.code for i in ebops_tree().search("计算机")] == ["SI", "SI2"]


@pytest.mark.parametrize(
    ("cell", "shown"), [("Transport", "Transport"), ("123", "123"), (" – ", "–"), ("S-C", "S-C")]
)
def test_a_name_zh_without_chinese_is_refused(tmp_path: Path, cell: str, shown: str) -> None:
    path = _write(tmp_path, HEAD + ROOT + f"SA,Manufacturing,S,1,1,standard,main,,{cell}\n")
    with pytest.raises(DataFileError) as caught:
        read_ebops(path)
    assert caught.value.errors == [
        ErrorDetail(
            "is not a Chinese name",
            file=str(path),
            line=3,
            field="name_zh",
            value=shown,
            hint="write the term of China's official statistics, or leave it empty so the "
            "English label shows",
        )
    ]
    assert str(caught.value).startswith("bad classification data in ebops.csv:3: ")


def test_a_name_zh_with_chinese_is_kept_as_written(tmp_path: Path) -> None:
    path = _write(
        tmp_path, HEAD + ROOT + "SA,Manufacturing,S,1,1,standard,main,, 加工服务（SA） \n"
    )
    assert read_ebops(path).resolve("SA").name_zh == "加工服务（SA）"


def test_the_name_zh_column_is_optional(tmp_path: Path) -> None:
    head = HEAD.replace(",name_zh", "")
    path = _write(tmp_path, head + "S,Total services,,0,200,standard,main,\n")
    assert read_ebops(path).resolve("S").name_zh is None


def test_an_unknown_parent_is_still_refused_with_a_name(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + ROOT + "SZ,Other,SX,1,99,standard,main,,其他\n")
    with pytest.raises(DataFileError) as caught:
        read_ebops(path)
    assert [(e.line, e.field, e.value) for e in caught.value.errors] == [(3, "parent", "SX")]


def _build_script() -> object:
    path = Path(__file__).resolve().parents[2] / "scripts" / "build_ebops.py"
    spec = importlib.util.spec_from_file_location("build_ebops", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_script_names_only_known_codes_and_matches_the_file() -> None:
    names: dict[str, str] = _build_script().NAME_ZH  # type: ignore[attr-defined]
    with classification_path("ebops2010.csv").open(encoding="utf-8", newline="") as fh:
        shipped = {r["code"]: r["name_zh"] for r in csv.DictReader(fh)}
    assert set(names) <= set(shipped)
    assert {c: n for c, n in shipped.items() if n} == names


def test_cli_lists_the_chinese_name() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["vocab", "ebops", "--search", "运输", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [(r["code"], r["label"], r["name_zh"]) for r in json.loads(result.stdout)] == [
        ("SC", "Transport", "运输")
    ]
    table = runner.invoke(app, ["vocab", "ebops", "--search", "SI1", "-f", "csv"])
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [(r["code"], r["name_zh"]) for r in rows] == [("SI1", "电信服务")]
