"""What-if: add or remove measures and see which scenario cases change outcome."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servtrade.errors import ServtradeError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.loader import Parsed, read_list_file
from servtrade.rules.model import Measure
from servtrade.rules.scenarios import Scenario


@dataclass(frozen=True)
class Change:
    scenario: Scenario
    before: str
    after: str
    before_measures: tuple[str, ...]
    after_measures: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.scenario.name,
            "file": self.scenario.file,
            "line": self.scenario.line,
            "before": self.before,
            "after": self.after,
            "before_measures": list(self.before_measures),
            "after_measures": list(self.after_measures),
        }


def measures_from_file(path: Path, book: Rulebook) -> list[Measure]:
    """Measures of a YAML/CSV list file, checked against the lists and regimes of ``book``."""
    parsed = Parsed(regimes=dict(book.regimes), lists=dict(book.lists), dpa=dict(book.dpa))
    _, measures = read_list_file(path, parsed)
    return measures


def _outcome(scenario: Scenario, book: Rulebook) -> tuple[str, tuple[str, ...]]:
    try:
        case = make_case(**dict(scenario.case), on=scenario.on, book=book)
        verdict = evaluate(case, book=book)
    except ServtradeError as exc:
        return f"error {exc.code}", ()
    return verdict.outcome.value, tuple(sorted(verdict.measure_ids))


def simulate(
    book: Rulebook,
    scenarios: Sequence[Scenario],
    *,
    add: Iterable[Measure] = (),
    remove: Iterable[str] = (),
) -> dict[str, Any]:
    """Run every scenario before and after the change; report those whose verdict changes."""
    added, removed = list(add), [book.measure(m).id for m in remove]
    changed_book = book.with_changes(add=added, remove=removed)
    changes = []
    for scenario in scenarios:
        before, before_ids = _outcome(scenario, book)
        after, after_ids = _outcome(scenario, changed_book)
        if (before, before_ids) != (after, after_ids):
            changes.append(Change(scenario, before, after, before_ids, after_ids))
    return {
        "added": [m.id for m in added],
        "removed": removed,
        "cases": len(scenarios),
        "changed": [c.to_dict() for c in changes],
        "summary": f"{len(changes)} of {len(scenarios)} cases change verdict",
    }
