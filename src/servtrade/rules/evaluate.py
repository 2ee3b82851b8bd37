"""``evaluate(case, on=date) -> Verdict``: pure, deterministic, cheap.

Order of reasoning (each step is recorded in the verdict):
1. the buyer's economy selects a regime (none encoded: ``not_covered``);
2. a mode the lists leave to another instrument (mode 3) is ``out_of_scope``, naming it;
3. a provider from the economy itself is not cross-border trade: ``out_of_scope``;
4. place and date select one list per layer (see :mod:`servtrade.rules.selection`);
5. the measure index gives the measures of those lists that may concern the service and mode;
   each is weighed: in force, whom it binds, how its sector meets the service, its predicates;
6. the outcome: any measure that prohibits -> ``prohibited``; any condition or "may apply" ->
   ``conditional``; nothing applies -> ``allowed`` only if every list consulted is fully encoded,
   else ``not_covered`` with the coverage statement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.index import ALL, BROADER, CROSSWALK, PART, WHOLE, Match, match_one, scan
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import (
    Case,
    ContextNote,
    ListChoice,
    ListEdition,
    Measure,
    MeasureResult,
    Outcome,
    PredicateResult,
    ProviderType,
    ServiceRef,
    Tri,
    Verdict,
)
from servtrade.rules.predicates import check_condition
from servtrade.rules.sectors import resolve_service
from servtrade.rules.selection import select_lists

ContextLookup = Callable[[Case, ServiceRef, date], Sequence[ContextNote]]
Context = ContextLookup | Mapping[str, Sequence[ContextNote]]


def evaluate(
    case: Case,
    on: date | None = None,
    *,
    book: Rulebook | None = None,
    context: Context | None = None,
    linear: bool = False,
) -> Verdict:
    """The verdict on ``case`` at date ``on`` (default: the case's own date).

    ``context`` adds restrictiveness notes (e.g. :class:`servtrade.rules.stri.StriContext`);
    ``linear`` uses the naive scan instead of the index (for the benchmark and tests).
    """
    when = on or case.on
    if when is None:
        raise ValidationError(
            "the case has no date",
            errors=[
                ErrorDetail("is missing", field="on", hint="give the date to judge, YYYY-MM-DD")
            ],
        )
    rules = book or default_rulebook()
    service = resolve_service(case.service)
    verdict = _judge(rules, case, service, when, linear)
    if context is not None:
        notes = _context(context, case, service, when)
        if notes:
            verdict = Verdict(
                verdict.outcome,
                verdict.case,
                verdict.on,
                verdict.service,
                verdict.reasons,
                verdict.lists,
                verdict.measures,
                verdict.notes,
                verdict.referral,
                tuple(notes),
            )
    return verdict


def _judge(book: Rulebook, case: Case, service: ServiceRef, when: date, linear: bool) -> Verdict:
    regime = book.regimes.get(case.buyer_economy)
    if regime is None:
        known = ", ".join(book.regimes) or "none"
        why = f"No rules are encoded for buyer economy {case.buyer_economy} (encoded: {known})."
        return Verdict(Outcome.not_covered, case, when, service, (why,))
    referral = regime.out_of_scope_modes.get(case.mode)
    if referral is not None:
        why = (
            f"Mode {case.mode} is outside the cross-border services lists: it is governed by the "
            f"{referral.instrument_en} ({referral.instrument_zh})."
        )
        return Verdict(
            Outcome.out_of_scope, case, when, service, (why, referral.reason), referral=referral
        )
    if case.provider_economy in regime.home_economies:
        return Verdict(Outcome.out_of_scope, case, when, service, (regime.not_cross_border,))
    choices = select_lists(book, regime, case.zone, when, case.data is not None)
    results: list[MeasureResult] = []
    reasons: list[str] = []
    for choice in choices:
        if choice.list_id is None:
            continue
        if linear:
            weighed = _weigh_all(book, choice.list_id, case, service, when)
        else:
            weighed = _weighed(book, choice.list_id, case, service)
        for measure, result, reason in weighed:
            if measure.in_force(when):
                results.append(result)
                reasons.append(reason)
            else:  # measure-level dates (rare): out of force on this date
                results.append(_not_in_force(measure, result.match, result.match_reason, when))
                reasons.append("")
    outcome, explained = _decide(results, reasons, choices)
    notes = _absent_notes(book, choices, case, service)
    return Verdict(outcome, case, when, service, explained, choices, tuple(results), notes)


Weighed = list[tuple[Measure, MeasureResult, str]]


def _weighed(book: Rulebook, list_id: str, case: Case, service: ServiceRef) -> Weighed:
    """Each candidate measure weighed as if in force, memoised by every input weighing reads."""
    # Enum hashing is slow in Python: the provider type enters the key as a bool.
    individual = case.provider_type is ProviderType.individual
    key = (list_id, case.mode, service.key, individual, case.data, case.facts)
    found = book.weighed.get(key)
    if found is None:
        if len(book.weighed) > 200_000:
            book.weighed.clear()
        matches = book.index.lookup(list_id, case.mode, service)
        found = [_with_reason(m[0], _weigh(m, case, service, None)) for m in matches]
        book.weighed[key] = found
    return found


def _weigh_all(
    book: Rulebook, list_id: str, case: Case, service: ServiceRef, when: date
) -> Weighed:
    """The naive path: scan every measure, weigh each match afresh (benchmark baseline)."""
    matches = scan(book.measures.values(), list_id, case.mode, service)
    return [_with_reason(m[0], _weigh(m, case, service, when)) for m in matches]


def _with_reason(measure: Measure, result: MeasureResult) -> tuple[Measure, MeasureResult, str]:
    if result.outcome is Outcome.prohibited:
        return measure, result, _prohibits(result)
    if result.outcome is Outcome.conditional:
        return measure, result, _conditions(result)
    return measure, result, ""


def _weigh(match: Match, case: Case, service: ServiceRef, when: date | None) -> MeasureResult:
    """One measure against the case (``when=None``: as if in force, for the memo)."""
    measure, kind, key = match
    sector = _sector_result(kind, key, service, measure.sector.activity)
    if when is not None and not measure.in_force(when):
        return _not_in_force(measure, kind, sector.reason, when)
    binds = _binds_result(measure.binds, case.provider_type.value)
    if measure.conditions:
        checks = (sector, binds, *(check_condition(c, case) for c in measure.conditions))
    else:
        checks = (sector, binds)
    applies = _all([c.value for c in checks])
    if applies is False:
        return MeasureResult(measure, kind, sector.reason, checks, False, None)
    outcome = _EFFECT[measure.effect.value] if applies else Outcome.conditional
    return MeasureResult(measure, kind, sector.reason, checks, applies, outcome)


def _not_in_force(measure: Measure, kind: str, sector_reason: str, when: date) -> MeasureResult:
    return MeasureResult(measure, kind, sector_reason, (_gone(when),), False, None)


@lru_cache(maxsize=4096)
def _gone(when: date) -> PredicateResult:
    return PredicateResult("in_force", False, f"not in force on {when.isoformat()}")


_EFFECT = {"prohibited": Outcome.prohibited, "conditional": Outcome.conditional}


@lru_cache(maxsize=65_536)
def _sector_result(kind: str, key: str, service: ServiceRef, activity: str) -> PredicateResult:
    if kind == ALL:
        return PredicateResult("sector", True, "the measure concerns every service")
    if kind == WHOLE:
        return PredicateResult(
            "sector", True, f"{service.key} lies within {key}, which the measure covers"
        )
    if kind == PART:
        why = f"{service.key} lies within {key}, which the measure covers only in part: {activity}"
    elif kind == BROADER:
        why = f"{service.key} is broader than the measure: it includes {key} ({activity})"
    else:
        assert kind == CROSSWALK
        why = (
            f"{service.key} maps only approximately ({service.crosswalk_note}) to {key}: {activity}"
        )
    return PredicateResult("sector", None, why + "; it applies only if the service is that")


@lru_cache(maxsize=1024)
def _binds_result(binds: frozenset[str], who: str) -> PredicateResult:
    if "buyer" in binds:
        return PredicateResult("binds", True, "binds the buyer (the data handler in the economy)")
    if who in binds:
        return PredicateResult("binds", True, f"binds {who} providers")
    return PredicateResult("binds", False, f"binds {', '.join(sorted(binds))}, not {who} providers")


def _all(values: list[Tri]) -> Tri:
    found: Tri = True
    for value in values:
        if value is False:
            return False
        if value is None:
            found = None
    return found


def _decide(
    results: list[MeasureResult], reasons: list[str], choices: tuple[ListChoice, ...]
) -> tuple[Outcome, tuple[str, ...]]:
    pairs = list(zip(results, reasons, strict=True))
    prohibiting = tuple(why for r, why in pairs if r.outcome is Outcome.prohibited)
    if prohibiting:
        return Outcome.prohibited, prohibiting
    conditional = tuple(why for r, why in pairs if r.outcome is Outcome.conditional)
    if conditional:
        return Outcome.conditional, conditional
    return _quiet(choices)


@lru_cache(maxsize=4096)
def _quiet(choices: tuple[ListChoice, ...]) -> tuple[Outcome, tuple[str, ...]]:
    """The outcome when no measure applies: it depends on the lists chosen only."""
    assessed = [c for c in choices if c.list_id is not None]
    gaps = [c for c in choices if c.list_id is None and c.assessed]
    if gaps:
        return Outcome.not_covered, tuple(c.reason for c in gaps) + tuple(
            f"{c.coverage}; none of them applies." for c in assessed
        )
    if assessed and all(c.fully_encoded for c in assessed):
        return Outcome.allowed, tuple(
            f"{c.coverage} (fully encoded); none of them applies." for c in assessed
        )
    return Outcome.not_covered, tuple(f"{c.coverage}; none of them applies." for c in assessed)


def _prohibits(result: MeasureResult) -> str:
    m = result.measure
    return (
        f"{m.list_id} item {m.item} ({m.id}) prohibits this: {m.summary_en} [{m.reference.cite()}]"
    )


def _conditions(result: MeasureResult) -> str:
    m = result.measure
    if result.applies:
        return f"{m.list_id} item {m.item} ({m.id}) applies: {m.requirement or m.summary_en}"
    unknown = "; ".join(p.reason for p in result.predicates if p.value is None)
    effect = "prohibits" if m.effect.value == "prohibited" else f"requires {m.requirement}"
    return f"{m.list_id} item {m.item} ({m.id}) may apply ({unknown}); if it does, it {effect}"


def _absent_notes(
    book: Rulebook, choices: tuple[ListChoice, ...], case: Case, service: ServiceRef
) -> tuple[str, ...]:
    """Items public reports say a chosen list lacks, when they would concern this case."""
    notes: tuple[str, ...] = ()
    for choice in choices:
        if choice.list_id is None:
            continue
        key = (choice.list_id, case.mode, service.key)
        found = book.absent.get(key)
        if found is None:
            found = book.absent[key] = _absent(book, book.lists[choice.list_id], case.mode, service)
        notes += found
    return notes


def _absent(
    book: Rulebook, edition: ListEdition, mode: int, service: ServiceRef
) -> tuple[str, ...]:
    notes = []
    for measure_id, source in edition.reported_absent:
        other = book.measures.get(measure_id)  # may be gone in a what-if rulebook
        if other is not None and mode in other.modes and match_one(other, service) is not None:
            notes.append(
                f"{other.list_id} item {other.item} ({other.id}: {other.summary_en}) "
                f"is reported not to be in {edition.id} [{source}]."
            )
    return tuple(notes)


def _context(
    context: Context, case: Case, service: ServiceRef, when: date
) -> Sequence[ContextNote]:
    if isinstance(context, Mapping):
        return tuple(context.get(case.buyer_economy, ()))
    return tuple(context(case, service, when))
