"""API and import shapes of the fair (``XCreate`` / ``XUpdate`` / ``XPublic``), apart from tables.

Codes are normalised on the way in: EBOPS 2010 items (letter or UN Comtrade code) to their
letter code, economies (code, alias, English or Chinese name) to ISO alpha-3, modes to 1..4.
A code nobody knows fails validation with the vocabulary's suggestions in the message.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Generic, Literal, TypeVar, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from servtrade.errors import ServtradeError
from servtrade.vocab.ebops import resolve_ebops
from servtrade.vocab.economies import resolve_economy

T = TypeVar("T")

Role = Literal["exhibitor", "buyer", "visitor", "partner", "speaker"]
OrganisationKind = Literal["enterprise", "government", "international_organisation", "association"]
Size = Literal["small", "medium", "large"]
Visibility = Literal["public", "participants", "hidden"]
ListingCategory = Literal[
    "algorithm",
    "logistics",
    "payments",
    "customs_clearance",
    "inspection",
    "digital_service",
    "professional_service",
]
LISTING_CATEGORIES_ALL: tuple[str, ...] = get_args(ListingCategory)
_SPLIT = re.compile(r"[;,|]")


def split_list(value: Any) -> Any:
    """``"a; b, c"`` → ``["a", "b", "c"]`` (CSV cells); lists pass through; blank → ``[]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in _SPLIT.split(value) if p.strip()]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    return value


def _ebops(value: Any) -> str:
    try:
        return resolve_ebops(str(value).strip()).code
    except ServtradeError as exc:
        raise ValueError(str(exc)) from None


def _economy(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return resolve_economy(str(value).strip()).alpha3
    except ServtradeError as exc:
        raise ValueError(str(exc)) from None


def _mode(value: Any) -> int:
    text = str(value).strip().lower().removeprefix("mode").strip()
    if text.endswith(".0"):  # spreadsheets turn 2 into 2.0
        text = text[:-2]
    if text not in {"1", "2", "3", "4"}:
        raise ValueError(f"{value!r} is not a GATS mode of supply; use 1, 2, 3 or 4")
    return int(text)


def _flag(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"", "0", "no", "n", "false"}:
            return False
        if text in {"1", "yes", "y", "true"}:
            return True
    return value


Ebops = Annotated[str, BeforeValidator(_ebops)]
EconomyCode = Annotated[str | None, BeforeValidator(_economy)]
Mode = Annotated[int, BeforeValidator(_mode)]
Modes = Annotated[list[Mode], BeforeValidator(split_list)]
Markets = Annotated[list[Annotated[str, BeforeValidator(_economy)]], BeforeValidator(split_list)]
Sectors = Annotated[list[Ebops], BeforeValidator(split_list)]
Roles = Annotated[list[Role], BeforeValidator(split_list)]
Flag = Annotated[bool, BeforeValidator(_flag)]
ExternalId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S(.*\S)?$")]


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class OrganisationCreate(_In):
    external_id: ExternalId
    name: str = Field(min_length=1, max_length=300)
    economy: EconomyCode = None
    kind: OrganisationKind = "enterprise"
    size: Size = "medium"
    fortune_global_500: Flag = False
    sectors: Sectors = []
    description: str = ""


class OrganisationUpdate(_In):
    name: str | None = Field(None, min_length=1, max_length=300)
    size: Size | None = None
    fortune_global_500: Flag | None = None
    description: str | None = None


class OrganisationPublic(OrganisationCreate):
    id: int
    synthetic: bool


class ParticipantCreate(_In):
    external_id: ExternalId
    person_name: str = Field(min_length=1, max_length=200)
    organisation: ExternalId = Field(description="external id of the organisation")
    roles: Roles = Field(min_length=1)
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    consent_matchmaking: Flag = True
    visibility: Visibility = "public"


class ParticipantUpdate(_In):
    consent_matchmaking: Flag | None = None
    visibility: Visibility | None = None


class ParticipantPublic(BaseModel):
    id: int
    fair_id: int
    external_id: str
    person_name: str
    email: str | None = Field(
        None,
        description="Shown only to the participant's own organisation, the fair's "
        "organiser, or anyone when the participant consented to share contact details.",
    )
    organisation_id: int
    organisation: str
    economy: str | None
    roles: list[str]
    visibility: str
    synthetic: bool


class _ItemCreate(_In):
    external_id: ExternalId
    participant: ExternalId = Field(description="external id of the participant")
    ebops: Ebops
    w120: str | None = Field(None, max_length=20)
    modes: Modes = Field(min_length=1)
    markets: Markets = []
    description: str = ""
    size: Size = "medium"


class OfferCreate(_ItemCreate):
    """An exhibitor's offer; ``markets`` are target markets (empty: any)."""


class NeedCreate(_ItemCreate):
    """A buyer's need; ``markets`` are acceptable origins of the provider (empty: any)."""


class ItemPublic(BaseModel):
    id: int
    external_id: str
    participant_id: int
    ebops: str
    ebops_label: str
    modes: list[int]
    markets: list[str]
    description: str
    size: str


class ListingCreate(_In):
    external_id: ExternalId
    organisation: ExternalId = Field(description="external id of the organisation")
    category: ListingCategory
    title: str = Field(min_length=1, max_length=300)
    ebops: Ebops | None = None
    modes: Modes = []
    markets: Markets = []
    description: str = ""
    url: str | None = Field(None, max_length=500, pattern=r"^https?://\S+$")


class ListingPublic(BaseModel):
    id: int
    external_id: str
    organisation: str
    economy: str | None
    category: str
    title: str
    ebops: str | None
    modes: list[int]
    markets: list[str]
    description: str
    url: str | None
    synthetic: bool


class FairPublic(BaseModel):
    id: int
    name: str
    edition: int | None
    city: str
    host_economy: str | None
    theme: str
    starts_on: date | None
    ends_on: date | None
    synthetic: bool


class ExhibitorPublic(BaseModel):
    participant_id: int
    organisation: str
    economy: str | None
    kind: str
    zone: str | None
    booth: str | None
    services: list[str]
    fortune_global_500: bool
    synthetic: bool


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int


class FactorPublic(BaseModel):
    name: str
    weight: float
    value: float
    contribution: float
    evidence: str


class RecommendationPublic(BaseModel):
    participant_id: int
    person_name: str
    organisation: str
    economy: str | None
    role: str
    score: float
    factors: list[FactorPublic]
    flagged: bool
    verdict: str | None
    citations: list[str]
    offer_id: int
    need_id: int


class RecommendationsPublic(BaseModel):
    participant_id: int
    fair_id: int
    synthetic: bool
    weights: dict[str, float]
    notes: list[str]
    recommendations: list[RecommendationPublic]


class TopEconomies(BaseModel):
    """Which of the top services-trading economies exhibit; names the ranking's dataset and year."""

    available: bool
    dataset: str
    year: int | None
    of: int
    present: int | None
    economies_present: list[str]
    note: str


class FairKpis(BaseModel):
    """The fair's key figures, computed from the database as CIFTIS reports them."""

    fair_id: int
    fair: str
    synthetic: bool
    exhibitors: int
    economies: int
    international_organisations: int
    economies_and_international_organisations: int
    international_share: float
    top_economies: TopEconomies
    fortune_global_500: int
    registered_organisations: int
    buyers: int
    offers: int
    needs: int
    launches: int
    partners_by_sector: dict[str, int]
    meetings_requested: int
    meetings_accepted: int
    meetings_held: int
    no_show_rate: float | None
    deals: int
    deals_signed: int
    deal_value: dict[str, float]
    computed_from: str


class ImportReport(BaseModel):
    """What an import did: every row was valid, and each was inserted, updated or unchanged."""

    kind: str
    file: str
    fair_id: int | None
    rows: int
    inserted: int
    updated: int
    unchanged: int
