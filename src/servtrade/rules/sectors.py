"""Service codes (``ebops:SJ34``, ``cpc:932``, ``w120:1.A.i``, ``gbt4754:F5182``) resolved.

A resolved code knows its own path up its hierarchy (a measure on any of those codes contains
the service), codes in other systems that certainly contain it (the W/120 <-> CPC concordance),
codes that make up parts of it, and codes that roughly contain it (the approximate GB/T 4754
correspondences). The evaluator turns
these into "applies" or "may apply".
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from servtrade.config import bundled_data_dir
from servtrade.errors import ErrorDetail, UnknownCodeError
from servtrade.rules.model import SYSTEMS, ServiceRef
from servtrade.vocab.datafile import load_yaml
from servtrade.vocab.ebops import ebops_tree
from servtrade.vocab.gbt4754 import gbt4754_sections, resolve_gbt4754
from servtrade.vocab.suggest import suggestions
from servtrade.vocab.w120 import resolve_w120, w120_for_cpc, w120_sectors

_GBT = re.compile(r"^([A-Ta-t])?(\d{2,4})?$")
HINT = "write the classification first, e.g. ebops:SJ34, cpc:932, w120:1.A.i or gbt4754:F5182"


def split_key(key: str) -> tuple[str, str]:
    """``"cpc:932"`` -> ``("cpc", "932")``; a missing or unknown system raises UnknownCodeError."""
    system, sep, code = key.strip().partition(":")
    system = system.strip().lower().replace("/", "").replace(" ", "")
    system = {"gbt": "gbt4754", "gb": "gbt4754", "w/120": "w120"}.get(system, system)
    if not sep or not code.strip():
        raise _unknown_system(key)
    if system not in SYSTEMS:
        raise _unknown_system(key, system)
    return system, code.strip()


def _unknown_system(key: str, system: str | None = None) -> UnknownCodeError:
    guesses = (
        [f"{s}:{key.strip()}" for s in SYSTEMS if _resolves(s, key.strip())] if not system else []
    )
    hint = ("did you mean: " + "; ".join(guesses) + "? " if guesses else "") + HINT
    what = f"unknown classification {system!r} in" if system else "no classification given for"
    return UnknownCodeError(
        f"{what} service code {key.strip()!r}",
        errors=[
            ErrorDetail("is not a service code", field="service", value=key.strip(), hint=hint)
        ],
        hint=hint,
    )


def _resolves(system: str, code: str) -> bool:
    try:
        _RESOLVERS[system](code)
    except UnknownCodeError:
        return False
    return True


@cache
def resolve_service(text: str) -> ServiceRef:
    """Resolve a service code; an unknown one raises UnknownCodeError with suggestions."""
    system, code = split_key(text)
    return _RESOLVERS[system](code)


@cache
def service_keys() -> tuple[str, ...]:
    """Every code the shipped classifications list, resolved (``system:code``, sorted).

    EBOPS items, W/120 sectors, the CPC codes W/120 names with their shorter prefixes, and GB/T
    4754 sections and divisions. The measure index works out its answer for each of these ahead
    of time; deeper codes (a CPC subclass, a GB/T class) resolve too and are looked up on demand.
    """
    texts = [f"ebops:{item.code}" for item in ebops_tree().items()]
    texts += [f"w120:{sector.code}" for sector in w120_sectors()]
    texts += [f"cpc:{code[:n]}" for code in _known_cpc() for n in range(1, len(code) + 1)]
    for section in gbt4754_sections():
        texts.append(f"gbt4754:{section.section}")
        span = range(section.division_from, section.division_to + 1)
        texts += [f"gbt4754:{section.section}{division:02d}" for division in span]
    return tuple(sorted({resolve_service(text).key for text in texts}))


def canonical_key(text: str) -> str:
    """The normalised ``system:code`` of a service code (validated)."""
    return resolve_service(text).key


def _ebops(code: str) -> ServiceRef:
    tree = ebops_tree()
    item = tree.resolve(code)
    path = (item.code, *(a.code for a in tree.ancestors(item.code)))
    return ServiceRef("ebops", item.code, item.label, tuple(f"ebops:{c}" for c in path))


def _w120(code: str) -> ServiceRef:
    sector = resolve_w120(code)
    path = [sector.code]
    while "." in path[-1]:
        path.append(path[-1].rsplit(".", 1)[0])
    cpcs = sector.cpc_codes
    # The sector is the union of its CPC codes: what contains all of them contains the sector.
    common = _common_prefix(cpcs)
    within = _prefixes("cpc", common) if common else ()
    parts = tuple(f"cpc:{c}" for c in cpcs) if len(cpcs) > 1 else ()
    return ServiceRef(
        "w120",
        sector.code,
        sector.name,
        tuple(f"w120:{c}" for c in path),
        within=within,
        parts=parts,
        crosswalk_note="W/120 provisional CPC concordance" if cpcs else None,
    )


def _common_prefix(codes: tuple[str, ...]) -> str:
    if not codes:
        return ""
    first = codes[0]
    size = next(
        (n for n in range(len(first)) if any(c[: n + 1] != first[: n + 1] for c in codes)),
        len(first),
    )
    return first[:size]


def _prefixes(system: str, digits: str) -> tuple[str, ...]:
    return tuple(f"{system}:{digits[:n]}" for n in range(len(digits), 0, -1))


@cache
def _known_cpc() -> dict[str, str]:
    return {c: f"cpc:{c} ({s.code} {s.name})" for s in w120_sectors() for c in s.cpc_codes}


def _cpc(code: str) -> ServiceRef:
    digits = code.strip()
    known = _known_cpc()
    if not digits.isdigit() or not any(k.startswith(digits) or digits.startswith(k) for k in known):
        close = suggestions(digits, known)
        hint = "did you mean: " + "; ".join(close) + "? " if close else ""
        hint += "use a provisional CPC code that W/120 names (see `servtrade vocab w120`)"
        raise UnknownCodeError(
            f"unknown CPC code {digits!r}",
            errors=[
                ErrorDetail("is not a known CPC code", field="service", value=digits, hint=hint)
            ],
            hint=hint,
        )
    covering = [s for s in w120_for_cpc(digits) if any(digits.startswith(c) for c in s.cpc_codes)]
    within = tuple(k for s in covering for k in _w120(s.code).path)
    label = covering[0].name if covering else f"CPC {digits}"
    return ServiceRef(
        "cpc",
        digits,
        label,
        _prefixes("cpc", digits),
        within=tuple(dict.fromkeys(within)),
        crosswalk_note="W/120 provisional CPC concordance" if covering else None,
    )


@cache
def _gbt_w120() -> dict[str, tuple[str, ...]]:
    path = bundled_data_dir() / "measures" / "crosswalks" / "gbt4754_2017_w120.yaml"
    data = load_yaml(Path(path))
    return {str(k): tuple(str(c) for c in (v or ())) for k, v in data["w120"].items()}


def _gbt(code: str) -> ServiceRef:
    match = _GBT.match(code.strip())
    if not match or not (match.group(1) or match.group(2)):
        resolve_gbt4754(code)  # raises with suggestions
    assert match is not None
    letter, digits = match.group(1), match.group(2) or ""
    section = resolve_gbt4754(letter or digits[:2])
    if digits and not section.contains(int(digits[:2])):
        resolve_gbt4754(f"{section.section}{digits}")  # raises: division outside the section
    path = [section.section + digits[:n] for n in range(len(digits), 1, -1)] + [section.section]
    approx = [k for w in _gbt_w120().get(section.section, ()) for k in _w120(w).path]
    approx += [k for e in section.ebops_codes for k in _ebops(e).path]
    label = section.name_en + (f", division {digits[:2]}" if digits else "")
    label += f", class {digits}" if len(digits) > 2 else ""
    return ServiceRef(
        "gbt4754",
        path[0],
        label,
        tuple(f"gbt4754:{c}" for c in path),
        approx=tuple(dict.fromkeys(approx)),
        crosswalk_note="approximate GB/T 4754 section correspondences",
    )


_RESOLVERS = {"ebops": _ebops, "cpc": _cpc, "w120": _w120, "gbt4754": _gbt}
