"""Build an economy profile: headline figures, growth, composition, restrictiveness, regimes.

Every figure keeps its dataset, vintage and published source; every chart carries a source
line. What the store cannot answer is listed in ``Profile.gaps``, never silently left out.
"""

from __future__ import annotations

from datetime import date

from servtrade.briefing import context, figures, structure
from servtrade.briefing.model import Profile, annual
from servtrade.config import Settings, shared_data_dir
from servtrade.rules.book import Rulebook
from servtrade.rules.loader import default_rulebook
from servtrade.rules.stri import StriContext
from servtrade.stats.store import Store, open_store
from servtrade.vocab.economies import resolve_economy


def latest_year(store: Store, economy: str, unit: str | None) -> int | None:
    found = annual(store, economy, "S", "exports", unit)
    return int(found[-1].period) if found else None


def build_profile(
    store: Store,
    book: Rulebook,
    stri: StriContext | None,
    economy: str,
    *,
    year: int | None = None,
    on: date | None = None,
    lang: str = "en",
) -> Profile:
    """The profile of ``economy`` for ``year`` (default: the latest year with exports); the
    charts' own texts (axes, legends, source line) in ``lang``."""
    econ = resolve_economy(economy)
    unit = figures.main_unit(store, econ.code)
    chosen = year or latest_year(store, econ.code, unit) or date.today().year - 1
    p = Profile(economy=econ, year=chosen, unit=unit, lang=lang)
    figures.headline(store, p)
    figures.growth(store, p)
    figures.composition(store, p)
    structure.knowledge_share(store, p)
    structure.partners(store, p)
    structure.advantage(store, p)
    figures.ip_charges(store, p)
    context.restrictiveness(stri, p)
    context.regimes(book, p, on or date(chosen, 12, 31))
    return p


def profile_for(
    settings: Settings,
    economy: str,
    *,
    year: int | None = None,
    on: date | None = None,
    lang: str = "en",
) -> Profile:
    """The profile of ``economy`` from the store, rules and shared STRI data of ``settings``."""
    shared = shared_data_dir(settings)
    return build_profile(
        open_store(settings),
        default_rulebook(),
        StriContext(shared) if shared else None,
        economy,
        year=year,
        on=on,
        lang=lang,
    )
