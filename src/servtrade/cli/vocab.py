"""``servtrade vocab``: browse the classifications (EBOPS 2010, economies, modes, W/120)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer

from servtrade.cli.output import FORMAT_OPTION, Format, errors_exit, render_rows
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import all_economies, search_economies
from servtrade.vocab.gbt4754 import gbt4754_sections
from servtrade.vocab.modes import modes
from servtrade.vocab.w120 import w120_sectors

app = typer.Typer(
    help="Browse the classifications: EBOPS 2010 services, economies, GATS modes, W/120 sectors.",
    no_args_is_help=True,
)

EBOPS_COLUMNS = (
    "code", "label", "name_zh", "parent", "level", "comtrade_code", "breakdown", "partition",
    "note",
)  # fmt: skip
SEARCH_OPTION = typer.Option(
    None, "--search", "-s", help="Only rows whose code or name contains this text."
)


def _matches(row: dict[str, Any], text: str | None, fields: Sequence[str]) -> bool:
    if not text:
        return True
    query = text.strip().casefold()
    return any(query in str(row.get(f) or "").casefold() for f in fields)


def _show(
    load: Callable[[], list[dict[str, Any]]],
    fmt: Format,
    title: str,
    columns: Sequence[str],
    *,
    search: str | None = None,
    fields: Sequence[str] = (),
) -> None:
    with errors_exit():
        rows = [r for r in load() if _matches(r, search, fields)]
    render_rows(rows, fmt, title=title, columns=columns)


@app.command("ebops")
def ebops(search: str | None = SEARCH_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the EBOPS 2010 items: code, full label, Chinese name (where China's official
    statistics publish the item), parent, level, UN Comtrade code, role."""
    _show(
        lambda: [i.to_dict() for i in ebops_tree().items()],
        fmt,
        "EBOPS 2010",
        EBOPS_COLUMNS,
        search=search,
        fields=("code", "comtrade_code", "label", "name_zh"),
    )


@app.command("economies")
def economies(
    search: str | None = SEARCH_OPTION,
    aggregates_too: bool = typer.Option(
        False, "--aggregates", help="Also list aggregates (World, regions, income groups)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List economies with ISO codes, English and Chinese names, World Bank region and income."""

    def load() -> list[dict[str, Any]]:
        found = search_economies(search, include_aggregates=True) if search else None
        if found is None:
            found = all_economies(include_aggregates=aggregates_too)
        return [e.to_dict() for e in found]

    columns = ("alpha2", "alpha3", "numeric", "name_en", "name_zh", "region", "income_group")
    _show(load, fmt, "Economies", (*columns, "is_aggregate"))


@app.command("modes")
def gats_modes(fmt: Format = FORMAT_OPTION) -> None:
    """List the four GATS modes of supply and whether China's cross-border lists cover them."""
    columns = ("mode", "name_en", "name_zh", "gats_article", "in_cn_cross_border_negative_list")
    _show(lambda: [m.to_dict() for m in modes()], fmt, "GATS modes", (*columns, "definition"))


@app.command("w120")
def w120(search: str | None = SEARCH_OPTION, fmt: Format = FORMAT_OPTION) -> None:
    """List the WTO W/120 sectors with provisional CPC codes and how far each row is verified."""
    _show(
        lambda: [s.to_dict() for s in w120_sectors()],
        fmt,
        "WTO services sectoral classification (MTN.GNS/W/120)",
        ("code", "name", "parent", "cpc_prov", "verification"),
        search=search,
        fields=("code", "name", "cpc_prov"),
    )


@app.command("aggregates")
def named_aggregates(fmt: Format = FORMAT_OPTION) -> None:
    """List the named EBOPS aggregates (knowledge-intensive, digitally deliverable) and sources."""
    _show(
        lambda: [a.to_dict() for a in aggregates().values()],
        fmt,
        "EBOPS aggregates",
        ("id", "name", "name_zh", "items", "source", "source_url", "notes"),
    )


@app.command("gbt4754")
def gbt4754(fmt: Format = FORMAT_OPTION) -> None:
    """List the GB/T 4754-2017 sections with their divisions and approximate EBOPS items."""
    _show(
        lambda: [s.to_dict() for s in gbt4754_sections()],
        fmt,
        "GB/T 4754-2017 sections",
        ("section", "name_zh", "name_en", "division_from", "division_to", "ebops_codes"),
    )
