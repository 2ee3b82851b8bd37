"""Finding the numeric claims of a text: each number with what kind of statement it makes
(a level, a growth rate, an average rate, a share, a change, a count), bound to its period,
service, flow and economy.

Deterministic: the word tables of ``data/claims`` and the rules of
:mod:`servtrade.stats.claims.binding`; no statistical model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from servtrade.stats.claims.binding import (
    Context,
    bind_currency,
    bind_economy,
    bind_period,
    bind_share,
    bind_topic,
    split_sentences,
)
from servtrade.stats.claims.cues import CueMatch, cue_after, cue_before, is_range
from servtrade.stats.claims.dates import find_dateline
from servtrade.stats.claims.economies import find_economies
from servtrade.stats.claims.model import Claim, Document, Kind
from servtrade.stats.claims.numbers import Quantity, find_quantities
from servtrade.stats.claims.periods import Period, find_periods
from servtrade.stats.claims.subjects import count_noun, find_subjects

_CONVERSION_OPEN = re.compile(r"^\s*[(（]\s*(?:or\s+)?$")
_CONVERSION_CLOSE = re.compile(r"^\s*[)）]")
_OF_NEXT = re.compile(r"^\s*of\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Reading:
    """What one number says, before it is bound to its context."""

    kind: Kind
    sign: int
    start: int  # where the claim's phrase begins (its cue, or the number)
    size_change: bool = False


def context(doc: Document) -> Context:
    """All mentions of ``doc`` that numbers are bound to."""
    found = find_dateline(doc.text)
    # The dateline's date is when the text was written, not a period its figures refer to.
    periods = [
        p
        for p in find_periods(doc.text, doc.date)
        if found is None or not found[1] <= p.start < found[2]
    ]
    quantities = [
        q for q in find_quantities(doc.text) if not any(p.start <= q.start < p.end for p in periods)
    ]
    return Context(
        text=doc.text,
        today=doc.date,
        sentences=split_sentences(doc.text),
        periods=tuple(periods),
        subjects=tuple(find_subjects(doc.text)),
        economies=tuple(find_economies(doc.text)),
        quantities=tuple(quantities),
    )


def _percent_kind(cue: CueMatch | None, after: str) -> tuple[Kind, int]:
    if cue is not None:
        table: dict[str, tuple[Kind, int]] = {
            "average": ("average_growth", 1),
            "up": ("growth", 1),
            "down": ("growth", -1),
            "share": ("share", 1),
        }
        return table.get(cue.kind, ("rate", 1))
    later = cue_after(after)
    if later in ("up", "down"):
        return "growth", 1 if later == "up" else -1
    if later == "share" or _OF_NEXT.match(after):
        return "share", 1
    return "rate", 1


def _read(ctx: Context, q: Quantity, lo: int) -> _Reading | None:
    """Classify ``q`` from the cue before it (searched back to ``lo``) or the words after it."""
    cue = cue_before(ctx.text[lo : q.start])
    begin = q.start - cue.offset if cue else q.start
    after = ctx.text[q.end : q.end + 40]
    if q.unit == "percent":
        kind, sign = _percent_kind(cue, after)
        return _Reading(kind, sign, begin if kind != "rate" else q.start)
    if q.unit == "points":
        down = cue is not None and cue.kind in ("down", "narrow")
        return _Reading("points", -1 if down else 1, begin)
    if q.unit == "money" or q.scale_word:
        if cue is not None and cue.kind in ("up", "down", "narrow", "widen"):
            sign = -1 if cue.kind in ("down", "narrow") else 1
            return _Reading("change", sign, begin, size_change=cue.kind in ("narrow", "widen"))
        return _Reading("level", 1, q.start)
    if count_noun(after.lstrip()) is not None:
        return _Reading("count", 1, q.start)
    return None


def _conversions(ctx: Context) -> dict[int, Quantity]:
    """Money figures given in a second currency in brackets: index of the first -> the second."""
    found: dict[int, Quantity] = {}
    qs = ctx.quantities
    for i, (a, b) in enumerate(pairwise(qs)):
        if (
            a.unit == "money"
            and b.unit == "money"
            and a.currency != b.currency
            and (
                _CONVERSION_OPEN.match(ctx.text[a.end : b.start])
                and _CONVERSION_CLOSE.match(ctx.text[b.end :])
            )
        ):
            found[i] = b
    return found


def _claim(doc: Document, ctx: Context, index: int, reading: _Reading, q: Quantity) -> Claim:
    nxt = ctx.quantities[index + 1].start if index + 1 < len(ctx.quantities) else len(ctx.text)
    q, currency_note = bind_currency(ctx, q)
    period, period_note = bind_period(ctx, q.start, q.end, reading.kind == "average_growth")
    topic, balance = bind_topic(ctx, q.start, q.end, nxt)
    economy, economy_note = bind_economy(ctx, q.start)
    sign = reading.sign * (balance.sign if balance and reading.kind == "level" else 1)
    if reading.kind == "change" and balance is not None and balance.size:
        reading = _Reading("change", reading.sign, reading.start, size_change=True)
    claim = Claim(
        id="",
        document=doc.name,
        kind=reading.kind,
        start=reading.start,
        end=q.end,
        text=ctx.text[reading.start : q.end],
        quantity=q,
        topic=topic,
        period=period.period if period else None,
        economy=economy,
        sign=sign,
        notes=[n for n in (currency_note, period_note, economy_note) if n],
        size_change=reading.size_change,
    )
    if reading.size_change:
        claim.notes.append(
            "a change in the size of the balance (narrowed: smaller; widened: larger)"
        )
    if reading.kind == "share":
        claim.topic, claim.whole = bind_share(ctx, q.start, q.end, topic)
    if reading.kind == "count":
        noun = count_noun(ctx.text[q.end :].lstrip())
        claim.noun, claim.topic = (noun.id if noun else None), None
    return claim


def _lower_bound(ctx: Context, claims: list[Claim], q: Quantity) -> int:
    """Cues are searched back to the previous claim's end, within the sentence."""
    lo = ctx.sentence(q.start)[0]
    return max([lo, *(c.end for c in claims if c.end <= q.start)])


def extract(doc: Document) -> list[Claim]:
    """The numeric claims of ``doc``, in text order, with ids ``<document>:<n>``."""
    ctx = context(doc)
    conversions = _conversions(ctx)
    skip = {i + 1 for i in conversions}
    claims: list[Claim] = []
    for i, q in enumerate(ctx.quantities):
        if i in skip:
            continue
        reading = _read(ctx, q, _lower_bound(ctx, claims, q))
        if reading is None:
            continue
        claim = _claim(doc, ctx, i, reading, q)
        if i in conversions:
            claim.converted = conversions[i]
            close = _CONVERSION_CLOSE.match(ctx.text[conversions[i].end :])
            claim.end = conversions[i].end + (close.end() if close else 0)
            claim.text = ctx.text[claim.start : claim.end]
        claims.append(claim)
    _link_ranges(ctx, claims)
    for n, claim in enumerate(claims, start=1):
        claim.id = f"{doc.name}:{n}"
    for claim in claims:
        if claim.pair is not None:
            claim.pair = claims[int(claim.pair)].id
    return claims


def _between(ctx: Context, a: Claim, b: Claim) -> str:
    """The text between two claims with period phrases blanked ("38.5% in 2012 to 52.2%")."""
    text = list(ctx.text[a.end : b.start])
    for p in ctx.periods:
        for pos in range(max(p.start, a.end), min(p.end, b.start)):
            text[pos - a.end] = " "
    return re.sub(r"\b(?:in|for|during)\b", " ", "".join(text), flags=re.IGNORECASE)


def _link_ranges(ctx: Context, claims: list[Claim]) -> None:
    """Mark "from A to B" pairs; a pair of levels under a year range gets the range's ends."""
    for i, (a, b) in enumerate(pairwise(claims)):
        same_unit = a.quantity.unit == b.quantity.unit or {a.kind, b.kind} == {"level"}
        if not same_unit or not is_range(ctx.text[: a.start], _between(ctx, a, b)):
            continue
        b.pair = str(i)
        if (
            a.quantity.unit == "percent"
            and a.kind in ("rate", "share")
            and b.kind in ("rate", "share")
        ):
            for c in (a, b):
                if c.kind != "share" and c.topic is not None:
                    c.kind = "share"
                    c.topic, c.whole = bind_share(ctx, c.quantity.start, c.quantity.end, c.topic)
        if any(a.end <= p.start < b.start and p.period == b.period for p in ctx.periods):
            b.period = None  # "from 38.5% in 2012 to 52.2%": the year belongs to the first end
            b.notes.append("the end of the range states no period of its own")
        span = a.period
        if a.kind == b.kind == "level" and span is not None and span.span and a.period == b.period:
            a.period, b.period = Period.year(span.first[0]), Period.year(span.last[0])
            for c in (a, b):
                c.notes.append(
                    f"year from the range {span.label} (start of range for the first figure)"
                )
