"""Turn checked records into regimes, list editions and measures (all validation lives here)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from servtrade.errors import UnknownCodeError
from servtrade.rules.fields import Record
from servtrade.rules.model import (
    BINDS,
    Condition,
    DataKind,
    Effect,
    FactSpec,
    Kind,
    Layer,
    ListEdition,
    Measure,
    Reference,
    Referral,
    Regime,
    Sector,
    Verification,
)
from servtrade.rules.predicates import ConditionError, parse_condition
from servtrade.rules.sectors import resolve_service

MEASURE_ID = re.compile(r"^[A-Z0-9][A-Za-z0-9._\-()]*$")
LIST_FIELDS = (
    "id",
    "layer",
    "economy",
    "territory",
    "title_zh",
    "title_en",
    "issuer",
    "instrument",
    "published",
    "in_force_from",
    "in_force_to",
    "modes_covered",
    "measures_in_text",
    "coverage_note",
    "verification",
    "checked_on",
    "sources",
    "notes",
    "reported_absent",
)
MEASURE_FIELDS = (
    "id",
    "item",
    "sector",
    "modes",
    "modes_basis",
    "kind",
    "data_kind",
    "dpa_intervention_type",
    "binds",
    "effect",
    "requirement",
    "conditions",
    "in_force_from",
    "in_force_to",
    "reference",
    "summary_en",
    "summary_en_is_paraphrase",
    "text_zh",
    "text_zh_source",
    "verification",
    "synthetic",
)
SECTOR_FIELDS = ("all", "whole", "part", "activity", "section_zh", "mapping")
VERIFICATIONS = [v.value for v in Verification]


def regime_from(rec: Record) -> Regime:
    """The ``regime:`` mapping of ``<economy>/regime.yaml``."""
    rec.unknown_fields(
        (
            "economy",
            "name_en",
            "home_economies",
            "zones",
            "layers",
            "out_of_scope_modes",
            "not_cross_border",
            "notes",
            "facts",
        )
    )
    zones = rec.sub("zones")
    names = {str(k): str(zones.sub(k).text("name_en")) for k in zones.values}
    layers = rec.sub("layers")
    referrals = rec.sub("out_of_scope_modes")
    facts = rec.sub("facts")
    return Regime(
        economy=rec.text("economy"),
        name_en=rec.text("name_en"),
        home_economies=frozenset(rec.strings("home_economies")),
        zones=names,
        layers=tuple(_layer(str(n), layers.sub(n), set(names)) for n in layers.values),
        out_of_scope_modes={int(m): _referral(int(m), referrals.sub(m)) for m in referrals.values},
        not_cross_border=rec.text("not_cross_border"),
        facts={str(k): _fact(str(k), facts.sub(k)) for k in facts.values},
        notes=rec.strings("notes", required=False),
        source=rec.file,
    )


def _layer(name: str, rec: Record, zones: set[str]) -> Layer:
    combine = rec.choice("combine", ("first", "all"))
    order = rec.sub("precedence")
    precedence = {str(place): order.strings(str(place)) for place in order.values}
    for place in precedence:
        if place != "nationwide" and place not in zones:
            raise order.error(
                place, place, "is not a zone of the regime", hint="zones: " + ", ".join(zones)
            )
    return Layer(
        name,
        rec.text("title_en"),
        combine,
        precedence,
        rec.text("none_in_force"),
        rec.flag("requires_data", False),
    )


def _referral(mode: int, rec: Record) -> Referral:
    ref = rec.sub("reference")
    return Referral(
        mode,
        rec.text("instrument_en"),
        rec.text("instrument_zh"),
        rec.text("reason"),
        Reference(ref.text("document"), "", ref.optional("url")),
    )


def _fact(name: str, rec: Record) -> FactSpec:
    kind = rec.choice("type", ("bool", "int", "choice"))
    choices = rec.strings("choices") if kind == "choice" else ()
    return FactSpec(name, kind, rec.text("description"), choices)


def list_from(rec: Record, regimes: Mapping[str, Regime]) -> ListEdition:
    """A list header, checked against its regime (layer, territory)."""
    rec.unknown_fields(LIST_FIELDS)
    economy = rec.text("economy")
    regime = regimes.get(economy)
    if regime is None:
        raise rec.error(
            "economy", economy, "has no regime.yaml", hint="known: " + ", ".join(regimes)
        )
    layer = rec.choice("layer", [layer.name for layer in regime.layers])
    territory = rec.choice("territory", ["nationwide", *regime.zones])
    start, end = rec.day("in_force_from"), rec.day("in_force_to", required=False)
    assert start is not None
    if end is not None and end < start:
        raise rec.error("in_force_to", end, "is before in_force_from")
    published = rec.day("published")
    assert published is not None
    return ListEdition(
        id=rec.text("id"),
        layer=layer,
        economy=economy,
        territory=territory,
        title_en=rec.text("title_en"),
        title_zh=rec.text("title_zh"),
        issuer=rec.text("issuer"),
        instrument=rec.text("instrument"),
        published=published,
        in_force_from=start,
        in_force_to=end,
        modes_covered=rec.modes("modes_covered"),
        verification=Verification(rec.choice("verification", VERIFICATIONS)),
        measures_in_text=rec.whole("measures_in_text", required=False, minimum=1),
        coverage_note=rec.optional("coverage_note"),
        checked_on=rec.day("checked_on", required=False),
        sources=rec.strings("sources", required=False),
        notes=rec.optional("notes"),
        reported_absent=_absent(rec),
        source=rec.file,
    )


def _absent(rec: Record) -> tuple[tuple[str, str], ...]:
    raw = rec.raw("reported_absent") or []
    if not isinstance(raw, list):
        raise rec.error("reported_absent", raw, "must be a list of {measure, source}")
    found = []
    for n, entry in enumerate(raw):
        if not isinstance(entry, Mapping) or not entry.get("measure") or not entry.get("source"):
            raise rec.error("reported_absent", entry, f"entry {n + 1} needs 'measure' and 'source'")
        found.append((str(entry["measure"]), str(entry["source"])))
    return tuple(found)


def measure_from(
    rec: Record, edition: ListEdition, regime: Regime, dpa: Mapping[int, str]
) -> Measure:
    """One measure entry, checked against its list (modes, dates) and regime (facts)."""
    rec.unknown_fields(MEASURE_FIELDS)
    kind = Kind(rec.choice("kind", [k.value for k in Kind]))
    effect = Effect(rec.choice("effect", [e.value for e in Effect]))
    verification = Verification(rec.choice("verification", VERIFICATIONS))
    modes = rec.modes("modes")
    if not modes <= edition.modes_covered:
        shown = ",".join(str(m) for m in sorted(modes - edition.modes_covered))
        raise rec.error(
            "modes",
            shown,
            f"is not covered by list {edition.id}",
            hint="the list covers modes "
            + ", ".join(str(m) for m in sorted(edition.modes_covered)),
        )
    paraphrase = rec.flag("summary_en_is_paraphrase", True)
    if not paraphrase and verification is not Verification.verified_official:
        raise rec.error(
            "summary_en_is_paraphrase",
            False,
            "only official wording may be marked as not a paraphrase",
            hint="set it to true, or set verification: verified_official",
        )
    start, end = rec.day("in_force_from", required=False), rec.day("in_force_to", required=False)
    if start and end and end < start:
        raise rec.error("in_force_to", end, "is before in_force_from")
    return Measure(
        id=_measure_id(rec),
        list_id=edition.id,
        item=rec.text("item"),
        sector=_sector(rec),
        modes=modes,
        kind=kind,
        binds=frozenset(_binds(rec)),
        effect=effect,
        reference=_reference(rec),
        summary_en=rec.text("summary_en"),
        verification=verification,
        conditions=_conditions(rec, regime),
        requirement=_requirement(rec, effect),
        data_kind=_data_kind(rec, kind),
        dpa_intervention_type=_dpa(rec, dpa),
        modes_basis=rec.optional("modes_basis"),
        in_force_from=start,
        in_force_to=end,
        summary_en_is_paraphrase=paraphrase,
        text_zh=_text_zh(rec),
        text_zh_source=rec.optional("text_zh_source"),
        synthetic=rec.flag("synthetic", False),
        source=f"{rec.file}:{rec.line}" if rec.line else rec.file,
    )


def _measure_id(rec: Record) -> str:
    value = rec.text("id")
    if not MEASURE_ID.match(value):
        raise rec.error(
            "id",
            value,
            "is not a valid measure id",
            hint="letters, digits, '.', '-', '_' and brackets, e.g. CN-NAT-2024-005",
        )
    return value


def _binds(rec: Record) -> tuple[str, ...]:
    binds = rec.strings("binds")
    for who in binds:
        if who not in BINDS:
            raise rec.error("binds", who, "is not allowed", hint="use " + ", ".join(BINDS))
    return binds


def _requirement(rec: Record, effect: Effect) -> str | None:
    if effect is Effect.conditional:
        return rec.text("requirement")
    return rec.optional("requirement")


def _data_kind(rec: Record, kind: Kind) -> DataKind | None:
    if kind is Kind.data_localisation:
        return DataKind(rec.choice("data_kind", [d.value for d in DataKind]))
    if rec.raw("data_kind") is not None:
        raise rec.error("data_kind", rec.raw("data_kind"), "is only for kind data_localisation")
    return None


def _dpa(rec: Record, dpa: Mapping[int, str]) -> int | None:
    number = rec.whole("dpa_intervention_type", required=False)
    if number is not None and number not in dpa:
        raise rec.error(
            "dpa_intervention_type",
            number,
            "is not in data/measures/dpa_vocabulary.yaml",
            hint="known: " + ", ".join(f"{k} {v}" for k, v in dpa.items()),
        )
    return number


def _text_zh(rec: Record) -> str | None:
    text = rec.optional("text_zh")
    if text and not rec.optional("text_zh_source"):
        raise rec.error(
            "text_zh_source",
            None,
            "is required with text_zh",
            hint="say which page or document the Chinese text was checked against",
        )
    return text


def _reference(rec: Record) -> Reference:
    ref = rec.sub("reference")
    ref.unknown_fields(("document", "item", "url"))
    url = ref.optional("url")
    if url and not url.startswith(("http://", "https://")):
        raise ref.error("url", url, "must start with http:// or https://")
    return Reference(ref.text("document"), ref.text("item"), url)


def _sector(rec: Record) -> Sector:
    sec = rec.sub("sector")
    sec.unknown_fields(SECTOR_FIELDS)
    everything = sec.flag("all", False)
    whole = tuple(_code(sec, "whole", c) for c in sec.strings("whole", required=False))
    part = tuple(_code(sec, "part", c) for c in sec.strings("part", required=False))
    if everything and (whole or part):
        raise sec.error("all", True, "cannot be combined with whole or part codes")
    if not everything and not (whole or part):
        raise sec.error(
            "whole", None, "is missing", hint="give whole and/or part codes, or all: true"
        )
    return Sector(
        whole,
        part,
        everything,
        sec.text("activity"),
        sec.optional("section_zh"),
        sec.optional("mapping"),
    )


def _code(sec: Record, field: str, code: str) -> str:
    try:
        return resolve_service(code).key
    except UnknownCodeError as exc:
        raise sec.error(field, code, "is not a known service code", hint=exc.hint) from None


def _conditions(rec: Record, regime: Regime) -> tuple[Condition, ...]:
    raw: Any = rec.raw("conditions") or []
    if isinstance(raw, str):
        raw = _json_conditions(rec, raw)
    if not isinstance(raw, list):
        raise rec.error("conditions", raw, "must be a list of {predicate, args}")
    try:
        return tuple(
            parse_condition(c, regime.facts, f"conditions[{i}]") for i, c in enumerate(raw)
        )
    except ConditionError as exc:
        raise rec.error(
            exc.field,
            exc.value,
            str(exc),
            hint="see docs/rules-authoring.md for predicates and facts",
        ) from None


def _json_conditions(rec: Record, text: str) -> Any:
    """CSV cells carry conditions as JSON (parsed as data, never executed)."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise rec.error("conditions", text, f"is not valid JSON ({exc.msg})") from None
