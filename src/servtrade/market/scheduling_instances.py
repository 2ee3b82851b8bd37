"""Synthetic scheduling instances (labelled ``synthetic``; no real fair's data).

Two shapes:

* :func:`generate` — a hosted-buyer fair: exhibitors and buyers, buyers request exhibitors
  with a skewed popularity (a few exhibitors draw many requests, as at real fairs), weights
  1..100 standing for matchmaking scores, availability as an arrival/departure window with
  random holes at the given density, interchangeable tables in one or more zones and
  optionally booths.
* :func:`brokerage` — the shape of published B2B brokerage-event benchmarks (a one-day
  "forum" with a morning and an afternoon session split by lunch, participants present in the
  morning, the afternoon or both, every meeting a must). Tables are sized the way the
  b2match organiser guide advises: expected meetings / slots plus 10-20 %
  (https://b2match-support.zendesk.com/hc/en-us/articles/203063131-Scheduling-settings).
"""

from __future__ import annotations

import math
import random

from servtrade.market.scheduling_model import (
    Instance,
    Location,
    LocationKind,
    Participant,
    Priority,
    Request,
)


def _availability(rng: random.Random, slots: int, density: float) -> frozenset[int] | None:
    if density >= 1.0:
        return None
    span = max(1, round(slots * min(1.0, density + (1 - density) / 2)))
    first = rng.randint(0, slots - span)
    window = range(first, first + span)
    keep = density * slots / span  # holes inside the window bring the share back to density
    return frozenset(t for t in window if rng.random() < keep)


def _pairs(
    rng: random.Random, exhibitors: int, buyers: int, requests: int
) -> list[tuple[int, int]]:
    """Distinct (exhibitor, buyer) pairs; exhibitor popularity ~ 1/rank^0.7 (skewed)."""
    cum, acc = [], 0.0
    for k in range(exhibitors):
        acc += 1.0 / (k + 1) ** 0.7
        cum.append(acc)
    population = range(exhibitors)
    requests = min(requests, exhibitors * buyers)
    seen: set[tuple[int, int]] = set()
    order = list(range(buyers)) * (requests // max(1, buyers) + 2)
    picks = iter(order)
    while len(seen) < requests:
        buyer = next(picks, None)
        if buyer is None:
            buyer = rng.randrange(buyers)
        exhibitor = rng.choices(population, cum_weights=cum)[0]
        seen.add((exhibitor, buyer))
    return sorted(seen)


def generate(
    *,
    exhibitors: int = 30,
    buyers: int = 70,
    requests: int = 300,
    slots: int = 12,
    tables: int | None = None,
    zones: int = 1,
    density: float = 0.8,
    must_share: float = 0.1,
    long_share: float = 0.0,
    booths: bool = False,
    max_meetings: int | None = None,
    seed: int = 0,
) -> Instance:
    """A hosted-buyer fair; ``tables`` defaults to one per exhibitor (spread over ``zones``)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    parts = [
        Participant(f"E{k}", "exhibitor", _availability(rng, slots, density))
        for k in range(exhibitors)
    ] + [Participant(f"B{k}", "buyer", _availability(rng, slots, density)) for k in range(buyers)]
    reqs = tuple(
        Request(
            id=f"R{i}",
            first=f"E{e}",
            second=f"B{b}",
            weight=rng.randint(1, 100),
            priority=Priority.must if rng.random() < must_share else Priority.nice,
            duration=2 if rng.random() < long_share else 1,
        )
        for i, (e, b) in enumerate(_pairs(rng, exhibitors, buyers, requests))
    )
    count = exhibitors if tables is None else tables
    locs = [Location(f"T{k}", zone=f"Z{k % zones}") for k in range(count)]
    if booths:
        locs += [
            Location(f"S{k}", LocationKind.booth, 1, f"Z{k % zones}", f"E{k}")
            for k in range(0, exhibitors, 3)
        ]
    return Instance(
        slots=slots,
        participants=tuple(parts),
        requests=reqs,
        locations=tuple(locs),
        max_meetings=max_meetings,
        label=f"synthetic fair seed={seed} E={exhibitors} B={buyers} R={len(reqs)}",
    )


def brokerage(*, participants: int = 80, meetings: int = 200, slots: int = 16,
              seed: int = 0) -> Instance:  # fmt: skip
    """A one-day brokerage forum: two sessions split by a lunch break, all meetings must."""
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data
    lunch = slots // 2
    morning, afternoon = set(range(lunch)), set(range(lunch + 1, slots + 1))
    total = slots + 1  # the lunch slot is a break
    parts = []
    for k in range(participants):
        session = rng.choices(["morning", "afternoon", "both"], weights=[1, 1, 3])[0]
        avail = {"morning": morning, "afternoon": afternoon, "both": morning | afternoon}[session]
        parts.append(Participant(f"P{k}", "buyer" if k % 2 else "exhibitor", frozenset(avail)))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < min(meetings, participants * (participants - 1) // 2):
        first, second = sorted(rng.sample(range(participants), 2))
        pairs.add((first, second))
    reqs = tuple(
        Request(f"M{i}", f"P{x}", f"P{y}", weight=1, priority=Priority.must)
        for i, (x, y) in enumerate(sorted(pairs))
    )
    tables = math.ceil(len(reqs) / slots * 1.15)
    return Instance(
        slots=total,
        participants=tuple(parts),
        requests=reqs,
        locations=tuple(Location(f"T{k}") for k in range(tables)),
        breaks=frozenset({lunch}),
        gap_penalty=1,
        label=f"synthetic brokerage seed={seed} P={participants} M={len(reqs)}",
    )
