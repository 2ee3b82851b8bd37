"""EBOPS 2010, the Extended Balance of Payments Services classification, as a tree.

Data: ``data/classifications/ebops2010.csv`` (built by ``scripts/build_ebops.py`` from UN
Comtrade's reference lists) and ``aggregates.yaml`` (named groups such as knowledge-intensive
services). Each item knows how it relates to its parent (``partition``) and whether it belongs to
the standard, non-overlapping breakdown of total services (``breakdown``), so sums never
double-count alternative presentations, memorandum or "of which" items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from servtrade.vocab.datafile import Row, classification_path, data_error, load_rows, load_yaml
from servtrade.vocab.suggest import unknown

Breakdown = Literal["standard", "alternative", "supplementary"]
BREAKDOWNS: tuple[Breakdown, ...] = ("standard", "alternative", "supplementary")
# How a child relates to its parent: the main exhaustive breakdown, a named alternative
# exhaustive breakdown, a non-exhaustive part, an "of which" item, or a memorandum item.
PARTITIONS = ("main", "by_type", "by_mode", "by_product", "part", "of_which", "memo")
ALTERNATIVE_PARTITIONS = ("by_type", "by_mode", "by_product")
COLUMNS = ("code", "label", "parent", "level", "comtrade_code", "breakdown", "partition", "note")
ROOT = "S"
# ``name_zh`` is an optional column (older tables without it still load); a value there must be
# the Chinese term, i.e. hold at least one CJK ideograph (Unified Ideographs and Extension A).
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class EbopsItem:
    """One EBOPS 2010 item: SDMX/BPM6 letter code, full label, place in the tree.

    ``name_zh`` is the term of China's official BPM6 services statistics, where they publish
    the item (see ``data/classifications/SOURCES.md``); ``None`` elsewhere.
    """

    code: str
    label: str
    parent: str | None
    level: int
    comtrade_code: str
    breakdown: Breakdown
    partition: str = "main"
    note: str | None = None
    name_zh: str | None = None

    def name(self, locale: str = "en") -> str:
        """The Chinese name for ``zh`` when there is one, else the English label."""
        return self.name_zh if locale == "zh" and self.name_zh else self.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "name_zh": self.name_zh,
            "parent": self.parent,
            "level": self.level,
            "comtrade_code": self.comtrade_code,
            "breakdown": self.breakdown,
            "partition": self.partition,
            "note": self.note,
        }


def _item(row: Row) -> EbopsItem:
    breakdown: Breakdown = row.choice("breakdown", BREAKDOWNS)  # type: ignore[assignment]
    return EbopsItem(
        code=row.text("code"),
        label=row.text("label"),
        parent=row.optional("parent"),
        level=row.integer("level"),
        comtrade_code=row.text("comtrade_code"),
        breakdown=breakdown,
        partition=row.choice("partition", PARTITIONS),
        note=row.optional("note"),
        name_zh=_name_zh(row),
    )


def _name_zh(row: Row) -> str | None:
    value = row.optional("name_zh")
    if value is not None and not CHINESE.search(value):
        raise row.error(
            "name_zh",
            value,
            "is not a Chinese name",
            hint="write the term of China's official statistics, or leave it empty so the "
            "English label shows",
        )
    return value


class EbopsTree:
    """The EBOPS 2010 items with lookups by letter code or UN Comtrade code."""

    def __init__(self, items: list[EbopsItem], source: Path) -> None:
        self._items = {i.code: i for i in items}
        self._keys: dict[str, str] = {}
        self._children: dict[str, list[str]] = {i.code: [] for i in items}
        self._distances: dict[tuple[str, str], int] = {}
        for line, item in enumerate(items, start=2):
            self._index(item, line, source)
        _validate_tree(self, source)

    def _index(self, item: EbopsItem, line: int, source: Path) -> None:
        for field, key in (("code", item.code), ("comtrade_code", item.comtrade_code)):
            if key.casefold() in self._keys:
                raise data_error(source, "is duplicated", line=line, field=field, value=key)
            self._keys[key.casefold()] = item.code
        if item.parent is not None:
            if item.parent not in self._children:
                raise data_error(
                    source,
                    "names no earlier row",
                    line=line,
                    field="parent",
                    value=item.parent,
                    hint="list parents before their children",
                )
            self._children[item.parent].append(item.code)

    def items(self) -> list[EbopsItem]:
        """All items, parents before children."""
        return list(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str | int) and str(code).strip().casefold() in self._keys

    def resolve(self, code: str | int) -> EbopsItem:
        """The item for a letter code (any case) or a UN Comtrade code (``8`` is ``SH``)."""
        text = str(code).strip()
        found = self._keys.get(text.casefold())
        if found is None:
            raise unknown(
                "EBOPS code",
                text,
                self._suggestable(),
                "use a code from `servtrade vocab ebops`, e.g. SH or 8",
            )
        return self._items[found]

    def _suggestable(self) -> dict[str, str]:
        shown = {k: f"{c} {self._items[c].label}" for k, c in self._keys.items()}
        shown.update({i.label.casefold(): f"{i.code} {i.label}" for i in self._items.values()})
        return shown

    def children(self, code: str) -> list[EbopsItem]:
        """Every child, whatever the breakdown it belongs to."""
        return [self._items[c] for c in self._children[self.resolve(code).code]]

    def standard_children(self, code: str) -> list[EbopsItem]:
        """The children that add up to ``code`` without overlap (its main breakdown).

        Empty when the item has no exhaustive main breakdown (a leaf, or only "of which" parts).
        """
        return [c for c in self.children(code) if c.partition == "main"]

    def alternative_children(self, code: str) -> dict[str, list[EbopsItem]]:
        """Other exhaustive breakdowns of ``code``, by name (``by_type``, ``by_mode`` ...)."""
        found: dict[str, list[EbopsItem]] = {}
        for child in self.children(code):
            if child.partition in ALTERNATIVE_PARTITIONS:
                found.setdefault(child.partition, []).append(child)
        return found

    def standard_leaves(self, code: str = ROOT) -> list[EbopsItem]:
        """The finest non-overlapping items that together make up ``code``."""
        kids = self.standard_children(code)
        if not kids:
            return [self.resolve(code)]
        return [leaf for kid in kids for leaf in self.standard_leaves(kid.code)]

    def ancestors(self, code: str) -> list[EbopsItem]:
        """Parent, grandparent ... up to the root ``S``."""
        found: list[EbopsItem] = []
        item = self.resolve(code)
        while item.parent is not None:
            item = self._items[item.parent]
            found.append(item)
        return found

    def descendants(self, code: str) -> list[EbopsItem]:
        """Every item below ``code`` (all breakdowns), depth first."""
        return list(self._walk(self.resolve(code).code))

    def _walk(self, code: str) -> Iterator[EbopsItem]:
        for child in self._children[code]:
            yield self._items[child]
            yield from self._walk(child)

    def distance(self, a: str, b: str) -> int:
        """Number of tree edges between two items (0 for the same item).

        Remembered: matchmaking asks for every pair of a fair's codes on each recommendation
        (bench/api_load.py), and the tree does not change."""
        found = self._distances.get((a, b))
        if found is None:
            found = self._distances[a, b] = self._distance(a, b)
        return found

    def _distance(self, a: str, b: str) -> int:
        up_a = [self.resolve(a).code, *(i.code for i in self.ancestors(a))]
        up_b = [self.resolve(b).code, *(i.code for i in self.ancestors(b))]
        common = next(c for c in up_a if c in up_b)
        return up_a.index(common) + up_b.index(common)

    def search(self, text: str) -> list[EbopsItem]:
        """Items whose code, Comtrade code, label or Chinese name contains ``text``
        (case-insensitive)."""
        query = text.strip().casefold()
        return [
            i
            for i in self._items.values()
            if query in i.code.casefold()
            or query == i.comtrade_code
            or query in i.label.casefold()
            or query in (i.name_zh or "")
        ]


def _validate_tree(tree: EbopsTree, source: Path) -> None:
    """Levels follow parents, exactly one root, roles consistent with the parent's."""
    roots = [i for i in tree.items() if i.parent is None]
    if [r.code for r in roots] != [ROOT]:
        raise data_error(
            source,
            "the tree must have exactly one root, S",
            field="parent",
            value=",".join(r.code for r in roots),
        )
    for line, item in enumerate(tree.items(), start=2):
        parent = tree.resolve(item.parent) if item.parent else None
        expected = parent.level + 1 if parent else 0
        if item.level != expected:
            raise data_error(
                source,
                f"should be {expected} (parent's level + 1)",
                line=line,
                field="level",
                value=item.level,
            )
        if parent and item.partition == "main" and item.breakdown != parent.breakdown:
            raise data_error(
                source,
                f"a main child takes its parent's role ({parent.breakdown})",
                line=line,
                field="breakdown",
                value=item.breakdown,
            )


def read_ebops(path: Path) -> EbopsTree:
    """Read and validate an EBOPS table laid out like ``ebops2010.csv``."""
    return EbopsTree(load_rows(path, COLUMNS, _item), path)


@cache
def ebops_tree() -> EbopsTree:
    """The EBOPS 2010 tree (read and validated once)."""
    return read_ebops(classification_path("ebops2010.csv"))


def resolve_ebops(code: str | int) -> EbopsItem:
    """Shortcut for ``ebops_tree().resolve(code)``."""
    return ebops_tree().resolve(code)


@dataclass(frozen=True)
class Aggregate:
    """A named group of EBOPS items (non-overlapping), with the source of its definition."""

    id: str
    name: str
    items: tuple[str, ...]
    source: str
    name_zh: str | None = None
    source_url: str | None = None
    aliases: tuple[str, ...] = ()
    notes: str | None = None

    def label(self, locale: str = "en") -> str:
        """The Chinese name for ``zh`` when there is one, else the English name."""
        return self.name_zh if locale == "zh" and self.name_zh else self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "name_zh": self.name_zh,
            "items": list(self.items),
            "source": self.source,
            "source_url": self.source_url,
            "aliases": list(self.aliases),
            "notes": self.notes,
        }


def _aggregate(path: Path, key: str, entry: Mapping[str, Any], tree: EbopsTree) -> Aggregate:
    if not isinstance(entry, Mapping):
        raise data_error(path, "must be a mapping", field=key, value=entry)
    for field in ("name", "items", "source"):
        if not entry.get(field):
            raise data_error(path, "is missing", field=f"{key}.{field}")
    items = tuple(str(i) for i in entry["items"])
    for code in items:
        if code not in tree:
            raise data_error(path, "is not an EBOPS 2010 code", field=f"{key}.items", value=code)
        overlap = [a.code for a in tree.ancestors(code) if a.code in items]
        if overlap:
            raise data_error(
                path,
                f"lies inside {overlap[0]}, also listed (double count)",
                field=f"{key}.items",
                value=code,
            )
    return Aggregate(
        id=key,
        name=str(entry["name"]),
        items=tuple(tree.resolve(i).code for i in items),
        source=str(entry["source"]),
        name_zh=entry.get("name_zh"),
        source_url=entry.get("source_url"),
        aliases=tuple(entry.get("aliases") or ()),
        notes=entry.get("notes"),
    )


@cache
def aggregates() -> dict[str, Aggregate]:
    """Named EBOPS aggregates by id (``knowledge_intensive``, ``digitally_deliverable`` ...)."""
    return read_aggregates(classification_path("aggregates.yaml"))


def read_aggregates(path: Path) -> dict[str, Aggregate]:
    """Read and validate an aggregates file laid out like ``aggregates.yaml``."""
    data = load_yaml(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("aggregates"), Mapping):
        raise data_error(path, "must have a top-level mapping 'aggregates'", field="aggregates")
    tree = ebops_tree()
    return {str(k): _aggregate(path, str(k), v, tree) for k, v in data["aggregates"].items()}


def resolve_aggregate(name: str) -> Aggregate:
    """An aggregate by id or alias (``knowledge-intensive`` is ``knowledge_intensive``)."""
    keys: dict[str, Aggregate] = {}
    for agg in aggregates().values():
        for key in (agg.id, *agg.aliases):
            keys[key.casefold()] = agg
    found = keys.get(name.strip().casefold())
    if found is None:
        raise unknown(
            "EBOPS aggregate",
            name,
            {k: v.id for k, v in keys.items()},
            "see `servtrade vocab aggregates`",
        )
    return found
