"""Synthetic fair, second half: activities, listings, meeting requests, meetings and deals."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from servtrade.market.synthetic_parts import Row, SyntheticFair, ingredients, words
from servtrade.vocab.ebops import EbopsTree

#: fair-local time (Beijing, UTC+8); meeting slots are half-hours from 09:00 to 17:00
LOCAL = timezone(timedelta(hours=8))
SLOTS_PER_DAY = 16
SLOT = timedelta(minutes=30)


def _day(fair: SyntheticFair, day: int, hour: int) -> datetime:
    start = fair.fair["starts_on"]
    return datetime(start.year, start.month, start.day, hour, tzinfo=LOCAL) + timedelta(days=day)


def add_activities(fair: SyntheticFair, rng: random.Random) -> None:
    """Summits, conferences, a forum per zone, daily negotiations, awards, the exhibition."""
    days = (fair.fair["ends_on"] - fair.fair["starts_on"]).days + 1
    for template in ingredients()["activities"]:
        kind, title = template["kind"], template["title"]
        if kind == "forum":
            targets = [(z["name"], f"{title}: {z['name']}") for z in fair.zones]
        elif kind == "negotiation":
            targets = [(None, f"{title}, day {d + 1}") for d in range(days)]
        else:
            targets = [(None, title)]
        for zone, name in targets:
            day = rng.randrange(days)
            start = _day(fair, day, rng.choice([9, 10, 14, 15]))
            fair.activities.append(
                {
                    "kind": kind,
                    "title": f"Synthetic: {name}",
                    "zone": zone,
                    "starts_at": start,
                    "ends_at": start + timedelta(hours=3),
                    "sessions": [
                        {
                            "title": f"Session {s + 1}",
                            "room": f"Hall {rng.randint(1, 9)}",
                            "starts_at": start + timedelta(minutes=90 * s),
                            "ends_at": start + timedelta(minutes=90 * (s + 1)),
                        }
                        for s in range(2)
                    ],
                }
            )


def add_listings(fair: SyntheticFair, rng: random.Random, tree: EbopsTree) -> None:
    """Standing marketplace entries (algorithms, logistics, payments, customs, inspection)."""
    cfg = ingredients()
    for n, org in enumerate(fair.organisations):
        if rng.random() >= cfg["rates"]["listings"]:
            continue
        template = rng.choice(cfg["listings"])
        word = rng.choice(template["words"])
        fair.listings.append(
            {
                "external_id": f"LS-{fair.fair['seed']}-{n:05d}",
                "organisation": org["external_id"],
                "category": template["category"],
                "title": f"{template['title']}: {word}",
                "ebops": template["ebops"],
                "modes": [1],
                "markets": [],
                "description": f"Synthetic listing: {word}, "
                f"{', '.join(words(rng, template['ebops'], 2))}; "
                f"{tree.resolve(template['ebops']).label.lower()}.",
                "url": None,
            }
        )


def _requests(fair: SyntheticFair, rng: random.Random) -> None:
    rates = ingredients()["rates"]
    by_latent: dict[str, list[str]] = {}
    for offer in fair.offers:
        by_latent.setdefault(offer["latent"], []).append(offer["participant"])
    exhibitors = sorted({o["participant"] for o in fair.offers})
    seen: set[tuple[str, str]] = set()
    for need in fair.needs:
        for _ in range(rng.randint(0, int(rates["requests_per_buyer"]))):
            pool = by_latent.get(need["latent"], exhibitors)
            target = rng.choice(pool if rng.random() < 0.7 else exhibitors)
            pair = (need["participant"], target)
            if rng.random() < 0.1:
                pair = (target, need["participant"])
            if pair in seen:
                continue
            seen.add(pair)
            draw = rng.random()
            status = (
                "accepted"
                if draw < rates["accepted"]
                else ("declined" if draw < rates["accepted"] + 0.15 else "requested")
            )
            fair.requests.append({"requester": pair[0], "recipient": pair[1], "status": status})


def add_meetings(fair: SyntheticFair, rng: random.Random) -> None:
    """Requests, then accepted ones placed greedily in slots and tables, then deals."""
    _requests(fair, rng)
    days = (fair.fair["ends_on"] - fair.fair["starts_on"]).days + 1
    for d in range(days):
        for s in range(SLOTS_PER_DAY):
            start = _day(fair, d, 9) + s * SLOT
            fair.slots.append({"starts_at": start, "ends_at": start + SLOT})
    accepted = [n for n, r in enumerate(fair.requests) if r["status"] == "accepted"]
    n_tables = max(1, math.ceil(1.25 * len(accepted) / max(len(fair.slots), 1)))
    fair.tables = [
        {"name": f"T{t + 1:03d}", "zone": fair.zones[t % len(fair.zones)]["name"]}
        for t in range(n_tables)
    ]
    _place(fair, rng, accepted, n_tables)
    _deals(fair, rng)


def _place(fair: SyntheticFair, rng: random.Random, accepted: list[int], n_tables: int) -> None:
    busy: dict[str, set[int]] = {}
    used = [0] * len(fair.slots)
    no_show = ingredients()["rates"]["no_show"]
    for n in accepted:
        request = fair.requests[n]
        who = (request["requester"], request["recipient"])
        offset = rng.randrange(len(fair.slots))
        for step in range(len(fair.slots)):
            slot = (offset + step) % len(fair.slots)
            if used[slot] >= n_tables or any(slot in busy.get(p, ()) for p in who):
                continue
            absent = rng.random() < no_show
            fair.meetings.append(
                {
                    "request": n,
                    "slot": slot,
                    "table": used[slot],
                    "status": "no_show" if absent else "held",
                    "attendees": [(who[0], True), (who[1], not absent)],
                }
            )
            used[slot] += 1
            for p in who:
                busy.setdefault(p, set()).add(slot)
            break


def _deals(fair: SyntheticFair, rng: random.Random) -> None:
    rates, value = ingredients()["rates"], ingredients()["deal_value"]
    org_of = {p["external_id"]: p["organisation"] for p in fair.participants}
    exhibitor = {p["external_id"] for p in fair.participants if "exhibitor" in p["roles"]}
    first_offer: dict[str, str] = {}
    for offer in fair.offers:
        first_offer.setdefault(offer["participant"], offer["ebops"])
    for n, meeting in enumerate(fair.meetings):
        if meeting["status"] != "held" or rng.random() >= rates["deal"]:
            continue
        a, b = (p for p, _ in meeting["attendees"])
        seller, buyer = (a, b) if a in exhibitor else (b, a)
        amount = value["median"] * math.exp(rng.gauss(0.0, value["sigma"]))
        fair.deals.append(
            Row(
                meeting=n,
                seller=org_of[seller],
                buyer=org_of[buyer],
                ebops=first_offer.get(seller),
                value=Decimal(f"{amount:.2f}"),
                currency=value["currency"],
                status="signed" if rng.random() < rates["signed"] else "intended",
            )
        )
