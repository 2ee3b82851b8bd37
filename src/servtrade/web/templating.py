"""The Jinja2 environment shared by every page, and the one way a page is rendered.

Every page route calls ``templates.TemplateResponse(request, name, context)``; that call goes
through :meth:`PageTemplates.TemplateResponse`, which adds what the layout needs on every
page: ``lang`` (the signed-in user's language, else the ``servtrade_lang`` cookie, else
``Accept-Language``), ``csrf_token`` for the header's language switch (setting the anonymous
form nonce cookie when it is new), ``me`` (the signed-in user or ``None``) and ``here`` (the
path and query to come back to). Values a route passes itself win.

The signed-in user is looked up only when the request carries a validly signed session
cookie, so anonymous visitors cost no database query.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError
from starlette.background import BackgroundTask
from starlette.templating import _TemplateResponse

from servtrade import __version__
from servtrade.accounts.identity import Identity
from servtrade.accounts.sessions import resolve_session
from servtrade.accounts.signing import unsigned
from servtrade.config import Settings
from servtrade.web import i18n
from servtrade.web.auth import SESSION_COOKIE, FormGuard, form_guard, runtime_of

log = logging.getLogger("servtrade.web")
_UNSET = object()

# The main navigation: (path, message key); labels come from the catalogue.
NAV = [
    ("/", "nav.home"),
    ("/observatory", "nav.observatory"),
    ("/rules", "nav.rules"),
    ("/fair", "nav.fair"),
    ("/claims", "nav.claims"),
]


def page_identity(request: Request, settings: Settings) -> Identity | None:
    """The user of a signed session cookie (once per request), else ``None`` without a query.

    Pages only read the session cookie here (bearer tokens are for the API); a database that
    cannot be reached makes the page anonymous rather than turning an error page into a crash.
    """
    known = getattr(request.state, "page_identity", _UNSET)
    if known is not _UNSET:
        return cast("Identity | None", known)
    key = settings.secret_key.get_secret_value()
    secret = unsigned(key, "session", request.cookies.get(SESSION_COOKIE))
    identity = None
    if secret is not None:
        try:
            identity = resolve_session(
                request.app.state.session_factory, runtime_of(request), secret
            )
        except SQLAlchemyError as exc:
            log.warning("page rendered without the signed-in user: %s", exc)
    request.state.page_identity = identity
    return identity


def page_lang(request: Request) -> str:
    """The language of this page (for text a route makes itself, such as a chart title)."""
    identity = page_identity(request, request.app.state.settings)
    return i18n.request_locale(request, identity.locale if identity else None)


def here(request: Request) -> str:
    """The path and query of this page, for the language switch to return to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def page_context(request: Request, context: dict[str, Any]) -> FormGuard | None:
    """Fill in ``lang``, ``me``, ``csrf_token`` and ``here`` unless the route set them; the
    :class:`FormGuard` to apply to the response when a CSRF token was made here."""
    settings: Settings = request.app.state.settings
    if "me" not in context or "lang" not in context:
        identity = page_identity(request, settings)
        context.setdefault("me", identity)
        context.setdefault(
            "lang", i18n.request_locale(request, identity.locale if identity else None)
        )
    context.setdefault("here", here(request))
    if "csrf_token" in context:
        return None
    guard = form_guard(request, settings, context["me"])
    context["csrf_token"] = guard.token
    return guard


class PageTemplates(Jinja2Templates):
    """:class:`Jinja2Templates` whose every response carries the layout's context."""

    def TemplateResponse(  # noqa: N802, PLR0917 - Starlette's name and signature
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
        background: BackgroundTask | None = None,
    ) -> _TemplateResponse:
        context = dict(context or {})
        guard = page_context(request, context)
        response = super().TemplateResponse(
            request, name, context, status_code, headers, media_type, background
        )
        if guard is not None:
            guard.apply(response, request.app.state.settings)
        return response


templates = PageTemplates(directory=Path(__file__).parent / "templates")
templates.env.globals["version"] = __version__
templates.env.globals["nav"] = NAV
i18n.install(templates.env)
