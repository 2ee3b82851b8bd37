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

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.index import ALL, BROADER, CROSSWALK, PART, WHOLE, Match, match_one, scan
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import (
    Case,
    ContextNote,
    ListChoice,
    MeasureResult,
    Outcome,
    PredicateResult,
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
    for choice in choices:
        if choice.list_id is not None:
            results += _weigh_list(book, choice.list_id, case, service, when=when, linear=linear)
    outcome, reasons = _decide(results, choices)
    notes = _absent_notes(book, choices, case, service)
    return Verdict(outcome, case, when, service, reasons, choices, tuple(results), notes)


def _weigh_list(
    book: Rulebook, list_id: str, case: Case, service: ServiceRef, *, when: date, linear: bool
) -> list[MeasureResult]:
    if linear:
        matches = scan(book.measures.values(), list_id, case.mode, service)
    else:
        matches = book.index.lookup(list_id, case.mode, service)
    return [_weigh(match, case, service, when) for match in matches]


def _weigh(match: Match, case: Case, service: ServiceRef, when: date) -> MeasureResult:
    measure, kind, key = match
    sector = _sector_result(kind, key, service, measure.sector.activity)
    if not measure.in_force(when):
        gone = PredicateResult("in_force", False, f"not in force on {when.isoformat()}")
        return MeasureResult(measure, kind, sector.reason, (gone,), False, None)
    binds = _binds_result(measure.binds, case)
    checks = (sector, binds, *(check_condition(c, case) for c in measure.conditions))
    applies = _all(c.value for c in checks)
    if applies is False:
        return MeasureResult(measure, kind, sector.reason, checks, False, None)
    outcome = Outcome(measure.effect.value) if applies else Outcome.conditional
    return MeasureResult(measure, kind, sector.reason, checks, applies, outcome)


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


def _binds_result(binds: frozenset[str], case: Case) -> PredicateResult:
    if "buyer" in binds:
        return PredicateResult("binds", True, "binds the buyer (the data handler in the economy)")
    who = case.provider_type.value
    if who in binds:
        return PredicateResult("binds", True, f"binds {who} providers")
    return PredicateResult("binds", False, f"binds {', '.join(sorted(binds))}, not {who} providers")


def _all(values: object) -> Tri:
    found: Tri = True
    for value in values:  # type: ignore[attr-defined]
        if value is False:
            return False
        if value is None:
            found = None
    return found


def _decide(
    results: list[MeasureResult], choices: Sequence[ListChoice]
) -> tuple[Outcome, tuple[str, ...]]:
    prohibiting = [r for r in results if r.outcome is Outcome.prohibited]
    if prohibiting:
        return Outcome.prohibited, tuple(_prohibits(r) for r in prohibiting)
    conditional = [r for r in results if r.outcome is Outcome.conditional]
    if conditional:
        return Outcome.conditional, tuple(_conditions(r) for r in conditional)
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
    book: Rulebook, choices: Sequence[ListChoice], case: Case, service: ServiceRef
) -> tuple[str, ...]:
    """Items public reports say a chosen list lacks, when they would concern this case."""
    notes = []
    for choice in choices:
        edition = book.lists.get(choice.list_id or "")
        if edition is None:
            continue
        for measure_id, source in edition.reported_absent:
            other = book.measures.get(measure_id)  # may be gone in a what-if rulebook
            if (
                other is not None
                and case.mode in other.modes
                and match_one(other, service) is not None
            ):
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
