"""Scenario files: cases with their expected verdicts, readable by a domain expert.

A file holds ``cases:``, a list of entries::

    - name: foreign auctioneer, mode 4, after entry into force
      date: 2024-05-01
      case: {provider_economy: USA, provider_type: individual, buyer_economy: CHN,
             service: gbt4754:F5182, mode: 4}
      expect: {outcome: prohibited, measures: [CN-NAT-2024-005]}

``expect`` may also give ``lists`` (list ids chosen), ``reason_contains`` (text that must appear
in the reasons) or ``error`` (an error code such as ``unknown_code`` that the case must raise).
The pytest plugin in ``tests/rules/conftest.py`` and ``servtrade rules test`` both use this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from servtrade.errors import ServtradeError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.fields import Record, data_error
from servtrade.rules.loader import read_yaml
from servtrade.rules.model import Outcome
from servtrade.rules.verdict import Verdict

CASE_FIELDS = (
    "provider_economy",
    "provider_type",
    "buyer_economy",
    "service",
    "mode",
    "zone",
    "data",
    "facts",
)
EXPECT_FIELDS = ("outcome", "measures", "lists", "reason_contains", "error")


@dataclass(frozen=True)
class Scenario:
    name: str
    on: date
    case: Mapping[str, Any]
    outcome: str | None
    measures: tuple[str, ...] | None
    file: str
    line: int | None
    lists: tuple[str, ...] | None = None
    reason_contains: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    passed: bool
    got: str
    problems: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "name": s.name,
            "file": s.file,
            "line": s.line,
            "passed": self.passed,
            "expected": s.error or s.outcome,
            "got": self.got,
            "problems": list(self.problems),
        }


def load_scenarios(path: Path) -> list[Scenario]:
    """Read and check one scenario file (errors name the file, line, case and field)."""
    data = read_yaml(path)
    entries = data.get("cases") if isinstance(data, Mapping) else data
    if not isinstance(entries, list):
        raise data_error(str(path), "must hold a list 'cases'", line=1, field="cases")
    return [_scenario(path, entry, n) for n, entry in enumerate(entries)]


def _scenario(path: Path, entry: Any, n: int) -> Scenario:
    if not isinstance(entry, Mapping):
        raise data_error(
            str(path), "must be a mapping", field=f"cases[{n}]", line=getattr(entry, "line", None)
        )
    rec = Record(
        entry, str(path), getattr(entry, "line", None), f"case {entry.get('name') or n + 1}"
    )
    rec.unknown_fields(("name", "date", "case", "expect", "note"))
    case, expect = rec.sub("case"), rec.sub("expect")
    case.unknown_fields(CASE_FIELDS)
    expect.unknown_fields(EXPECT_FIELDS)
    error = expect.optional("error")
    outcome = None if error else expect.choice("outcome", [o.value for o in Outcome])
    on = rec.day("date")
    assert on is not None
    measures = expect.strings("measures", required=False) if "measures" in expect.values else None
    if measures is None and not error:
        raise expect.error(
            "measures", None, "is missing", hint="list the measure ids expected ([] for none)"
        )
    return Scenario(
        name=rec.text("name"),
        on=on,
        case=dict(case.values),
        outcome=outcome,
        measures=measures,
        file=str(path),
        line=rec.line,
        lists=expect.strings("lists", required=False) if "lists" in expect.values else None,
        reason_contains=expect.optional("reason_contains"),
        error=error,
    )


def run_scenario(scenario: Scenario, book: Rulebook | None = None) -> ScenarioResult:
    """Evaluate one scenario and compare with what it expects."""
    try:
        case = make_case(**dict(scenario.case), on=scenario.on, book=book)
        verdict = evaluate(case, book=book)
    except ServtradeError as exc:
        if scenario.error == exc.code:
            return ScenarioResult(scenario, True, f"error {exc.code}")
        return ScenarioResult(scenario, False, f"error {exc.code}", (f"raised: {exc}",))
    problems = _compare(scenario, verdict)
    return ScenarioResult(scenario, not problems, verdict.outcome.value, tuple(problems))


def _compare(scenario: Scenario, verdict: Verdict) -> list[str]:
    if scenario.error:
        return [f"expected error {scenario.error}, got outcome {verdict.outcome.value}"]
    problems = []
    if verdict.outcome.value != scenario.outcome:
        problems.append(f"outcome: expected {scenario.outcome}, got {verdict.outcome.value}")
    if scenario.measures is not None and sorted(verdict.measure_ids) != sorted(scenario.measures):
        problems.append(
            f"measures: expected {sorted(scenario.measures)}, got {sorted(verdict.measure_ids)}"
        )
    chosen = sorted(c.list_id for c in verdict.lists if c.list_id)
    if scenario.lists is not None and chosen != sorted(scenario.lists):
        problems.append(f"lists: expected {sorted(scenario.lists)}, got {chosen}")
    text = " ".join(verdict.reasons)
    if scenario.reason_contains and scenario.reason_contains not in text:
        problems.append(f"reasons do not contain {scenario.reason_contains!r}: {text}")
    return problems


def run_files(paths: Iterable[Path], book: Rulebook | None = None) -> list[ScenarioResult]:
    """Every scenario of every file (a directory means its ``*.yaml`` files)."""
    results = []
    for path in paths:
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            results += [run_scenario(s, book) for s in load_scenarios(file)]
    return results
