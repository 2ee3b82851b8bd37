"""``/observatory``: pick an economy, item and flow; see the series as a chart, a table with
year-on-year growth and the provenance of every value, and the datasets loaded (server-rendered;
no script). The economy profile is at ``/observatory/profile``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from servtrade.errors import ServtradeError
from servtrade.stats import charts
from servtrade.stats.overview import SeriesView, dataset_status, item_label, series_view
from servtrade.stats.store import open_store
from servtrade.vocab.ebops import aggregates, ebops_tree
from servtrade.vocab.economies import all_economies
from servtrade.web import i18n
from servtrade.web.deps import SettingsDep
from servtrade.web.templating import page_lang, templates

router = APIRouter(include_in_schema=False)

FLOWS = ("exports", "imports", "balance", "total")
Flow = Literal["exports", "imports", "balance", "total"]
Text = Annotated[str, Query(min_length=1, max_length=80)]


def item_choices() -> list[tuple[str, str]]:
    """Total services, its main EBOPS items and the named aggregates, as (code, English label);
    the page shows each in its language with the ``item`` filter."""
    codes = ["S", *(i.code for i in ebops_tree().standard_children("S")), *aggregates()]
    return [(c, item_label(c)) for c in codes]


def series_title(view: SeriesView, locale: str) -> str:
    """The series title ("China: Total EBOPS 2010 Services, exports") in the page's language."""
    cat = i18n.catalogue(locale)
    return cat.t(
        "obs.series_title", economy=i18n.economy_name(view.reporter, locale),
        item=i18n.item_name(view.item, locale, view.item_label), flow=cat.t(f"flow.{view.flow}"),
    )  # fmt: skip


def chart_svg(view: SeriesView, title: str | None = None, lang: str = "en") -> str | None:
    """The yearly series as inline SVG (None when it has no yearly values); the chart's own
    texts (axis titles, source line) in ``lang``."""
    if not view.chart_rows:
        return None
    spec = charts.series_with_growth(
        view.chart_rows, title=title or view.title, unit=view.chart_unit,
        source=view.chart_source, lang=lang,
    )  # fmt: skip
    return charts.render(spec, "svg").decode()


@router.get("/observatory", response_class=HTMLResponse)
def observatory(  # noqa: PLR0917 - one parameter per form field
    request: Request,
    settings: SettingsDep,
    economy: Text = "CHN",
    item: Text = "S",
    flow: Flow = "exports",
    unit: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    store = open_store(settings)
    context: dict[str, Any] = {
        "form": {"economy": economy, "item": item, "flow": flow, "unit": unit},
        "items": item_choices(),
        "flows": FLOWS,
        "economies": all_economies(include_aggregates=True),
        "datasets": dataset_status(store),
        "view": None,
        "svg": None,
        "error": None,
        "units": [unit] if unit else [],
    }
    status = 200
    try:
        view = series_view(store, economy, item, flow, unit or None)
        lang = page_lang(request)
        title = series_title(view, lang)
        context.update(view=view, title=title, svg=chart_svg(view, title, lang), units=view.units)
        context["chart_unit"] = charts.unit_text(view.chart_unit, lang)
    except ServtradeError as exc:
        context["error"] = exc
        status = exc.status
    return templates.TemplateResponse(
        request, "observatory/index.html", context, status_code=status
    )
