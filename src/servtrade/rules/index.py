"""Measures indexed by list, mode and sector code, so a case looks at a handful, not all.

Each measure is filed under every code it names (``whole`` or ``part``) and, for "the requested
service is broader than the measure", under every ancestor of those codes. A lookup walks the
case's own path (the service and its ancestors) plus its crosswalked codes.

When the index is built it also works out, for every code of the shipped classifications
(:func:`servtrade.rules.sectors.service_keys`) and every (list, mode), the measures a case on that
code must weigh, as :class:`Candidate` entries carrying what weighing reads (the match, whom the
measure binds, its conditions compiled to plain functions). Evaluating a case is then one dict
lookup per list; only a code deeper than the classifications list (a CPC subclass, a GB/T class)
is looked up on demand, and :meth:`MeasureIndex.forget` drops those answers.

:func:`scan` is the naive linear reference the index must agree with (tests check it; the
benchmark times both).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from servtrade.rules.model import Effect, Measure, ProviderType, ServiceRef, Tri
from servtrade.rules.predicates import Test, compile_conditions
from servtrade.rules.sectors import resolve_service, service_keys

# Match kinds, strongest first: "whole" and "all" make a measure apply; the others make it a
# "may apply" (the measure covers part of the service, or only an approximate mapping links them).
WHOLE, ALL, PART, BROADER, CROSSWALK = "whole", "all", "part", "broader", "crosswalk"
STRENGTH = {WHOLE: 0, ALL: 0, PART: 1, BROADER: 2, CROSSWALK: 3}
Match = tuple[Measure, str, str]  # measure, match kind, the code that linked them
EVERY_PROVIDER = frozenset(ProviderType)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A measure a case must weigh, with what weighing reads, worked out once."""

    measure: Measure
    match: str  # match kind (see STRENGTH)
    code: str  # the code that linked measure and service
    sector: Tri  # True when the match makes the measure apply, None when it only may
    binds: frozenset[ProviderType]  # provider types it binds (binding the buyer binds all)
    test: Test | None  # the measure's conditions together, None when it has none
    prohibits: bool  # its effect when it applies
    dated: bool  # it has dates of its own (most take their list's)


def candidate(match: Match, test: Test | None) -> Candidate:
    measure, kind, code = match
    binds = measure.binds
    return Candidate(
        measure,
        kind,
        code,
        True if kind in (WHOLE, ALL) else None,
        EVERY_PROVIDER if "buyer" in binds else frozenset(ProviderType(b) for b in binds),
        test,
        measure.effect is Effect.prohibited,
        measure.in_force_from is not None or measure.in_force_to is not None,
    )


@dataclass
class Bucket:
    whole: dict[str, list[Measure]] = field(default_factory=lambda: defaultdict(list))
    part: dict[str, list[Measure]] = field(default_factory=lambda: defaultdict(list))
    # ancestor code -> (measure, the measure's own code below that ancestor)
    below: dict[str, list[tuple[Measure, str]]] = field(default_factory=lambda: defaultdict(list))
    horizontal: list[Measure] = field(default_factory=list)

    def keys(self) -> frozenset[str]:
        return frozenset(self.whole) | frozenset(self.part) | frozenset(self.below)


class MeasureIndex:
    """Buckets per (list, mode) and the candidates of every listed code, built once per rulebook."""

    def __init__(self, measures: Iterable[Measure]) -> None:
        self._buckets: dict[tuple[str, int], Bucket] = {}
        ordered = sorted(measures, key=lambda m: m.id)
        for measure in ordered:
            for mode in measure.modes:
                self._file(self._buckets.setdefault((measure.list_id, mode), Bucket()), measure)
        self._tests = {m.id: compile_conditions(m.conditions) for m in ordered}
        self._horizontal = {
            where: tuple(self._candidate((m, ALL, "")) for m in bucket.horizontal)
            for where, bucket in self._buckets.items()
        }
        self._listed = frozenset(service_keys())
        self._table = self._precompute(self._listed)
        self._on_demand: dict[tuple[str, int, str], tuple[Candidate, ...]] = {}

    @staticmethod
    def _file(bucket: Bucket, measure: Measure) -> None:
        if measure.sector.all:
            bucket.horizontal.append(measure)
            return
        for kind, codes in (
            (bucket.whole, measure.sector.whole),
            (bucket.part, measure.sector.part),
        ):
            for key in codes:
                kind[key].append(measure)
        for key in measure.sector.codes():
            for ancestor in resolve_service(key).path[1:]:
                if all(m is not measure for m, _ in bucket.below[ancestor]):
                    bucket.below[ancestor].append((measure, key))

    def _candidate(self, match: Match) -> Candidate:
        return candidate(match, self._tests[match[0].id])

    def _precompute(self, keys: Iterable[str]) -> dict[tuple[str, int, str], tuple[Candidate, ...]]:
        """The candidates of every (list, mode, code) where a sector code links a measure."""
        table = {}
        linked = {where: bucket.keys() for where, bucket in self._buckets.items()}
        for key in keys:
            service = resolve_service(key)
            links = {*service.path, *service.within, *service.parts, *service.approx}
            for (list_id, mode), codes in linked.items():
                if not codes.isdisjoint(links):
                    table[(list_id, mode, key)] = self._find(list_id, mode, service)
        return table

    def candidates(self, list_id: str, mode: int, service: ServiceRef) -> tuple[Candidate, ...]:
        """What a case on ``service`` in ``mode`` must weigh from ``list_id``, by measure id."""
        key = (list_id, mode, service.key)
        found = self._table.get(key)
        if found is not None:
            return found
        if service.key in self._listed:  # no sector code links it: horizontal measures only
            return self._horizontal.get((list_id, mode), ())
        found = self._on_demand.get(key)
        if found is None:
            found = self._on_demand[key] = self._find(list_id, mode, service)
        return found

    def forget(self) -> None:
        """Drop the answers worked out on demand (codes deeper than the classifications list)."""
        self._on_demand.clear()

    def _find(self, list_id: str, mode: int, service: ServiceRef) -> tuple[Candidate, ...]:
        bucket = self._buckets.get((list_id, mode))
        if bucket is None:
            return ()
        found: dict[str, Match] = {m.id: (m, ALL, "") for m in bucket.horizontal}
        for key in service.path + service.within:
            _add(found, bucket.whole.get(key), WHOLE, key)
            _add(found, bucket.part.get(key), PART, key)
        for key in (service.key, *service.parts):
            for measure, code in bucket.below.get(key, ()):
                _add(found, (measure,), BROADER, code)
        for key in service.parts:
            _add(found, bucket.whole.get(key), BROADER, key)
            _add(found, bucket.part.get(key), BROADER, key)
        for key in service.approx:
            _add(found, bucket.whole.get(key), CROSSWALK, key)
            _add(found, bucket.part.get(key), CROSSWALK, key)
        return tuple(self._candidate(found[k]) for k in sorted(found))


def _add(found: dict[str, Match], measures: Sequence[Measure] | None, kind: str, key: str) -> None:
    if not measures:
        return
    for measure in measures:
        best = found.get(measure.id)
        if best is None or STRENGTH[kind] < STRENGTH[best[1]]:
            found[measure.id] = (measure, kind, key)


def scan(measures: Iterable[Measure], list_id: str, mode: int, service: ServiceRef) -> list[Match]:
    """The naive reference: look at every measure in turn (same answer as the index, slower)."""
    found: dict[str, Match] = {}
    for measure in measures:
        if measure.list_id != list_id or mode not in measure.modes:
            continue
        match = match_one(measure, service)
        if match is not None:
            found[measure.id] = match
    return [found[k] for k in sorted(found)]


def scan_candidates(
    measures: Iterable[Measure], list_id: str, mode: int, service: ServiceRef
) -> tuple[Candidate, ...]:
    """:func:`scan`, each match made a candidate afresh (conditions compiled on the spot)."""
    return tuple(
        candidate(m, compile_conditions(m[0].conditions))
        for m in scan(measures, list_id, mode, service)
    )


def match_one(measure: Measure, service: ServiceRef) -> Match | None:
    """How (if at all) one measure's sector meets the service: the strongest link and, among
    equally strong ones, the code the index meets first (so both cite the same code)."""
    sector = measure.sector
    if sector.all:
        return (measure, ALL, "")
    contains = service.path + service.within
    for key in contains:
        if key in sector.whole:
            return (measure, WHOLE, key)
    for key in contains:
        if key in sector.part:
            return (measure, PART, key)
    code = _broader(sector.codes(), service)
    if code is not None:
        return (measure, BROADER, code)
    for key in service.approx:
        if key in sector.whole or key in sector.part:
            return (measure, CROSSWALK, key)
    return None


def _broader(codes: tuple[str, ...], service: ServiceRef) -> str | None:
    """The measure's code that lies below the service or one of its parts (or is a part)."""
    above = [(code, resolve_service(code).path[1:]) for code in codes]
    for key in (service.key, *service.parts):
        for code, ancestors in above:
            if key in ancestors:
                return code
    for key in service.parts:
        if key in codes:
            return key
    return None
