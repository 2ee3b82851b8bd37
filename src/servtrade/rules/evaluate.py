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
from functools import partial

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.index import (
    ALL,
    BROADER,
    CROSSWALK,
    PART,
    WHOLE,
    Candidate,
    match_one,
    scan_candidates,
)
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import Case, ListEdition, Measure, Outcome, ServiceRef
from servtrade.rules.predicates import all_of, check_condition
from servtrade.rules.sectors import resolve_service
from servtrade.rules.selection import selection
from servtrade.rules.verdict import (
    ContextNote,
    Explained,
    ListChoice,
    MeasureResult,
    PredicateResult,
    Verdict,
)

ContextLookup = Callable[[Case, ServiceRef, date], Sequence[ContextNote]]
Context = ContextLookup | Mapping[str, Sequence[ContextNote]]
Plan = tuple[tuple[Candidate, ...], ...]  # the candidates of each list chosen, in order


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
            verdict = verdict.with_context(tuple(notes))
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
    choices, quiet = selection(book, regime, case.zone, when, case.data is not None)
    return _weighed(book, case, service, when, choices=choices, quiet=quiet, linear=linear)


def _weighed(
    book: Rulebook,
    case: Case,
    service: ServiceRef,
    when: date,
    *,
    choices: tuple[ListChoice, ...],
    quiet: Outcome,
    linear: bool,
) -> Verdict:
    """Decide from the candidates of the lists chosen; explain later, when asked."""
    plan = tuple(
        _candidates(book, choice.list_id, case.mode, service, linear)
        for choice in choices
        if choice.list_id is not None
    )
    applied: list[str] = []
    prohibited = False
    for found in plan:
        if found and _decide(found, case, when, applied):
            prohibited = True
    outcome = Outcome.prohibited if prohibited else Outcome.conditional if applied else quiet
    explain = partial(
        _explain,
        book,
        case,
        service=service,
        when=when,
        choices=choices,
        plan=plan,
        outcome=outcome,
    )
    return Verdict(
        outcome, case, when, service, (), lists=choices, measure_ids=tuple(applied), explain=explain
    )


def _candidates(
    book: Rulebook, list_id: str, mode: int, service: ServiceRef, linear: bool
) -> tuple[Candidate, ...]:
    if linear:  # the naive baseline: every measure examined, nothing prepared
        return scan_candidates(book.measures.values(), list_id, mode, service)
    return book.index.candidates(list_id, mode, service)


def _decide(found: tuple[Candidate, ...], case: Case, when: date, applied: list[str]) -> bool:
    """Add the ids of the measures that apply or may apply; does one of them prohibit?

    The fast twin of :func:`_weigh` (a test holds them to the same answers): the same three-valued
    reading of sector, binds and conditions, without building a result or a reason.
    """
    prohibits = False
    who = case.provider_type
    for c in found:
        if who not in c.binds or (c.dated and not c.measure.in_force(when)):
            continue
        value = c.sector
        if c.test is not None:
            tested = c.test(case)
            if tested is False:
                continue
            if tested is None:
                value = None
        applied.append(c.measure.id)
        prohibits = prohibits or (value is True and c.prohibits)
    return prohibits


def _explain(
    book: Rulebook,
    case: Case,
    *,
    service: ServiceRef,
    when: date,
    choices: tuple[ListChoice, ...],
    plan: Plan,
    outcome: Outcome,
) -> Explained:
    """Every candidate weighed in full, the reasons for ``outcome`` and the notes."""
    results = tuple(_weigh(c, case, service, when) for found in plan for c in found)
    if outcome is Outcome.prohibited:
        reasons = tuple(_prohibits(r) for r in results if r.outcome is Outcome.prohibited)
    elif outcome is Outcome.conditional:
        reasons = tuple(_conditions(r) for r in results if r.outcome is Outcome.conditional)
    else:
        reasons = _quiet(choices)
    return results, reasons, _absent_notes(book, choices, case, service)


def _weigh(c: Candidate, case: Case, service: ServiceRef, when: date) -> MeasureResult:
    """One measure against the case, with a result and reason for every check."""
    measure = c.measure
    sector = _sector_result(c.match, c.code, service, measure.sector.activity)
    if not measure.in_force(when):
        return _not_in_force(measure, c.match, sector.reason, when)
    binds = _binds_result(measure.binds, case.provider_type.value)
    if measure.conditions:
        checks = (sector, binds, *(check_condition(k, case) for k in measure.conditions))
    else:
        checks = (sector, binds)
    applies = all_of(k.value for k in checks)
    if applies is False:
        return MeasureResult(measure, c.match, sector.reason, checks, False, None)
    outcome = _EFFECT[measure.effect.value] if applies else Outcome.conditional
    return MeasureResult(measure, c.match, sector.reason, checks, applies, outcome)


def _not_in_force(measure: Measure, kind: str, sector_reason: str, when: date) -> MeasureResult:
    return MeasureResult(measure, kind, sector_reason, (_gone(when),), False, None)


def _gone(when: date) -> PredicateResult:
    return PredicateResult("in_force", False, f"not in force on {when.isoformat()}")


_EFFECT = {"prohibited": Outcome.prohibited, "conditional": Outcome.conditional}


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


def _binds_result(binds: frozenset[str], who: str) -> PredicateResult:
    if "buyer" in binds:
        return PredicateResult("binds", True, "binds the buyer (the data handler in the economy)")
    if who in binds:
        return PredicateResult("binds", True, f"binds {who} providers")
    return PredicateResult("binds", False, f"binds {', '.join(sorted(binds))}, not {who} providers")


def _quiet(choices: tuple[ListChoice, ...]) -> tuple[str, ...]:
    """The reasons when no measure applies: they depend on the lists chosen only."""
    assessed = [c for c in choices if c.list_id is not None]
    gaps = [c for c in choices if c.list_id is None and c.assessed]
    if gaps:
        return tuple(c.reason for c in gaps) + tuple(
            f"{c.coverage}; none of them applies." for c in assessed
        )
    if assessed and all(c.fully_encoded for c in assessed):
        return tuple(f"{c.coverage} (fully encoded); none of them applies." for c in assessed)
    return tuple(f"{c.coverage}; none of them applies." for c in assessed)


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
        if choice.list_id is not None:
            notes += _absent(book, book.lists[choice.list_id], case.mode, service)
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
