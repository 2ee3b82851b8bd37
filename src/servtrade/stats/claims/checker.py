"""Checking documents: extract their claims, run every check that applies, and combine the
verdicts. The one entry point is :func:`check_documents`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

from servtrade.stats.claims import against, changes, internal
from servtrade.stats.claims.across import check_conversion, cross_document
from servtrade.stats.claims.extract import extract
from servtrade.stats.claims.facts import Facts
from servtrade.stats.claims.figures import Fig, unchecked
from servtrade.stats.claims.judge import Fmt
from servtrade.stats.claims.model import Check, Claim, Derived, Document
from servtrade.stats.claims.report import ClaimResult, DocumentResult, Report
from servtrade.stats.claims.sources import Sources
from servtrade.stats.claims.subjects import Flow, item_label

INTERNAL: tuple[Callable[[Claim, Facts], Check | None], ...] = (
    internal.check_average,
    internal.check_growth,
    internal.check_total,
    internal.check_balance,
    changes.check_balance_change,
    changes.check_level_change,
    changes.check_growth_from_parts,
    changes.check_share,
)


def needs(claim: Claim) -> str:
    """Which data would make ``claim`` checkable."""
    what = claim.topic.label if claim.topic else "the subject"
    when = claim.period.label if claim.period else "its period (give the document date)"
    where = claim.economy or "the economy"
    texts = {
        "level": f"the series {what} of {where} for {when} in the observatory",
        "growth": f"levels of {what} for {when} and a year earlier (stated or loaded)",
        "average_growth": f"levels of {what} at both ends of {when} (stated or loaded)",
        "share": f"levels of the part and the whole for {when}, or a loaded share series",
        "change": f"levels and growth rates of two of total, exports and imports for {when}",
        "points": "the two shares or rates whose difference this is",
        "count": f"a register of the {claim.noun or 'items'} counted (not in the observatory)",
        "rate": "what the percentage measures (no growth or share wording was found)",
    }
    return texts[claim.kind]


def _checks(claim: Claim, facts: Facts, sources: Sources, prefer: str | None) -> list[Check]:
    found = [c for check in INTERNAL if (c := check(claim, facts)) is not None]
    conversion = check_conversion(claim, sources)
    if conversion is not None:
        found.append(conversion)
    for check in against.AGAINST_DATA:
        result = check(claim, sources, prefer)
        if result is not None:
            found.append(result)
    return found


def _derived(doc: Document, facts: Facts) -> list[Derived]:
    """Figures implied by the stated ones: the missing one of total, exports, imports, and
    the balance when no balance is stated."""
    seen: set[tuple[object, ...]] = set()
    out: list[Derived] = []
    for claim in facts.claims:
        parts = internal.levels(claim, facts) if claim.kind == "level" else {}
        group = (
            claim.economy,
            claim.topic.item if claim.topic else None,
            claim.period.key if claim.period else None,
            claim.currency,
        )
        if len(parts) != 2 or group in seen or claim.topic is None:
            continue
        seen.add(group)
        out.extend(_implied(doc, facts, claim, parts))
    return out


def _implied(doc: Document, facts: Facts, claim: Claim, parts: dict[Flow, Claim]) -> list[Derived]:
    show = Fmt.like(next(iter(parts.values())).quantity)
    figs = {f: Fig.of(c) for f, c in parts.items()}
    missing = next(f for f in internal.PARTS if f not in parts)
    item = item_label(claim.topic.item) if claim.topic else ""
    where = f"{item}, {claim.period.label if claim.period else ''}"
    if missing == "total":
        value, text = figs["exports"] + figs["imports"], "exports + imports"
    else:
        other: Flow = "imports" if missing == "exports" else "exports"
        value, text = figs["total"] - figs[other], f"total − {other}"
    out = [
        Derived(
            f"implied {missing} ({where})",
            doc.name,
            value.value,
            value.span,
            show.unit,
            f"{text} = {show(value.value)}",
            tuple(c.id for c in parts.values()),
        )
    ]
    if facts.find("level", claim, flow="balance") is None:
        balance = internal.balance_of(figs, show)
        if balance is not None:
            out.append(
                Derived(
                    f"implied balance ({where})",
                    doc.name,
                    balance[0].value,
                    balance[0].span,
                    show.unit,
                    f"{balance[1]} = {show(balance[0].value)}",
                    tuple(c.id for c in parts.values()),
                )
            )
    return out


def check_documents(documents: Sequence[Document], sources: Sources | None = None) -> Report:
    """Extract and check the claims of ``documents`` (checked together for consistency)."""
    sources = sources or Sources()
    extracted = [(doc, extract(doc)) for doc in documents]
    across = cross_document(list(chain.from_iterable(claims for _, claims in extracted)))
    results = []
    for doc, claims in extracted:
        facts = Facts(claims)
        prefer = next((c.currency for c in claims if c.currency), None)
        rows = []
        for claim in claims:
            checks = _checks(claim, facts, sources, prefer) + across.get(claim.id, [])
            if not any(c.verdict != "not_checkable" for c in checks):
                checks.append(unchecked("needs_data", "no check could run", needs(claim)))
            rows.append(ClaimResult(claim, checks))
        results.append(DocumentResult(doc, rows, _derived(doc, facts)))
    return Report(results, sources_used=_sources_used(sources))


def _sources_used(sources: Sources) -> list[str]:
    return [
        name
        for name, given in (
            ("observatory series", sources.series),
            ("exchange rates", sources.rates),
        )
        if given is not None
    ]
