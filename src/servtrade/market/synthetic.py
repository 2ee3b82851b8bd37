"""A deterministic synthetic fair at CIFTIS scale, as plain rows (no database here).

The ingredients (zones, keywords, rates) are data in ``synthetic_fair.yaml``; economies and
EBOPS 2010 items come from :mod:`servtrade.vocab`. The same seed gives the same fair. Needs
are planted from exhibitors' offers (same underlying service, sometimes written one level
more general), so that the true compatibilities are known for evaluating matchmaking.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.market.synthetic_meetings import add_activities, add_listings, add_meetings
from servtrade.market.synthetic_parts import Row, SyntheticFair, ingredients, words
from servtrade.vocab.ebops import EbopsTree, ebops_tree
from servtrade.vocab.economies import Economy, all_economies, resolve_economy

FAIR_START = date(2025, 9, 10)


def _check(exhibitors: int, economies: int, io: int) -> None:
    problems = []
    if economies < 1:
        problems.append(ErrorDetail("must be at least 1", field="economies", value=str(economies)))
    if exhibitors < economies + io:
        problems.append(
            ErrorDetail(
                f"is too small to show {economies} economies and {io} international "
                "organisations (one exhibitor each at least)",
                field="exhibitors",
                value=str(exhibitors),
                hint=f"use --exhibitors {economies + io} or more, or fewer --economies",
            )
        )
    available = len(all_economies())
    if economies > available:
        problems.append(ErrorDetail(f"there are only {available} economies", field="economies"))
    if problems:
        raise ValidationError("cannot generate this fair: " + problems[0].render(), problems)


def choose_economies(rng: random.Random, count: int, host: str) -> list[Economy]:
    """The host and ``count - 1`` other economies, drawn without replacement."""
    others = [e for e in all_economies() if e.alpha3 != host]
    return [resolve_economy(host), *rng.sample(others, count - 1)]


def _leaves(tree: EbopsTree, code: str) -> list[str]:
    leaves = [i.code for i in tree.standard_leaves(code)]
    return leaves or [code]


def describe(rng: random.Random, tree: EbopsTree, code: str, offering: bool) -> str:
    """A short description of a service: keywords of its area plus words of its label."""
    keywords = words(rng, code, 3)
    label = tree.resolve(code).label.lower()
    audience = rng.choice(ingredients()["audiences"])
    if offering:
        return f"We provide {', '.join(keywords)} ({label}) for {audience}."
    return f"Looking for {' and '.join(keywords[:2])} ({label}) for our {audience}."


def _modes(rng: random.Random) -> list[int]:
    # modes 1 (cross-border) and 3 (commercial presence) dominate services trade
    pool = [1, 1, 1, 2, 3, 3, 4]
    return sorted({rng.choice(pool) for _ in range(rng.randint(1, 3))})


def _markets(rng: random.Random, economies: list[Economy], open_share: float) -> list[str]:
    if rng.random() < open_share:
        return []
    count = min(len(economies), rng.randint(3, 12))
    return sorted(e.alpha3 for e in rng.sample(economies, count))


def generate(exhibitors: int, economies: int, seed: int) -> SyntheticFair:
    """The synthetic fair for these numbers: same arguments, same rows."""
    cfg = ingredients()
    io = min(int(cfg["rates"]["international_organisations"]), exhibitors // 100)
    _check(exhibitors, economies, io)
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not secrets
    tree = ebops_tree()
    chosen = choose_economies(rng, economies, cfg["fair"]["host_economy"])
    fair = _fair_row(cfg, exhibitors, economies, seed)
    result = SyntheticFair(fair=fair)
    result.zones = [dict(z) for z in cfg["zones"]]
    _exhibitors(result, rng, tree, chosen, count=exhibitors, io=io)
    _buyers(result, rng, tree, chosen)
    _extras(result, rng, tree)
    add_meetings(result, rng)
    _namespace(result, tag_of(exhibitors, economies, seed))
    return result


def tag_of(exhibitors: int, economies: int, seed: int) -> str:
    """The prefix of the generated organisations' and listings' (global) external ids."""
    return f"syn-{exhibitors}x{economies}s{seed}-"


def _namespace(fair: SyntheticFair, tag: str) -> None:
    """Prefix organisation and listing ids (unique across fairs) with the generation's tag."""
    for org in fair.organisations:
        org["external_id"] = tag + org["external_id"]
    for rows in (fair.participants, fair.booths, fair.partners, fair.launches, fair.listings):
        for row in rows:
            row["organisation"] = tag + row["organisation"]
    for listing in fair.listings:
        listing["external_id"] = tag + listing["external_id"]
    for deal in fair.deals:
        deal["seller"], deal["buyer"] = tag + deal["seller"], tag + deal["buyer"]


def _fair_row(cfg: dict[str, Any], exhibitors: int, economies: int, seed: int) -> Row:
    base = cfg["fair"]
    start = FAIR_START
    return {
        "name": f"{base['name']} – {exhibitors} exhibitors, {economies} economies, seed {seed}",
        "edition": start.year,
        "city": base["city"],
        "host_economy": base["host_economy"],
        "theme": base["theme"],
        "starts_on": start,
        "ends_on": date.fromordinal(start.toordinal() + int(base["days"]) - 1),
        "synthetic": True,
        "seed": seed,
    }


def _organisation(
    i: int, prefix: str, economy: Economy | None, *, kind: str, size: str, sectors: list[str]
) -> Row:
    where = economy.name_en if economy else "International"
    return {
        "external_id": f"{prefix}{i:05d}",
        "name": f"Synthetic {where} {kind.replace('_', ' ')} {prefix}{i:05d}",
        "economy": economy.alpha3 if economy else None,
        "kind": kind,
        "size": size,
        "fortune_global_500": False,
        "sectors": sectors,
        "description": "synthetic organisation",
    }


def _exhibitor_economy(
    rng: random.Random, n: int, chosen: list[Economy], host_share: float
) -> Economy:
    if n < len(chosen):  # every chosen economy has at least one exhibitor
        return chosen[n]
    return chosen[0] if rng.random() < host_share else rng.choice(chosen[1:] or chosen)


def _exhibitors(
    fair: SyntheticFair,
    rng: random.Random,
    tree: EbopsTree,
    chosen: list[Economy],
    *,
    count: int,
    io: int,
) -> None:
    rates = ingredients()["rates"]
    for n in range(count):
        zone = rng.choice(fair.zones)
        is_io = n >= count - io
        economy = None if is_io else _exhibitor_economy(rng, n, chosen, rates["host_share"])
        kind = "international_organisation" if is_io else "enterprise"
        size = rng.choice(["small", "medium", "medium", "large"])
        org = _organisation(n, "EXO", economy, kind=kind, size=size, sectors=list(zone["ebops"]))
        org["fortune_global_500"] = (
            size == "large" and rng.random() < rates["fortune_global_500"] * 4
        )
        fair.organisations.append(org)
        pid = f"EXP{n:05d}"
        fair.participants.append(_person(pid, org["external_id"], ["exhibitor"], rng))
        fair.booths.append(
            {"organisation": org["external_id"], "zone": zone["name"], "code": f"B{n + 1:05d}"}
        )
        for k in range(rng.randint(1, 3)):
            latent = rng.choice(_leaves(tree, rng.choice(zone["ebops"])))
            fair.offers.append(
                {
                    "external_id": f"OF{n:05d}-{k}",
                    "participant": pid,
                    "ebops": latent,
                    "modes": _modes(rng),
                    "markets": _markets(rng, chosen, 0.4),
                    "description": describe(rng, tree, latent, True),
                    "size": size,
                    "latent": latent,
                    "economy": org["economy"],
                }
            )


def _person(pid: str, org: str, roles: list[str], rng: random.Random) -> Row:
    return {
        "external_id": pid,
        "person_name": f"Synthetic person {pid}",
        "organisation": org,
        "roles": roles,
        "consent_matchmaking": rng.random() > 0.02,
        "visibility": "public",
    }


def _buyers(
    fair: SyntheticFair, rng: random.Random, tree: EbopsTree, chosen: list[Economy]
) -> None:
    rates = ingredients()["rates"]
    count = len(fair.participants) * int(rates["buyers_per_exhibitor"])
    offers = fair.offers
    for n in range(count):
        economy = chosen[0] if rng.random() < 0.5 else rng.choice(chosen)
        anchor = rng.choice(offers)
        size = anchor["size"] if rng.random() < 0.7 else rng.choice(["small", "medium", "large"])
        org = _organisation(
            n, "BYO", economy, kind="enterprise", size=size, sectors=[anchor["latent"]]
        )
        fair.organisations.append(org)
        pid = f"BYP{n:05d}"
        fair.participants.append(_person(pid, org["external_id"], ["buyer"], rng))
        for k in range(rng.randint(1, 2)):
            source = anchor if k == 0 else rng.choice(offers)
            fair.needs.append(
                _need(rng, tree, source, f"NE{n:05d}-{k}", owner=(pid, size), chosen=chosen)
            )


def _need(
    rng: random.Random,
    tree: EbopsTree,
    anchor: Row,
    external_id: str,
    *,
    owner: tuple[str, str],
    chosen: list[Economy],
) -> Row:
    participant, size = owner
    latent = anchor["latent"]
    parent = tree.resolve(latent).parent
    general = rng.random() < 0.3 and parent is not None and parent != "S"
    code = parent if general and parent else latent
    modes = sorted({rng.choice(anchor["modes"]), *(_modes(rng) if rng.random() < 0.5 else [])})
    markets = _markets(rng, chosen, 0.6)
    if markets and anchor["economy"] and rng.random() < 0.7:
        markets = sorted({*markets, anchor["economy"]})
    return {
        "external_id": external_id,
        "participant": participant,
        "ebops": code,
        "modes": modes,
        "markets": markets,
        "description": describe(rng, tree, latent, False),
        "size": size,
        "latent": latent,
    }


def _extras(fair: SyntheticFair, rng: random.Random, tree: EbopsTree) -> None:
    """Launches, partners, activities and marketplace listings."""
    cfg = ingredients()
    rates = cfg["rates"]
    exhibitor_orgs = [o for o in fair.organisations if o["external_id"].startswith("EXO")]
    booth_zone = {b["organisation"]: b["zone"] for b in fair.booths}
    for org in exhibitor_orgs:
        if rng.random() < rates["launch"]:
            code = rng.choice(org["sectors"])
            fair.launches.append(
                {
                    "organisation": org["external_id"],
                    "zone": booth_zone[org["external_id"]],
                    "kind": rng.choice(["product", "product", "achievement"]),
                    "title": f"Synthetic launch: {words(rng, code, 1)[0]}",
                    "ebops": code,
                }
            )
    for org in fair.organisations:
        if rng.random() < rates["partner"]:
            fair.partners.append(
                {"organisation": org["external_id"], "sector": org["sectors"][0][:2]}
            )
    add_activities(fair, rng)
    add_listings(fair, rng, tree)
