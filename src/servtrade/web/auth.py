"""Who is calling, and may they: FastAPI dependencies over :mod:`servtrade.accounts`.

- :data:`OptionalIdentityDep` -- the caller from ``Authorization: Bearer st_...`` or the
  signed session cookie, or ``None`` for an anonymous caller. A bad bearer token is a 401.
- :data:`IdentityDep` -- the same, but an anonymous caller gets 401 in the one JSON shape.
  Cookie-authenticated writes to ``/api`` must send ``X-CSRF-Token``.
- :func:`require_role` / :func:`require_scope` -- 403 unless the caller has the role (admins
  always do) or the scope; ``require_scope`` also rate-limits writes per caller.
- :data:`CsrfDep` -- checks the synchroniser token of an HTML form post (hidden ``csrf_token``).

Protect a whole router with ``APIRouter(dependencies=[Depends(require_scope(Scope.READ))])``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from servtrade.accounts.identity import Identity
from servtrade.accounts.roles import Role, Scope
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.sessions import resolve_session
from servtrade.accounts.signing import new_secret, same, sign, signed, unsigned
from servtrade.accounts.tokens import resolve_token
from servtrade.config import Environment, Settings
from servtrade.errors import AuthenticationError, PermissionDeniedError
from servtrade.web.deps import FactoryDep, SettingsDep

SESSION_COOKIE = "servtrade_session"
ANON_COOKIE = "servtrade_form"  # a signed nonce so anonymous forms (login) carry a CSRF token
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def runtime_of(request: Request) -> AccountsRuntime:
    """The app's :class:`AccountsRuntime` (made on first use; tests may set their own)."""
    runtime: AccountsRuntime | None = getattr(request.app.state, "accounts", None)
    if runtime is None:
        runtime = AccountsRuntime()
        request.app.state.accounts = runtime
    return runtime


async def get_runtime(request: Request) -> AccountsRuntime:
    return runtime_of(request)


RuntimeDep = Annotated[AccountsRuntime, Depends(get_runtime)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _key(settings: Settings) -> str:
    return settings.secret_key.get_secret_value()


def _bearer(request: Request, factory: FactoryDep, runtime: AccountsRuntime) -> Identity:
    scheme, _, token = request.headers["authorization"].partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError(
            "the Authorization header must be 'Bearer <token>'",
            hint="create a token under /account or with POST /api/accounts/tokens",
        )
    identity = resolve_token(factory, runtime, token.strip())
    if identity is None:
        raise AuthenticationError(
            "the API token is invalid, expired or revoked", hint="create a new token"
        )
    return identity


# Declared so the OpenAPI description says how to authenticate; the header and cookie are
# read (and checked) below, these only document them.
TOKEN_SCHEME = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="API token `st_<prefix>_<secret>` from POST /api/accounts/tokens",
)
SESSION_SCHEME = APIKeyCookie(
    name=SESSION_COOKIE,
    auto_error=False,
    scheme_name="session",
    description="browser session from POST /api/accounts/login (writes also send X-CSRF-Token)",
)
_Documented = Annotated[HTTPAuthorizationCredentials | None, Security(TOKEN_SCHEME)]
_DocumentedCookie = Annotated[str | None, Security(SESSION_SCHEME)]


async def optional_identity(
    request: Request,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
    _token: _Documented,
    _cookie: _DocumentedCookie,
) -> Identity | None:
    """The caller, or ``None`` when the request carries no (valid) session cookie. The
    database is asked (in the thread pool) only when the request carries a credential."""
    if "authorization" in request.headers:
        return await run_in_threadpool(_bearer, request, factory, runtime)
    secret = unsigned(_key(settings), "session", request.cookies.get(SESSION_COOKIE))
    identity = None
    if secret is not None:
        identity = await run_in_threadpool(resolve_session, factory, runtime, secret)
    # the page renderer (web/templating.py) reuses it instead of a second lookup
    request.state.page_identity = identity
    return identity


OptionalIdentityDep = Annotated[Identity | None, Depends(optional_identity)]


def csrf_token(settings: Settings, secret: str) -> str:
    """The token a form or header must echo for the session (or nonce) ``secret``."""
    return sign(_key(settings), "csrf", secret)


def _check_csrf(settings: Settings, secret: str | None, submitted: str | None) -> None:
    if not secret or not submitted or not same(submitted, csrf_token(settings, secret)):
        raise PermissionDeniedError(
            "the form or request has no valid CSRF token",
            hint="reload the page and submit again; API clients send X-CSRF-Token",
        )


async def current_identity(
    request: Request, settings: SettingsDep, identity: OptionalIdentityDep
) -> Identity:
    """The caller; 401 without credentials, 403 for a cookie write to the API without CSRF."""
    is_api = request.url.path.startswith("/api/")
    if identity is None and not is_api:
        raise AuthenticationError("this page is for signed-in members of servtrade")
    if identity is None:
        raise AuthenticationError(
            "sign in or send an API token to use this endpoint",
            hint="POST /api/accounts/login, or send 'Authorization: Bearer <token>'",
        )
    if identity.via == "session" and request.method in UNSAFE and is_api:
        _check_csrf(settings, identity.csrf_secret, request.headers.get(CSRF_HEADER))
    return identity


IdentityDep = Annotated[Identity, Depends(current_identity)]
# for ``dependencies=[SignedIn, CsrfDep]``: a signed-out form post is 401, not a CSRF 403
SignedIn = Depends(current_identity)


def require_role(*roles: Role) -> Callable[[Identity], Awaitable[Identity]]:
    """A dependency that lets only ``roles`` (and admins) through."""
    allowed = frozenset(roles) | {Role.ADMIN}
    names = " or ".join(sorted(r.value for r in allowed))

    async def dependency(identity: IdentityDep) -> Identity:
        if identity.role not in allowed:
            raise PermissionDeniedError(f"this needs the role {names}; you are {identity.role}")
        return identity

    return dependency


def require_scope(
    scope: Scope,
) -> Callable[[Request, Identity, AccountsRuntime], Awaitable[Identity]]:
    """A dependency that needs ``scope`` on the credential; writes are rate-limited per caller."""

    async def dependency(request: Request, identity: IdentityDep, runtime: RuntimeDep) -> Identity:
        if scope not in identity.scopes:
            raise PermissionDeniedError(
                f"this needs the {scope.value!r} scope; the credential has "
                f"{', '.join(sorted(s.value for s in identity.scopes)) or 'none'}",
                hint="create a token with that scope",
            )
        if request.method in UNSAFE:
            runtime.write_limiter.hit(f"user:{identity.user_id}")
        return identity

    return dependency


Reader = Annotated[Identity, Depends(require_scope(Scope.READ))]
Writer = Annotated[Identity, Depends(require_scope(Scope.WRITE))]
Admin = Annotated[Identity, Depends(require_role(Role.ADMIN))]


@dataclass(frozen=True)
class FormGuard:
    """The CSRF token to put in a page's forms, and the nonce cookie to set if it is new."""

    token: str
    new_nonce: str | None = None

    def apply(self, response: Response, settings: Settings) -> Response:
        if self.new_nonce is not None:
            response.set_cookie(
                ANON_COOKIE, signed(_key(settings), "form", self.new_nonce), httponly=True,
                samesite="lax", secure=secure_cookies(settings), path="/",
            )  # fmt: skip
        return response


def _nonce(request: Request, settings: Settings) -> str | None:
    return unsigned(_key(settings), "form", request.cookies.get(ANON_COOKIE))


def form_guard(request: Request, settings: Settings, identity: Identity | None) -> FormGuard:
    """The CSRF token for forms on this page (session secret, else an anonymous nonce)."""
    if identity is not None and identity.csrf_secret:
        return FormGuard(csrf_token(settings, identity.csrf_secret))
    nonce = _nonce(request, settings)
    if nonce is not None:
        return FormGuard(csrf_token(settings, nonce))
    fresh = new_secret(16)
    return FormGuard(csrf_token(settings, fresh), new_nonce=fresh)


async def csrf_protect(
    request: Request, settings: SettingsDep, identity: OptionalIdentityDep
) -> None:
    """Refuse an unsafe form post whose ``csrf_token`` does not match the session or nonce."""
    if request.method not in UNSAFE:
        return
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    text = submitted if isinstance(submitted, str) else request.headers.get(CSRF_HEADER)
    if identity is not None and identity.via == "session":
        _check_csrf(settings, identity.csrf_secret, text)
    else:
        _check_csrf(settings, _nonce(request, settings), text)


CsrfDep = Depends(csrf_protect)


def secure_cookies(settings: Settings) -> bool:
    return settings.environment is Environment.PRODUCTION


def set_session_cookie(
    response: Response, settings: Settings, runtime: AccountsRuntime, secret: str
) -> None:
    response.set_cookie(
        SESSION_COOKIE, signed(_key(settings), "session", secret), httponly=True, samesite="lax",
        secure=secure_cookies(settings), path="/",
        max_age=int(runtime.session_lifetime.total_seconds()),
    )  # fmt: skip


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="lax", secure=secure_cookies(settings), path="/"
    )
