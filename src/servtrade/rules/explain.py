"""Verdicts explained: a JSON trace tree and its text rendering, with citations.

The tree reads case -> list chosen (and why) -> measures considered -> predicates -> outcome.
Measures and lists also have plain dict forms here (used by the CLI, API and pages).
"""

from __future__ import annotations

from typing import Any

from servtrade.rules.book import Rulebook
from servtrade.rules.model import ListEdition, Measure
from servtrade.rules.verdict import MeasureResult, PredicateResult, Verdict

PARAPHRASE = "English summary is our paraphrase, not official wording"


def measure_to_dict(measure: Measure) -> dict[str, Any]:
    """Everything encoded about a measure."""
    sector = measure.sector
    return {
        "id": measure.id,
        "list_id": measure.list_id,
        "item": measure.item,
        "sector": {
            "all": sector.all,
            "whole": list(sector.whole),
            "part": list(sector.part),
            "activity": sector.activity,
            "section_zh": sector.section_zh,
            "mapping": sector.mapping,
        },
        "modes": sorted(measure.modes),
        "modes_basis": measure.modes_basis,
        "kind": measure.kind.value,
        "data_kind": measure.data_kind.value if measure.data_kind else None,
        "dpa_intervention_type": measure.dpa_intervention_type,
        "binds": sorted(measure.binds),
        "effect": measure.effect.value,
        "requirement": measure.requirement,
        "conditions": [c.to_dict() for c in measure.conditions],
        "in_force_from": _day(measure.in_force_from),
        "in_force_to": _day(measure.in_force_to),
        "reference": citation(measure),
        "summary_en": measure.summary_en,
        "summary_en_is_paraphrase": measure.summary_en_is_paraphrase,
        "text_zh": measure.text_zh,
        "text_zh_source": measure.text_zh_source,
        "verification": measure.verification.value,
        "synthetic": measure.synthetic,
        "source": measure.source,
    }


def measure_row(measure: Measure) -> dict[str, Any]:
    """One flat row per measure (for tables and CSV)."""
    ref = measure.reference
    start = measure.in_force_from.isoformat() if measure.in_force_from else "list"
    end = measure.in_force_to.isoformat() if measure.in_force_to else "list"
    return {
        "id": measure.id,
        "item": measure.item,
        "kind": measure.kind.value,
        "effect": measure.effect.value,
        "modes": sorted(measure.modes),
        "binds": sorted(measure.binds),
        "codes": list(measure.sector.codes()) or ["all"],
        "in_force": f"{start} to {end}",
        "reference": f"{ref.document} {ref.item} {ref.url or ''}".strip(),
        "verification": measure.verification.value,
    }


def list_to_dict(edition: ListEdition, book: Rulebook) -> dict[str, Any]:
    return {
        "id": edition.id,
        "layer": edition.layer,
        "economy": edition.economy,
        "territory": edition.territory,
        "title_en": edition.title_en,
        "title_zh": edition.title_zh,
        "issuer": edition.issuer,
        "instrument": edition.instrument,
        "published": _day(edition.published),
        "in_force_from": _day(edition.in_force_from),
        "in_force_to": _day(edition.in_force_to),
        "modes_covered": sorted(edition.modes_covered),
        "measures_in_text": edition.measures_in_text,
        "measures_encoded": len(book.measures_of(edition.id)),
        "coverage": book.coverage(edition.id),
        "verification": edition.verification.value,
        "checked_on": _day(edition.checked_on),
        "sources": list(edition.sources),
        "notes": edition.notes,
        "reported_absent": [{"measure": m, "source": s} for m, s in edition.reported_absent],
    }


def citation(measure: Measure) -> dict[str, Any]:
    return {
        "measure_id": measure.id,
        "list_id": measure.list_id,
        "item": measure.item,
        "document": measure.reference.document,
        "article": measure.reference.item,
        "url": measure.reference.url,
        "verification": measure.verification.value,
    }


def citations(verdict: Verdict) -> list[dict[str, Any]]:
    """The references of every measure that decides the outcome."""
    return [citation(r.measure) for r in verdict.applied]


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _predicate(result: PredicateResult) -> dict[str, Any]:
    return {
        "node": "predicate",
        "predicate": result.predicate,
        "value": result.value,
        "reason": result.reason,
        "children": [_predicate(c) for c in result.children],
    }


def _measure(result: MeasureResult) -> dict[str, Any]:
    m = result.measure
    return {
        "node": "measure",
        "measure_id": m.id,
        "item": m.item,
        "kind": m.kind.value,
        "effect": m.effect.value,
        "requirement": m.requirement,
        "match": result.match,
        "applies": result.applies,
        "outcome": result.outcome.value if result.outcome else None,
        "summary_en": m.summary_en,
        "paraphrase": m.summary_en_is_paraphrase,
        "reference": citation(m),
        "synthetic": m.synthetic,
        "children": [_predicate(p) for p in result.predicates],
    }


def trace(verdict: Verdict) -> dict[str, Any]:
    """The trace tree: case -> lists -> measures -> predicates, then the outcome."""
    children: list[dict[str, Any]] = []
    if verdict.referral is not None:
        ref = verdict.referral
        children.append(
            {
                "node": "referral",
                "mode": ref.mode,
                "instrument_en": ref.instrument_en,
                "instrument_zh": ref.instrument_zh,
                "reason": ref.reason,
                "children": [],
            }
        )
    for choice in verdict.lists:
        measures = [_measure(r) for r in verdict.measures if r.measure.list_id == choice.list_id]
        children.append(
            {
                "node": "list",
                "layer": choice.layer,
                "list_id": choice.list_id,
                "reason": choice.reason,
                "coverage": choice.coverage,
                "fully_encoded": choice.fully_encoded,
                "children": measures,
            }
        )
    children.append(
        {
            "node": "outcome",
            "outcome": verdict.outcome.value,
            "reasons": list(verdict.reasons),
            "children": [],
        }
    )
    return {
        "node": "case",
        "case": verdict.case.to_dict(),
        "on": verdict.on.isoformat(),
        "service": verdict.service.to_dict() if verdict.service else None,
        "children": children,
    }


def verdict_to_dict(verdict: Verdict) -> dict[str, Any]:
    """The whole verdict as JSON-ready data."""
    return {
        "outcome": verdict.outcome.value,
        "on": verdict.on.isoformat(),
        "case": verdict.case.to_dict(),
        "reasons": list(verdict.reasons),
        "measure_ids": list(verdict.measure_ids),
        "lists": [
            {
                "layer": c.layer,
                "list_id": c.list_id,
                "reason": c.reason,
                "coverage": c.coverage,
                "fully_encoded": c.fully_encoded,
            }
            for c in verdict.lists
        ],
        "citations": citations(verdict),
        "notes": list(verdict.notes),
        "context": [
            {
                "label": n.label,
                "value": n.value,
                "year": n.year,
                "source": n.source,
                "detail": n.detail,
            }
            for n in verdict.context
        ],
        "trace": trace(verdict),
    }


def explain_text(verdict: Verdict) -> str:
    """The trace tree as indented text."""
    lines = [f"Outcome: {verdict.outcome.value.upper()} (on {verdict.on.isoformat()})"]
    lines += [f"  because: {r}" for r in verdict.reasons]
    c = verdict.case
    lines.append(
        f"Case: {c.provider_type.value} from {c.provider_economy} -> buyer in "
        f"{c.buyer_economy}{f' ({c.zone})' if c.zone else ''}, service {c.service}, mode {c.mode}"
    )
    if verdict.service is not None:
        lines.append(f"  service: {verdict.service.key} {verdict.service.label}")
    _tree_lines(trace(verdict)["children"], lines, 1)
    for note in verdict.notes:
        lines.append(f"Note: {note}")
    for ctx in verdict.context:
        shown = f"{ctx.value:.3f} ({ctx.year}; {ctx.source})"
        lines.append(f"Context: {ctx.label} = {shown} {ctx.detail}".rstrip())
    cites = citations(verdict)
    if cites:
        lines.append("Citations:")
        lines += [
            f"  [{x['measure_id']}] {x['document']}, {x['article']} {x['url'] or ''} "
            f"(verification: {x['verification']})"
            for x in cites
        ]
        lines.append(f"  ({PARAPHRASE}.)")
    return "\n".join(lines)


def _tree_lines(nodes: list[dict[str, Any]], lines: list[str], depth: int) -> None:
    pad = "  " * depth
    for node in nodes:
        kind = node["node"]
        if kind == "list":
            lines.append(
                f"{pad}List [{node['layer']}]: {node['list_id'] or 'none'}: {node['reason']}"
            )
            if node["coverage"]:
                lines.append(f"{pad}  coverage: {node['coverage']}")
        elif kind == "measure":
            shown = node["outcome"] or "does not apply"
            lines.append(
                f"{pad}Measure {node['measure_id']} (item {node['item']}, {node['kind']}): {shown}"
            )
        elif kind == "predicate":
            mark = {True: "yes", False: "no", None: "unknown"}[node["value"]]
            lines.append(f"{pad}{node['predicate']}: {mark}: {node['reason']}")
        elif kind == "referral":
            lines.append(f"{pad}Referred: {node['instrument_en']} ({node['instrument_zh']})")
        else:
            continue
        _tree_lines(node["children"], lines, depth + 1)
