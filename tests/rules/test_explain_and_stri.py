"""Explanations (trace tree, text, citations), scenario runner, and the STRI context reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import DataFileError
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.explain import explain_text, measure_row, verdict_to_dict
from servtrade.rules.loader import default_rulebook
from servtrade.rules.scenarios import load_scenarios, run_files
from servtrade.rules.sectors import resolve_service
from servtrade.rules.stri import StriContext

CASE = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "service": "gbt4754:F5182",
    "mode": 4,
    "on": "2024-05-01",
}


def test_trace_tree_reads_case_list_measure_predicates_outcome() -> None:
    data = verdict_to_dict(evaluate(make_case(**CASE)))
    tree = data["trace"]
    assert [n["node"] for n in tree["children"]] == ["list", "list", "outcome"]
    measure = tree["children"][0]["children"][0]
    assert (
        measure["measure_id"],
        measure["outcome"],
        [p["predicate"] for p in measure["children"]],
    ) == ("CN-NAT-2024-005", "prohibited", ["sector", "binds"])
    assert data["citations"] == [
        {
            "measure_id": "CN-NAT-2024-005",
            "list_id": "CN-NAT-2024",
            "item": "5",
            "document": "跨境服务贸易特别管理措施（负面清单）（2024年版）",
            "article": "5",
            "url": "https://www.bjnews.com.cn/detail/1712727264129214.html",
            "verification": "verified_secondary",
        }
    ]


def test_text_explanation() -> None:
    case = make_case(**{**CASE, "mode": 3})
    text = explain_text(evaluate(case))
    assert text.splitlines()[:2] == [
        "Outcome: OUT_OF_SCOPE (on 2024-05-01)",
        "  because: Mode 3 is outside the cross-border services lists: it is governed by the Special "  # noqa: E501
        "Administrative Measures for Foreign Investment Access (Negative List) (外商投资准入特别管理措施（负面清单）).",  # noqa: E501
    ]
    assert (
        "  Referred: Special Administrative Measures for Foreign Investment Access (Negative List)"
        in text
    )
    full = explain_text(evaluate(make_case(**{**CASE, "service": "ebops:SJ"}, data=["personal"])))
    assert (
        "      sector: unknown: ebops:SJ is broader than the measure: it includes ebops:SJ34"
        in full
    )
    assert "(English summary is our paraphrase, not official wording.)" in full


def test_measure_row() -> None:
    assert measure_row(default_rulebook().measure("CN-PIPL-2021-38")) == {
        "id": "CN-PIPL-2021-38",
        "item": "art. 38",
        "kind": "data_localisation",
        "effect": "conditional",
        "modes": [1, 2, 4],
        "binds": ["buyer"],
        "codes": ["all"],
        "in_force": "list to 2024-03-21",
        "reference": "中华人民共和国个人信息保护法 (Personal Information Protection Law) art. 38 "
        "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml",
        "verification": "unverified",
    }


def test_scenario_runner_reports_failures(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        "cases:\n"
        "  - name: wrong expectation\n    date: 2024-05-01\n"
        "    case: {provider_economy: USA, provider_type: individual, buyer_economy: CHN, service: 'cpc:932', mode: 4}\n"  # noqa: E501
        "    expect: {outcome: allowed, measures: [], lists: [CN-FTZ-2024], reason_contains: nothing}\n"  # noqa: E501
        "  - name: error expected but none\n    date: 2024-05-01\n"
        "    case: {provider_economy: USA, provider_type: individual, buyer_economy: CHN, service: 'cpc:932', mode: 4}\n"  # noqa: E501
        "    expect: {error: unknown_code}\n"
        "  - name: other error\n    date: 2024-05-01\n"
        "    case: {provider_economy: USA, provider_type: individual, buyer_economy: CHN, service: 'cpc:0', mode: 4}\n"  # noqa: E501
        "    expect: {error: validation_error}\n",
        encoding="utf-8",
    )
    results = run_files([tmp_path])
    assert [r.passed for r in results] == [False, False, False]
    assert results[0].problems == (
        "outcome: expected allowed, got prohibited",
        "measures: expected [], got ['CN-NAT-2024-060']",
        "lists: expected ['CN-FTZ-2024'], got ['CN-NAT-2024']",
        results[0].problems[3],
    )
    assert results[1].problems == ("expected error unknown_code, got outcome prohibited",)
    assert results[2].got == "error unknown_code"


def test_scenario_file_errors_are_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "cases:\n  - name: x\n    date: 2024-05-01\n    case: {service: 'cpc:932'}\n"
        "    expect: {outcome: maybe, measures: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as err:
        load_scenarios(path)
    assert (err.value.errors[0].line, err.value.errors[0].field, err.value.errors[0].value) == (
        5,
        "expect.outcome",
        "maybe",
    )


@pytest.mark.shared
def test_stri_context_for_legal_services(shared_dir: Path) -> None:
    context = StriContext(shared_dir)
    case = make_case(**{**CASE, "service": "w120:1.A.a", "on": "2030-01-01"})
    notes = context(case, resolve_service("w120:1.A.a"), case.on)  # type: ignore[arg-type]
    assert [(n.label, n.year, round(n.value, 3)) for n in notes] == [
        ("STRI Legal services (PSLEG), CHN", 2024, 0.469),
        ("Digital STRI, CHN", 2024, 0.347),
    ]
    old = context(case, resolve_service("gbt4754:I65"), __import__("datetime").date(2010, 1, 1))
    assert old == []


def test_stri_context_missing_files_is_a_clear_error(tmp_path: Path) -> None:
    context = StriContext(tmp_path)
    with pytest.raises(DataFileError) as err:
        context(
            make_case(**CASE),
            resolve_service("w120:1.A.a"),
            __import__("datetime").date(2024, 1, 1),
        )
    assert (
        err.value.errors[0].hint
        == "point --shared-dir (SERVTRADE_SHARED_DIR) at the shared datasets"
    )
