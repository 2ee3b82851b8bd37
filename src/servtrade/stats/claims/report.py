"""The checker's answer: each claim with its span, parsed values, checks, arithmetic and
verdict, as a dict (for JSON), table rows or Markdown."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from servtrade.stats.claims.model import (
    SEVERITY,
    VERDICTS,
    Check,
    Claim,
    Derived,
    Document,
    Verdict,
    overall,
)


def claim_dict(claim: Claim) -> dict[str, Any]:
    span = claim.interval
    return {
        "id": claim.id,
        "document": claim.document,
        "kind": claim.kind,
        "span": {"start": claim.start, "end": claim.end},
        "text": claim.text,
        "value": claim.value,
        "interval": [span.low, span.high],
        "quantity": claim.quantity.to_dict(),
        "converted": claim.converted.to_dict() if claim.converted else None,
        "subject": claim.topic.to_dict() if claim.topic else None,
        "whole": claim.whole.to_dict() if claim.whole else None,
        "period": claim.period.to_dict() if claim.period else None,
        "economy": claim.economy,
        "counted": claim.noun,
        "pair": claim.pair,
        "size_change": claim.size_change,
        "notes": list(claim.notes),
    }


@dataclass
class ClaimResult:
    claim: Claim
    checks: list[Check]

    @property
    def verdict(self) -> Verdict:
        return overall(self.checks)

    @property
    def decisive(self) -> Check:
        """The check that set the verdict (the worst one; the first of equals)."""
        return max(self.checks, key=lambda c: SEVERITY[c.verdict])

    def to_dict(self) -> dict[str, Any]:
        decisive = self.decisive
        return {
            **claim_dict(self.claim),
            "verdict": self.verdict,
            "computed": decisive.computed,
            "difference": decisive.difference,
            "explanation": decisive.explanation,
            "checks": [c.to_dict() for c in self.checks],
        }


@dataclass
class DocumentResult:
    document: Document
    claims: list[ClaimResult]
    derived: list[Derived] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "name": doc.name,
            "date": doc.date.isoformat() if doc.date else None,
            "date_source": doc.date_source,
            "length": len(doc.text),
            "claims": [c.to_dict() for c in self.claims],
            "derived": [d.to_dict() for d in self.derived],
        }


@dataclass
class Report:
    documents: list[DocumentResult]
    sources_used: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[ClaimResult]:
        return [c for d in self.documents for c in d.claims]

    def summary(self) -> dict[str, int]:
        counts = Counter(r.verdict for r in self.results)
        return {v: counts.get(v, 0) for v in VERDICTS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "sources": self.sources_used,
            "documents": [d.to_dict() for d in self.documents],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One row per claim, for a table or CSV."""
        return [_row(r) for r in self.results]

    def markdown(self) -> str:
        lines = ["# Claim check", "", _summary_line(self.summary()), ""]
        for doc in self.documents:
            lines += _markdown_document(doc)
        return "\n".join(lines).rstrip() + "\n"


def _row(result: ClaimResult) -> dict[str, Any]:
    claim, decisive = result.claim, result.decisive
    return {
        "id": claim.id,
        "text": claim.text,
        "kind": claim.kind,
        "subject": claim.topic.label if claim.topic else (claim.noun or ""),
        "period": claim.period.label if claim.period else "",
        "economy": claim.economy or "",
        "verdict": result.verdict,
        "check": decisive.name,
        "explanation": decisive.explanation,
    }


def _summary_line(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {v.replace('_', ' ')}" for v, n in summary.items())


def _markdown_document(doc: DocumentResult) -> list[str]:
    date = doc.document.date.isoformat() if doc.document.date else "no date"
    lines = [f"## {doc.document.name} ({date})", ""]
    if not doc.claims:
        return [*lines, "No numeric claims found.", ""]
    lines += ["| claim | kind | subject | period | verdict | why |", "|---|---|---|---|---|---|"]
    for r in doc.claims:
        row = _row(r)
        cells = [
            f"`{row['text']}`",
            row["kind"],
            row["subject"],
            row["period"],
            f"**{row['verdict']}**",
            row["explanation"],
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    lines.append("")
    for r in doc.claims:
        lines += _markdown_checks(r)
    for d in doc.derived:
        lines.append(f"- derived: {d.name}: {d.arithmetic}")
    return [*lines, ""]


def _markdown_checks(result: ClaimResult) -> list[str]:
    lines = [f"### {result.claim.id}: `{result.claim.text}` — {result.verdict}", ""]
    for check in result.checks:
        lines.append(
            f"- **{check.name}** ({check.verdict}): {check.description}; {check.explanation}"
        )
        lines += [f"    - {step}" for step in check.arithmetic]
        if check.data:
            lines.append(
                f"    - data: {check.data.get('dataset')} vintage {check.data.get('vintage')}"
            )
    return [*lines, ""]
