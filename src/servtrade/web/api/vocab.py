"""``/api/vocab``: the classifications (EBOPS 2010, economies, GATS modes, W/120) over HTTP."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import all_economies, resolve_economy, search_economies
from servtrade.vocab.modes import modes
from servtrade.vocab.w120 import resolve_w120, w120_children, w120_sectors

router = APIRouter(prefix="/api/vocab", tags=["vocab"])

SearchQuery = Query(None, description="Only items whose code or name contains this text.")


class EbopsItemPublic(BaseModel):
    code: str = Field(description="SDMX/BPM6 letter code, e.g. SH")
    label: str
    name_zh: str | None = Field(
        default=None,
        description="Chinese name as in China's official BPM6 services statistics "
        "(SAFE, MOFCOM); null where they do not publish the item",
    )
    parent: str | None
    level: int
    comtrade_code: str = Field(description="UN Comtrade code, e.g. 8 for SH")
    breakdown: Literal["standard", "alternative", "supplementary"] = Field(
        description="standard items add up to total services without overlap"
    )
    partition: str = Field(description="how the item relates to its parent (main, by_type ...)")
    note: str | None


class EbopsItemDetail(EbopsItemPublic):
    ancestors: list[str]
    children: list[EbopsItemPublic]
    standard_children: list[str] = Field(description="children that add up to this item")


class AggregatePublic(BaseModel):
    id: str
    name: str
    name_zh: str | None
    items: list[str]
    source: str
    source_url: str | None
    aliases: list[str]
    notes: str | None


class EconomyPublic(BaseModel):
    alpha2: str | None
    alpha3: str
    numeric: str | None
    name_en: str
    name_zh: str | None
    region: str | None
    income_group: str | None
    is_aggregate: bool
    official_name: str | None


class GatsModePublic(BaseModel):
    mode: int
    name_en: str
    name_zh: str
    gats_article: str
    definition: str
    in_cn_cross_border_negative_list: bool
    note: str | None


class W120SectorPublic(BaseModel):
    code: str
    name: str
    parent: str | None
    level: int
    cpc_prov: str | None
    cpc_codes: list[str]
    cpc_excluded: list[str]
    verification: Literal["verified_excerpt", "from_memory_unverified"]


class W120SectorDetail(W120SectorPublic):
    children: list[W120SectorPublic]


@router.get("/ebops", response_model=list[EbopsItemPublic], summary="EBOPS 2010 items")
def list_ebops(search: str | None = SearchQuery) -> list[EbopsItemPublic]:
    tree = ebops_tree()
    items = tree.search(search) if search else tree.items()
    return [EbopsItemPublic.model_validate(i.to_dict()) for i in items]


@router.get("/ebops/{code}", response_model=EbopsItemDetail, summary="One EBOPS 2010 item")
def get_ebops(code: str) -> EbopsItemDetail:
    """By letter code (``SH``) or UN Comtrade code (``8``); 404 with suggestions if unknown."""
    tree = ebops_tree()
    item = tree.resolve(code)
    return EbopsItemDetail(
        **item.to_dict(),
        ancestors=[a.code for a in tree.ancestors(item.code)],
        children=[EbopsItemPublic.model_validate(c.to_dict()) for c in tree.children(item.code)],
        standard_children=[c.code for c in tree.standard_children(item.code)],
    )


@router.get("/aggregates", response_model=list[AggregatePublic], summary="Named EBOPS groups")
def list_aggregates() -> list[AggregatePublic]:
    return [AggregatePublic.model_validate(a.to_dict()) for a in aggregates().values()]


@router.get("/economies", response_model=list[EconomyPublic], summary="Economies")
def list_economies(
    search: str | None = SearchQuery,
    aggregates: bool = Query(False, description="Include World, regions and income groups."),
) -> list[EconomyPublic]:
    found = (
        search_economies(search, include_aggregates=aggregates)
        if search
        else all_economies(include_aggregates=aggregates)
    )
    return [EconomyPublic.model_validate(e.to_dict()) for e in found]


@router.get("/economies/{code}", response_model=EconomyPublic, summary="One economy")
def get_economy(code: str) -> EconomyPublic:
    """By ISO code, WDI code, alias, English or Chinese name; 404 with suggestions if unknown."""
    return EconomyPublic.model_validate(resolve_economy(code).to_dict())


@router.get("/modes", response_model=list[GatsModePublic], summary="GATS modes of supply")
def list_modes() -> list[GatsModePublic]:
    return [GatsModePublic.model_validate(m.to_dict()) for m in modes()]


@router.get("/w120", response_model=list[W120SectorPublic], summary="WTO W/120 sectors")
def list_w120(search: str | None = SearchQuery) -> list[W120SectorPublic]:
    query = (search or "").strip().casefold()
    return [
        W120SectorPublic.model_validate(s.to_dict())
        for s in w120_sectors()
        if query in s.code.casefold() or query in s.name.casefold() or query in (s.cpc_prov or "")
    ]


@router.get("/w120/{code}", response_model=W120SectorDetail, summary="One W/120 sector")
def get_w120(code: str) -> W120SectorDetail:
    sector = resolve_w120(code)
    children = [W120SectorPublic.model_validate(c.to_dict()) for c in w120_children(code)]
    return W120SectorDetail(**sector.to_dict(), children=children)
