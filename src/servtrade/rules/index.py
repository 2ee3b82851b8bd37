"""Measures indexed by list, mode and sector code, so a case looks at a handful, not all.

Each measure is filed under every code it names (``whole`` or ``part``) and, for "the requested
service is broader than the measure", under every ancestor of those codes. A lookup walks the
case's own path (the service and its ancestors) plus its crosswalked codes. :func:`scan` is the
naive linear reference the index must agree with (tests check it; the benchmark times both).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from servtrade.rules.model import Measure, ServiceRef
from servtrade.rules.sectors import resolve_service

# Match kinds, strongest first: "whole" and "all" make a measure apply; the others make it a
# "may apply" (the measure covers part of the service, or only an approximate mapping links them).
WHOLE, ALL, PART, BROADER, CROSSWALK = "whole", "all", "part", "broader", "crosswalk"
STRENGTH = {WHOLE: 0, ALL: 0, PART: 1, BROADER: 2, CROSSWALK: 3}
Match = tuple[Measure, str, str]  # measure, match kind, the code that linked them


@dataclass
class Bucket:
    whole: dict[str, list[Measure]] = field(default_factory=lambda: defaultdict(list))
    part: dict[str, list[Measure]] = field(default_factory=lambda: defaultdict(list))
    # ancestor code -> (measure, the measure's own code below that ancestor)
    below: dict[str, list[tuple[Measure, str]]] = field(default_factory=lambda: defaultdict(list))
    horizontal: list[Measure] = field(default_factory=list)


class MeasureIndex:
    """Buckets per (list, mode); built once per rulebook. Lookups are memoised per service code."""

    def __init__(self, measures: Iterable[Measure]) -> None:
        self._buckets: dict[tuple[str, int], Bucket] = {}
        self._seen: dict[tuple[str, int, str], list[Match]] = {}
        for measure in sorted(measures, key=lambda m: m.id):
            for mode in measure.modes:
                self._file(self._buckets.setdefault((measure.list_id, mode), Bucket()), measure)

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

    def lookup(self, list_id: str, mode: int, service: ServiceRef) -> list[Match]:
        """Measures of ``list_id`` that may concern ``service`` in ``mode``, best match each."""
        key = (list_id, mode, service.key)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) > 100_000:
                self._seen.clear()
            found = self._seen[key] = self._lookup(list_id, mode, service)
        return found

    def _lookup(self, list_id: str, mode: int, service: ServiceRef) -> list[Match]:
        bucket = self._buckets.get((list_id, mode))
        if bucket is None:
            return []
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
        return [found[k] for k in sorted(found)]


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


def match_one(measure: Measure, service: ServiceRef) -> Match | None:
    """How (if at all) one measure's sector meets the service, best match first."""
    if measure.sector.all:
        return (measure, ALL, "")
    candidates: list[tuple[str, str]] = []
    full = set(service.path + service.within)
    for key in measure.sector.whole:
        if key in full:
            candidates.append((WHOLE, key))
    for key in measure.sector.part:
        if key in full:
            candidates.append((PART, key))
    for key in measure.sector.codes():
        ancestors = resolve_service(key).path[1:]
        if any(k in ancestors for k in (service.key, *service.parts)) or key in service.parts:
            candidates.append((BROADER, key))
        if key in service.approx:
            candidates.append((CROSSWALK, key))
    if not candidates:
        return None
    kind, key = min(candidates, key=lambda c: STRENGTH[c[0]])
    return (measure, kind, key)
