"""``servtrade vocab``: output formats, search, help text, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from servtrade.cli import app

runner = CliRunner()


def _json(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["vocab", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_ebops_json_lists_full_tree() -> None:
    rows = _json("ebops")
    assert len(rows) >= 150
    assert [
        r["code"] for r in rows if not r["label"] or (r["parent"] is None) != (r["code"] == "S")
    ] == []
    assert next(r for r in rows if r["code"] == "SC11") == {
        "code": "SC11",
        "label": "Passenger",
        "parent": "SC1",
        "level": 3,
        "comtrade_code": "3.1.1",
        "breakdown": "standard",
        "partition": "main",
        "note": None,
        "name_zh": None,
    }


def test_ebops_search_csv() -> None:
    result = runner.invoke(app, ["vocab", "ebops", "--search", "computer software", "-f", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["code"], r["label"]) for r in rows] == [
        ("S3", "Computer software transactions"),
        ("S3z", "Licences to use computer software products"),
        ("SH3", "Licences to reproduce and/or distribute computer software"),
        ("SI21", "Computer software"),
    ]


def test_economies_search_chinese_finds_china() -> None:
    rows = _json("economies", "--search", "中国")
    assert rows[0] == {
        "alpha2": "CN",
        "alpha3": "CHN",
        "numeric": "156",
        "name_en": "China",
        "name_zh": "中国",
        "region": "East Asia & Pacific",
        "income_group": "Upper middle income",
        "is_aggregate": False,
    }


def test_economies_table_and_aggregates_flag() -> None:
    result = runner.invoke(app, ["vocab", "economies", "--search", "中国"])
    assert result.exit_code == 0
    assert "CHN" in result.stdout
    assert "中国" in result.stdout
    plain = _json("economies")
    everything = _json("economies", "--aggregates")
    assert [r["alpha3"] for r in plain if r["is_aggregate"]] == []
    assert len(everything) - len(plain) == 48


def test_modes_and_w120_and_aggregates() -> None:
    assert [r["mode"] for r in _json("modes")] == [1, 2, 3, 4]
    assert [r["code"] for r in _json("w120", "--search", "software")] == ["1.B.b", "7.B.l"]
    assert {r["id"]: r["items"] for r in _json("aggregates")} == {
        "knowledge_intensive": ["SF", "SG", "SH", "SI", "SJ", "SK"],
        "digitally_deliverable": ["SF", "SG", "SH", "SI", "SJ", "SK1"],
    }
    assert [r["section"] for r in _json("gbt4754")][:3] == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ([], "Browse the classifications"),
        (["ebops"], "EBOPS 2010 items"),
        (["economies"], "World Bank region"),
        (["modes"], "GATS modes"),
        (["w120"], "W/120 sectors"),
        (["aggregates"], "named EBOPS aggregates"),
        (["gbt4754"], "GB/T 4754-2017"),
    ],
)
def test_every_command_has_help(command: list[str], words: str) -> None:
    result = runner.invoke(app, ["vocab", *command, "--help"])
    assert result.exit_code == 0
    assert words in " ".join(result.stdout.split())
    if command and command[0] != "aggregates" and command[0] != "gbt4754":
        assert "--format" in result.stdout


def test_bad_format_is_refused() -> None:
    result = runner.invoke(app, ["vocab", "modes", "--format", "xml"])
    assert result.exit_code == 2
