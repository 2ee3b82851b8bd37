"""`servtrade rules ...` commands: thin skins that print verdicts, lists, diffs and test results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app

runner = CliRunner()
CHECK = [
    "rules",
    "check",
    "--provider-economy",
    "USA",
    "--provider-type",
    "individual",
    "--buyer-economy",
    "CHN",
    "--service",
    "gbt4754:F5182",
    "--mode",
    "4",
    "--no-stri",
]
CASES = Path(__file__).resolve().parents[1] / "rules" / "cases"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))


def test_check_acceptance_json() -> None:
    result = runner.invoke(app, [*CHECK, "--on", "2024-05-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["outcome"], data["measure_ids"], data["citations"][0]["url"]) == (
        "prohibited",
        ["CN-NAT-2024-005"],
        "https://www.bjnews.com.cn/detail/1712727264129214.html",
    )


def test_check_explain_before_entry_into_force() -> None:
    result = runner.invoke(app, [*CHECK, "--on", "2024-04-01", "--explain"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Outcome: NOT_COVERED (on 2024-04-01)"
    assert "it enters into force on 2024-04-21" in result.stdout


def test_check_csv_with_data_and_facts() -> None:
    args = [
        "rules",
        "check",
        "--provider-economy",
        "USA",
        "--provider-type",
        "entity_abroad",
        "--buyer-economy",
        "CHN",
        "--service",
        "ebops:SI",
        "--mode",
        "1",
        "--on",
        "2024-05-01",
        "--data",
        "personal",
        "--fact",
        "ciio=true",
        "--fact",
        "transfer_purpose=other",
        "--no-stri",
        "--format",
        "csv",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith(
        "conditional,2024-05-01,CN-NAT-2024; CN-CBDF-2024; CN-DSL-2021; CN-PIPL-2021,"
        "CN-CBDF-2024-7-1; CN-PIPL-2021-39; CN-PIPL-2021-40,"
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--service", "cpc:0000"], "unknown CPC code '0000'"),
        (["--fact", "oops"], "--fact 'oops' is not NAME=VALUE"),
        (["--on", "May 1"], "--on 'May 1' is not a date"),
    ],
)
def test_check_errors_exit_1_with_a_message(extra: list[str], message: str) -> None:
    args = [*CHECK, *extra] if extra[0] == "--on" else [*CHECK, "--on", "2024-05-01", *extra]
    if extra[0] == "--service":
        args = [*CHECK[:8], *extra, *CHECK[10:], "--on", "2024-05-01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output


def test_lists_show_diff() -> None:
    lists = runner.invoke(app, ["rules", "lists", "--on", "2024-01-01", "--format", "json"])
    assert {r["list_id"]: r["status"] for r in json.loads(lists.stdout)}["CN-NAT-2024"] == (
        "not yet in force (from 2024-04-21)"
    )
    show = runner.invoke(app, ["rules", "show", "CN-NAT-2024", "--format", "json"])
    data = json.loads(show.stdout)
    assert (data["list"]["coverage"], [m["id"] for m in data["measures"]]) == (
        "CN-NAT-2024: 5 of 71 measures encoded",
        [
            "CN-NAT-2024-001",
            "CN-NAT-2024-005",
            "CN-NAT-2024-010",
            "CN-NAT-2024-046",
            "CN-NAT-2024-060",
        ],
    )
    table = runner.invoke(app, ["rules", "show", "CN-HN-2021", "--format", "csv"])
    assert (
        table.stdout.splitlines()[0]
        == "id,item,kind,effect,modes,binds,codes,in_force,reference,verification"
    )
    diff = runner.invoke(app, ["rules", "diff", "CN-HN-2021", "CN-NAT-2024", "--format", "json"])
    assert len(json.loads(diff.stdout)["measures"]) == 5
    text = runner.invoke(app, ["rules", "diff", "CN-HN-2021", "CN-NAT-2024"])
    assert "Only encoded measures are compared" in text.stdout
    missing = runner.invoke(app, ["rules", "show", "CN-XX"])
    assert (missing.exit_code, "no list 'CN-XX'" in missing.output) == (1, True)


def test_import_then_check_uses_the_imported_measure(tmp_path: Path) -> None:
    source = tmp_path / "mine.yaml"
    source.write_text(
        "list_id: CN-NAT-2024\nmeasures:\n  - id: CN-NAT-2024-900\n    item: 900\n"
        "    sector: {whole: ['w120:1.A.a'], activity: legal}\n    modes: [1]\n    kind: prohibition\n"  # noqa: E501
        "    binds: [entity_abroad]\n    effect: prohibited\n    reference: {document: x, item: '900'}\n"  # noqa: E501
        "    summary_en: Test.\n    verification: unverified\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["rules", "import", str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["measures"] == ["CN-NAT-2024-900"]
    check = runner.invoke(
        app,
        [
            "rules",
            "check",
            "--provider-economy",
            "USA",
            "--provider-type",
            "entity",
            "--buyer-economy",
            "CHN",
            "--service",
            "w120:1.A.a",
            "--mode",
            "1",
            "--on",
            "2024-05-01",
            "--no-stri",
            "--format",
            "json",
        ],
    )
    assert json.loads(check.stdout)["measure_ids"] == ["CN-NAT-2024-900"]
    again = runner.invoke(app, ["rules", "import", str(source)])
    assert (again.exit_code, "was imported before" in again.output) == (1, True)


def test_test_and_simulate_commands(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["rules", "test", str(CASES)])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip().splitlines()[-1].endswith("passed, 0 failed")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "cases:\n  - name: wrong\n    date: 2024-05-01\n    case: {provider_economy: USA, "
        "provider_type: individual, buyer_economy: CHN, service: 'cpc:932', mode: 4}\n"
        "    expect: {outcome: allowed, measures: []}\n",
        encoding="utf-8",
    )
    failed = runner.invoke(app, ["rules", "test", str(bad)])
    assert (failed.exit_code, failed.stdout.strip().splitlines()[-1]) == (1, "0 passed, 1 failed")
    sim = runner.invoke(
        app,
        [
            "rules",
            "simulate",
            "--cases",
            str(CASES),
            "--remove",
            "CN-NAT-2024-060",
            "--format",
            "json",
        ],
    )
    assert sim.exit_code == 0, sim.output
    assert json.loads(sim.stdout)["removed"] == ["CN-NAT-2024-060"]
    table = runner.invoke(
        app,
        ["rules", "simulate", "--cases", str(CASES / "modes.yaml"), "--remove", "CN-NAT-2024-060"],
    )
    assert "1 of 6 cases change verdict" in table.stdout


def test_predicates_listed() -> None:
    result = runner.invoke(app, ["rules", "predicates", "--format", "json"])
    assert [r["predicate"] for r in json.loads(result.stdout)][:2] == ["fact_is", "fact_is_not"]
