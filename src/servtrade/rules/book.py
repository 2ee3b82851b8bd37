"""The rulebook: every regime, list edition and measure loaded, with the measure index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.rules.index import MeasureIndex
from servtrade.rules.model import ListEdition, Measure, Regime

if TYPE_CHECKING:
    from servtrade.rules.selection import Timeline


class Rulebook:
    """Regimes by economy, lists by id, measures by id (sorted, so order never matters)."""

    def __init__(
        self,
        regimes: Mapping[str, Regime],
        lists: Mapping[str, ListEdition],
        measures: Iterable[Measure],
        dpa: Mapping[int, str] | None = None,
    ) -> None:
        self.dpa = dict(dpa or {})  # DPA intervention types known to the data
        self.regimes = dict(sorted(regimes.items()))
        self.lists = dict(sorted(lists.items()))
        self.measures = {m.id: m for m in sorted(measures, key=lambda m: m.id)}
        self._by_list: dict[str, tuple[Measure, ...]] = {
            list_id: tuple(m for m in self.measures.values() if m.list_id == list_id)
            for list_id in self.lists
        }
        self._index: MeasureIndex | None = None
        # List choices span by span per (economy, zone, data stated), made on first use (see
        # servtrade.rules.selection); they depend on the list editions only.
        self.timelines: dict[tuple[str, str | None, bool], Timeline] = {}

    def forget(self) -> None:
        """Drop every answer worked out for a particular case's inputs (the benchmark times
        first-time evaluations this way); the index and the timelines depend on the rules alone.
        """
        if self._index is not None:
            self._index.forget()

    @property
    def index(self) -> MeasureIndex:
        if self._index is None:
            self._index = MeasureIndex(self.measures.values())
        return self._index

    def edition(self, list_id: str) -> ListEdition:
        found = self.lists.get(list_id) or self.lists.get(list_id.strip().upper())
        if found is None:
            raise NotFoundError(
                f"no list {list_id!r}",
                errors=[
                    ErrorDetail(
                        "is not a known list",
                        field="list_id",
                        value=list_id,
                        hint="known lists: " + ", ".join(self.lists),
                    )
                ],
                hint="see `servtrade rules lists`",
            )
        return found

    def measure(self, measure_id: str) -> Measure:
        found = self.measures.get(measure_id) or self.measures.get(measure_id.strip().upper())
        if found is None:
            raise NotFoundError(
                f"no measure {measure_id!r}",
                errors=[
                    ErrorDetail(
                        "is not a known measure",
                        field="measure_id",
                        value=measure_id,
                        hint="see `servtrade rules show LIST_ID` for measure ids",
                    )
                ],
                hint="measure ids look like CN-NAT-2024-005",
            )
        return found

    def measures_of(self, list_id: str) -> tuple[Measure, ...]:
        return self._by_list.get(self.edition(list_id).id, ())

    def coverage(self, list_id: str) -> str:
        """``"CN-NAT-2024: 5 of 71 measures encoded"`` (or the list's own coverage note)."""
        edition = self.edition(list_id)
        count = len(self.measures_of(list_id))
        if edition.measures_in_text is None:
            note = f": {edition.coverage_note}" if edition.coverage_note else ""
            return f"{edition.id}: {count} measure{'s' if count != 1 else ''} encoded{note}"
        return f"{edition.id}: {count} of {edition.measures_in_text} measures encoded"

    def fully_encoded(self, list_id: str) -> bool:
        edition = self.edition(list_id)
        return edition.measures_in_text is not None and (
            len(self.measures_of(list_id)) >= edition.measures_in_text
        )

    def with_changes(self, add: Iterable[Measure] = (), remove: Iterable[str] = ()) -> Rulebook:
        """A new rulebook with measures added and removed (what-if); this one is unchanged."""
        measures = dict(self.measures)
        for measure_id in remove:
            measures.pop(self.measure(measure_id).id)
        problems = []
        for measure in add:
            if measure.id in measures:
                problems.append(
                    ErrorDetail(
                        "is already a measure",
                        field="id",
                        value=measure.id,
                        hint="remove it first or use a new id",
                    )
                )
            elif measure.list_id not in self.lists:
                problems.append(
                    ErrorDetail(
                        "names no known list",
                        field="list_id",
                        value=measure.list_id,
                        hint="known: " + ", ".join(self.lists),
                    )
                )
            measures[measure.id] = measure
        if problems:
            raise ValidationError(f"{len(problems)} added measure(s) are invalid", errors=problems)
        return Rulebook(self.regimes, self.lists, measures.values(), self.dpa)

    def with_lists(self, lists: Iterable[ListEdition]) -> Rulebook:
        """A new rulebook with list editions added or replaced (their measures are kept)."""
        merged = dict(self.lists)
        merged.update({e.id: e for e in lists})
        return Rulebook(self.regimes, merged, self.measures.values(), self.dpa)


def relabel(measure: Measure, **changes: object) -> Measure:
    """A copy of a measure with some fields changed (used by what-if and the benchmark)."""
    return replace(measure, **changes)  # type: ignore[arg-type]
