"""The web application: REST API under /api and the server-rendered dashboard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servtrade import __version__
from servtrade.config import Settings
from servtrade.db import make_session_factory, pooled_engine
from servtrade.web import errors as web_errors
from servtrade.web.api import accounts as accounts_api
from servtrade.web.api import claims as claims_api
from servtrade.web.api import health, stats_ingest, vocab
from servtrade.web.api import market as market_api
from servtrade.web.api import rules as rules_api
from servtrade.web.api import schedule as schedule_api
from servtrade.web.api import stats as stats_api
from servtrade.web.body_limit import BodyLimit
from servtrade.web.pages import accounts as accounts_page
from servtrade.web.pages import briefing as briefing_page
from servtrade.web.pages import claims as claims_page
from servtrade.web.pages import fair as fair_page
from servtrade.web.pages import fair_me, fair_organise, home, observatory_load
from servtrade.web.pages import observatory as observatory_page
from servtrade.web.pages import rules as rules_page
from servtrade.web.pages import schedule as schedule_page

WEB_DIR = Path(__file__).parent

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
}
# Swagger UI ships inline script; its page gets a looser policy, still with local assets only.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'"
)


def _swagger_assets() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def create_app(settings: Settings) -> FastAPI:
    """Build the app for ``settings``; nothing connects until the app starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = pooled_engine(settings.resolved_database_url, settings.db_pool_size)
        app.state.engine = engine
        app.state.session_factory = make_session_factory(engine)
        yield
        engine.dispose()

    app = FastAPI(
        title="servtrade API",
        version=__version__,
        description="Statistics, rules and fair matchmaking for cross-border trade in services.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    # Swagger UI's script and style come from an installed package, never from a CDN.
    app.mount("/static/vendor", StaticFiles(directory=_swagger_assets()), name="vendor")
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    web_errors.install(app)
    app.add_middleware(BodyLimit)
    app.include_router(health.router)
    app.include_router(vocab.router)
    app.include_router(home.router)
    app.include_router(briefing_page.router)
    app.include_router(accounts_api.router)
    app.include_router(accounts_page.router)
    app.include_router(rules_api.router)
    app.include_router(rules_page.router)
    app.include_router(claims_api.router)
    app.include_router(claims_page.router)
    app.include_router(stats_api.router)
    app.include_router(stats_ingest.router)
    app.include_router(observatory_page.router)
    app.include_router(observatory_load.router)
    app.include_router(market_api.router)
    app.include_router(fair_page.router)
    app.include_router(fair_me.router)
    app.include_router(fair_organise.router)
    app.include_router(schedule_api.router)
    app.include_router(schedule_page.assets)
    app.include_router(schedule_page.router)

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (a plain ASGI middleware: the
    ``@app.middleware`` kind costs an extra task and body stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] == "/api/docs"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if docs:
                    headers["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        await self.app(scope, receive, with_headers)
