"""Load regimes, lists and measures from YAML or CSV, validated, into a :class:`Rulebook`.

Layout: ``<root>/<economy>/regime.yaml`` (one per economy) and any number of list files
``<root>/<economy>/*.yaml`` or ``*.csv`` beside it; ``<root>/dpa_vocabulary.yaml`` types
data-transfer measures. The bundled root is ``data/measures``; imported lists live in
``<data_dir>/measures`` and are loaded on top. Every problem is a DataFileError naming the file,
the line, the item (list or measure id) and the field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from servtrade.config import bundled_data_dir
from servtrade.rules.book import Rulebook
from servtrade.rules.fields import LineDict, Record, data_error
from servtrade.rules.model import ListEdition, Measure, Regime
from servtrade.rules.records import list_from, measure_from, regime_from

CSV_COLUMNS = (
    "list_id",
    "id",
    "item",
    "section_zh",
    "whole",
    "part",
    "activity",
    "mapping",
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
    "reference_document",
    "reference_item",
    "reference_url",
    "summary_en",
    "summary_en_is_paraphrase",
    "text_zh",
    "text_zh_source",
    "verification",
)
REQUIRED_CSV = (
    "list_id",
    "id",
    "item",
    "modes",
    "kind",
    "binds",
    "effect",
    "reference_document",
    "reference_item",
    "summary_en",
    "verification",
    "activity",
)


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember their line (for error messages)."""


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    found = LineDict(loader.construct_mapping(node, deep=True))
    found.line = node.start_mark.line + 1
    found.lines = {
        loader.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value
    }
    return found


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path) -> Any:
    """Parse a YAML file (safe loader); syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise data_error(str(path), f"cannot be read ({exc})") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise data_error(
            str(path), f"is not valid YAML ({getattr(exc, 'problem', exc)})", line=line
        ) from exc


def _top(path: Path, data: Any, key: str) -> Record:
    if not isinstance(data, Mapping) or not isinstance(data.get(key), Mapping):
        raise data_error(str(path), f"must have a top-level mapping {key!r}", field=key, line=1)
    value = data[key]
    return Record(value, str(path), getattr(value, "line", None), None)


def load_regime(path: Path) -> Regime:
    return regime_from(_top(path, read_yaml(path), "regime"))


def load_dpa(path: Path) -> dict[int, str]:
    """DPA intervention types by id (the MIT notice stays in the file)."""
    rec = _top(path, read_yaml(path), "intervention_types")
    return {int(k): rec.sub(k).text("name") for k in rec.values}


@dataclass
class Parsed:
    """What the files of one or more roots contain, before it becomes a rulebook."""

    regimes: dict[str, Regime] = field(default_factory=dict)
    lists: dict[str, ListEdition] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    dpa: dict[int, str] = field(default_factory=dict)
    folders: dict[str, str] = field(default_factory=dict)  # economy -> folder with its regime.yaml


def read_list_file(path: Path, parsed: Parsed) -> tuple[ListEdition | None, list[Measure]]:
    """One YAML or CSV list file: a list header and/or measures of a list."""
    if path.suffix.lower() == ".csv":
        return None, _read_csv(path, parsed)
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise data_error(
            str(path), "must be a mapping with 'list' (or 'list_id') and 'measures'", line=1
        )
    edition = list_from(_top(path, data, "list"), parsed.regimes) if "list" in data else None
    list_id = edition.id if edition else str(data.get("list_id") or "")
    target = edition or _known_list(path, parsed, list_id, getattr(data, "line", 1))
    raw = data.get("measures") or []
    if not isinstance(raw, list):
        raise data_error(str(path), "must be a list", field="measures", line=1)
    records = [_measure_record(path, entry, n) for n, entry in enumerate(raw)]
    return edition, [_measure(rec, target, parsed) for rec in records]


def _known_list(path: Path, parsed: Parsed, list_id: str, line: int | None) -> ListEdition:
    found = parsed.lists.get(list_id)
    if found is None:
        raise data_error(
            str(path),
            "names no known list" if list_id else "is missing",
            line=line,
            field="list_id",
            value=list_id or None,
            hint="give a 'list:' header, or list_id of a loaded list: " + ", ".join(parsed.lists),
        )
    return found


def _measure_record(path: Path, entry: Any, n: int) -> Record:
    line = getattr(entry, "line", None)
    if not isinstance(entry, Mapping):
        raise data_error(
            str(path), "must be a mapping", field=f"measures[{n}]", line=line, value=entry
        )
    label = f"measure {entry.get('id') or f'#{n + 1}'}" + (
        f" (item {entry['item']})" if entry.get("item") else ""
    )
    return Record(entry, str(path), line, label)


def _measure(rec: Record, edition: ListEdition, parsed: Parsed) -> Measure:
    return measure_from(rec, edition, parsed.regimes[edition.economy], parsed.dpa)


def _read_csv(path: Path, parsed: Parsed) -> list[Measure]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED_CSV if c not in (reader.fieldnames or [])]
            if missing:
                raise data_error(
                    str(path),
                    "is a missing column",
                    line=1,
                    field=missing[0],
                    hint="columns: " + ", ".join(CSV_COLUMNS),
                )
            rows = [(reader.line_num, dict(row)) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise data_error(str(path), f"is not a readable UTF-8 CSV file ({exc})") from exc
    found = []
    for line, row in rows:
        rec = Record(
            _nest(row), str(path), line, f"measure {row.get('id') or '?'} (item {row.get('item')})"
        )
        edition = _known_list(path, parsed, (row.get("list_id") or "").strip(), line)
        found.append(_measure(rec, edition, parsed))
    return found


def _nest(row: Mapping[str, str | None]) -> dict[str, Any]:
    """A flat CSV row in the nested shape of a YAML measure."""
    flat = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
    value: dict[str, Any] = {
        k: v for k, v in flat.items() if v not in (None, "") and k in CSV_COLUMNS
    }
    value.pop("list_id", None)
    value["sector"] = {
        k: value.pop(k)
        for k in ("section_zh", "whole", "part", "activity", "mapping")
        if k in value
    }
    value["reference"] = {
        k.removeprefix("reference_"): value.pop(k)
        for k in ("reference_document", "reference_item", "reference_url")
        if k in value
    }
    return value


def collect(roots: Sequence[Path], skip: Iterable[Path] = ()) -> Parsed:
    """Read every root in order (later roots add to earlier ones); duplicates are errors."""
    parsed = Parsed()
    skipped = {p.resolve() for p in skip}
    for root in roots:
        if (root / "dpa_vocabulary.yaml").is_file():
            parsed.dpa.update(load_dpa(root / "dpa_vocabulary.yaml"))
        for regime_path in sorted(root.glob("*/regime.yaml")):
            regime = load_regime(regime_path)
            parsed.regimes[regime.economy] = regime
            parsed.folders[regime.economy] = regime_path.parent.name
        files = sorted(
            p
            for p in root.glob("*/*")
            if p.suffix.lower() in (".yaml", ".yml", ".csv")
            and p.name != "regime.yaml"
            and p.parent.name in parsed.folders.values()
            and p.resolve() not in skipped
        )
        # Headers first, so a file that only adds measures may name a list defined in another.
        files.sort(key=lambda p: p.suffix.lower() == ".csv" or "list:" not in _head(p))
        for path in files:
            add_file(path, parsed)
    return parsed


def _head(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return ""


def add_file(path: Path, parsed: Parsed) -> list[Measure]:
    """Add one list file to ``parsed``; returns the measures it held."""
    edition, measures = read_list_file(path, parsed)
    if edition is not None:
        if edition.id in parsed.lists:
            raise data_error(
                str(path),
                f"list is also defined in {parsed.lists[edition.id].source}",
                field="list.id",
                value=edition.id,
                hint="use one file per list, or list_id",
            )
        parsed.lists[edition.id] = edition
    for measure in measures:
        if measure.id in parsed.measures:
            raise data_error(
                str(path),
                f"measure id is also used in {parsed.measures[measure.id].source}",
                line=int(str(measure.source).rsplit(":", 1)[-1])
                if ":" in str(measure.source)
                else None,
                field="id",
                value=measure.id,
                hint="measure ids must be unique",
            )
        parsed.measures[measure.id] = measure
    return measures


def build(parsed: Parsed) -> Rulebook:
    """Check cross-file facts (counts, reported absences) and make the rulebook."""
    book = Rulebook(parsed.regimes, parsed.lists, parsed.measures.values(), parsed.dpa)
    for edition in book.lists.values():
        count = len(book.measures_of(edition.id))
        if edition.measures_in_text is not None and count > edition.measures_in_text:
            raise data_error(
                str(edition.source),
                f"list has {count} measures encoded, more than in the text",
                item=edition.id,
                field="measures_in_text",
                value=edition.measures_in_text,
            )
        for measure_id, _ in edition.reported_absent:
            if measure_id not in book.measures:
                raise data_error(
                    str(edition.source),
                    "names no loaded measure",
                    item=edition.id,
                    field="reported_absent",
                    value=measure_id,
                )
    return book


def bundled_root() -> Path:
    return bundled_data_dir() / "measures"


def load_rulebook(roots: Iterable[Path] | None = None) -> Rulebook:
    """The rulebook from the bundled data plus any extra roots (e.g. imported lists)."""
    extra = [r for r in (roots or ()) if r.is_dir()]
    return build(collect([bundled_root(), *extra]))


@cache
def default_rulebook() -> Rulebook:
    """The bundled rulebook, loaded once per process."""
    return load_rulebook()


def rulebook_for(extra_root: Path) -> Rulebook:
    """Bundled rules plus ``extra_root``, reloaded only when a file there changes."""
    stamp: tuple[tuple[str, int], ...] = ()
    if extra_root.is_dir():
        stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in extra_root.glob("*/*")))
    return _cached(str(extra_root), stamp)


@lru_cache(maxsize=8)
def _cached(root: str, stamp: tuple[tuple[str, int], ...]) -> Rulebook:
    del stamp  # part of the cache key only
    return load_rulebook([Path(root)])
