"""``servtrade market``: generate, kpis, recommend, import, evaluate, directory, listings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_generate_then_kpis_in_every_format(data_dir: Path) -> None:
    code, out, _ = run(
        "market", "generate", "--exhibitors", "40", "--economies", "8", "--seed", "1", "-f", "json"
    )
    assert code == 0
    fair = json.loads(out)[0]
    assert (fair["id"], fair["synthetic"]) == (1, True)
    code, out, _ = run("market", "kpis", "--format", "json")
    kpis = json.loads(out)
    assert (code, kpis["exhibitors"], kpis["economies"], kpis["synthetic"]) == (0, 40, 8, True)
    assert kpis["top_economies"]["note"].startswith("not available: load dataset wdi")
    code, out, _ = run("market", "kpis", "--fair", "1", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "kpi,value,detail"
    assert "exhibitors,40," in out and "synthetic,True," in out
    code, out, _ = run("market", "kpis")
    assert code == 0 and "SYNTHETIC" in out
    code, out, _ = run("market", "fairs", "-f", "json")
    assert [f["id"] for f in json.loads(out)] == [1]


def test_recommend_exhibitors_and_listings(data_dir: Path) -> None:
    assert (
        run("market", "generate", "--exhibitors", "40", "--economies", "8", "--seed", "2")[0] == 0
    )
    code, out, _ = run("market", "exhibitors", "--limit", "3", "-f", "json")
    rows = json.loads(out)
    assert (code, len(rows)) == (0, 3)
    participant = str(rows[0]["participant_id"])
    code, out, _ = run("market", "recommend", "--participant", participant, "--format", "json")
    body = json.loads(out)
    assert (code, len(body["recommendations"]), body["synthetic"]) == (0, 10, True)
    for rec in body["recommendations"]:
        assert abs(sum(f["contribution"] for f in rec["factors"]) - rec["score"]) < 1e-6
    code, out, _ = run("market", "recommend", "--participant", participant, "--k", "3", "-f", "csv")
    assert code == 0 and len(out.splitlines()) == 4
    code, out, _ = run("market", "recommend", "--participant", participant, "--flag-prohibited")
    assert code == 0 and "note: attractiveness" in out
    code, out, _ = run("market", "listings", "--category", "payments", "-f", "json")
    assert code == 0 and {x["category"] for x in json.loads(out)} <= {"payments"}


def test_import_rejects_a_bad_row_and_leaves_the_database_unchanged(data_dir: Path) -> None:
    good = data_dir / "orgs.csv"
    good.write_text("external_id,name,economy\no-1,Alpha,DEU\n", encoding="utf-8")
    code, out, _ = run("market", "import", "organisations", str(good), "-f", "json")
    assert (code, json.loads(out)[0]["inserted"]) == (0, 1)
    bad = data_dir / "bad.csv"
    bad.write_text("external_id,name,economy\no-2,Beta,FRA\no-3,Gamma,Narnia\n", encoding="utf-8")
    code, _, err = run("market", "import", "organisations", str(bad))
    assert code == 1
    assert "bad.csv:3: field 'economy' value 'Narnia'" in " ".join(err.split())
    code, out, _ = run("market", "import", "organisations", str(good), "-f", "json")
    assert json.loads(out)[0] | {"file": "", "fair_id": None} == {
        "kind": "organisations",
        "file": "",
        "fair_id": None,
        "rows": 1,
        "inserted": 0,
        "updated": 0,
        "unchanged": 1,
    }


def test_unknown_participant_exits_with_the_message(data_dir: Path) -> None:
    code, _, err = run("market", "recommend", "--participant", "424242")
    assert code == 1
    assert "no participant with id 424242" in err


def test_evaluate_writes_its_result(data_dir: Path) -> None:
    target = data_dir / "eval.json"
    code, out, _ = run(
        "market",
        "evaluate",
        "--exhibitors",
        "40",
        "--economies",
        "6",
        "--output",
        str(target),
        "-f",
        "json",
    )
    assert code == 0
    assert json.loads(out) == json.loads(target.read_text(encoding="utf-8"))
    assert [m["method"] for m in json.loads(out)["methods"]] == [
        "servtrade matcher",
        "tag overlap (Jaccard of EBOPS codes)",
        "random",
    ]
    code, out, _ = run("market", "evaluate", "--exhibitors", "20", "--economies", "4")
    assert code == 0 and "servtrade matcher" in out
