"""Pages of accounts: sign in and out, register by invitation, my account, my data, language."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pydantic
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from servtrade.accounts import (
    consent,
    personal_data,
    profile,
    registration,
    sessions,
    tokens,
)
from servtrade.accounts.identity import Identity
from servtrade.accounts.roles import Scope
from servtrade.accounts.schemas import AccountUpdate, RegisterRequest, TokenCreate, TokenCreated
from servtrade.errors import ErrorDetail, ServtradeError, ValidationError
from servtrade.web import i18n
from servtrade.web.auth import (
    CsrfDep,
    IdentityDep,
    OptionalIdentityDep,
    RuntimeDep,
    SignedIn,
    clear_session_cookie,
    client_ip,
    form_guard,
    set_session_cookie,
)
from servtrade.web.deps import FactoryDep, SettingsDep
from servtrade.web.templating import templates

i18n.install(templates.env)
router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def render(
    request: Request,
    settings: Any,
    identity: Identity | None,
    name: str,
    *,
    status: int = 200,
    lang: str | None = None,
    **context: Any,
) -> Response:
    """A page of this area with language, CSRF token and the signed-in user in its context."""
    guard = form_guard(request, settings, identity)
    lang = lang or i18n.request_locale(request, identity.locale if identity else None)
    context |= {"lang": lang, "csrf_token": guard.token, "me": identity}
    response = templates.TemplateResponse(request, name, context, status_code=status)
    return guard.apply(response, settings)


def safe_next(target: str | None, default: str = "/account") -> str:
    """Only same-site paths: ``/x`` but never ``//evil.example`` or ``https://...``."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return default


def _invalid(exc: pydantic.ValidationError) -> ValidationError:
    details = [
        ErrorDetail(str(e["msg"]).removeprefix("Value error, "), field=".".join(map(str, e["loc"])))
        for e in exc.errors()
    ]
    return ValidationError(details[0].render(), errors=details)


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, settings: SettingsDep, identity: OptionalIdentityDep, next: str = ""
) -> Response:
    return render(request, settings, identity, "accounts/login.html", next=safe_next(next))


@router.post("/login", dependencies=[CsrfDep])
def login_submit(
    *,
    request: Request,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
    email: Text,
    password: Text,
    next: Annotated[str, Form()] = "",
) -> Response:
    agent = request.headers.get("user-agent", "")
    try:
        outcome = sessions.login(
            factory, runtime, email.strip().lower(), password, ip=client_ip(request),
            user_agent=agent,
        )  # fmt: skip
    except ServtradeError as exc:
        return render(
            request, settings, None, "accounts/login.html", status=exc.status,
            error=str(exc), next=safe_next(next), email=email,
        )  # fmt: skip
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, settings, runtime, outcome.session_secret)
    return response


@router.post("/logout", dependencies=[CsrfDep])
def logout_submit(
    request: Request, settings: SettingsDep, factory: FactoryDep, runtime: RuntimeDep,
    identity: IdentityDep,
) -> Response:  # fmt: skip
    sessions.logout(factory, runtime, identity, client_ip(request))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, settings)
    return response


@router.get("/register", response_class=HTMLResponse)
def register_page(
    request: Request, settings: SettingsDep, identity: OptionalIdentityDep, invitation: str = ""
) -> Response:
    return render(
        request, settings, identity, "accounts/register.html", invitation=invitation,
        open_registration=settings.open_registration,
    )  # fmt: skip


@router.post("/register", dependencies=[CsrfDep])
def register_submit(
    *,
    request: Request,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
    email: Text,
    password: Text,
    display_name: Annotated[str, Form()] = "",
    invitation: Annotated[str, Form()] = "",
) -> Response:
    try:
        runtime.login_limiter.hit(f"register:{client_ip(request)}")
        try:
            data = RegisterRequest(
                email=email, password=password, display_name=display_name,
                invitation=invitation.strip() or None,
            )  # fmt: skip
        except pydantic.ValidationError as exc:
            raise _invalid(exc) from None
        registration.register(
            factory, runtime, data, open_registration=settings.open_registration,
            ip=client_ip(request),
        )  # fmt: skip
    except ServtradeError as exc:
        return render(
            request, settings, None, "accounts/register.html", status=exc.status,
            error=str(exc), invitation=invitation, email=email, display_name=display_name,
            open_registration=settings.open_registration,
        )  # fmt: skip
    return RedirectResponse("/login?registered=1", status_code=303)


def _account(
    request: Request, settings: Any, factory: Any, identity: Identity, **extra: Any
) -> Response:
    context: dict[str, Any] = {
        "user": profile.get_account(factory, identity),
        "sessions": sessions.list_sessions(factory, identity),
        "tokens": tokens.list_tokens(factory, identity),
        "scopes": sorted(s.value for s in identity.scopes),
    }
    return render(request, settings, identity, "accounts/account.html", **(context | extra))


@router.get("/account", response_class=HTMLResponse)
def account_page(
    request: Request, settings: SettingsDep, factory: FactoryDep, identity: IdentityDep
) -> Response:
    """Signed out: 401 with the sign-in link, like every page for members."""
    return _account(request, settings, factory, identity)


@router.post("/account/tokens", dependencies=[SignedIn, CsrfDep])
async def token_submit(
    request: Request, settings: SettingsDep, factory: FactoryDep, runtime: RuntimeDep,
    identity: IdentityDep,
) -> Response:  # fmt: skip
    form = await request.form()
    scopes = [Scope(str(s)) for s in form.getlist("scopes") if str(s) in Scope.__members__.values()]
    try:
        data = TokenCreate(name=str(form.get("name", "")), scopes=scopes or [Scope.READ])
    except pydantic.ValidationError as exc:
        raise _invalid(exc) from None
    created: TokenCreated = tokens.create_token(
        factory, runtime, identity, data, client_ip(request)
    )
    return _account(request, settings, factory, identity, created=created)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[SignedIn, CsrfDep])
def token_revoke(
    token_id: int, request: Request, factory: FactoryDep, runtime: RuntimeDep,
    identity: IdentityDep,
) -> Response:  # fmt: skip
    tokens.revoke_token(factory, runtime, identity, token_id, client_ip(request))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/sessions/{session_id}/revoke", dependencies=[SignedIn, CsrfDep])
def session_revoke(
    session_id: int, request: Request, factory: FactoryDep, runtime: RuntimeDep,
    identity: IdentityDep,
) -> Response:  # fmt: skip
    sessions.revoke_session(factory, runtime, identity, session_id, client_ip(request))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/consent", dependencies=[SignedIn, CsrfDep])
def consent_submit(
    request: Request, factory: FactoryDep, runtime: RuntimeDep, identity: IdentityDep,
    share_contact: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    shared = share_contact == "yes"
    consent.set_contact_consent(factory, runtime, identity, shared, client_ip(request))
    return RedirectResponse("/account", status_code=303)


@router.get("/account/export")
def export_download(
    request: Request, factory: FactoryDep, runtime: RuntimeDep, identity: IdentityDep
) -> Response:
    data = personal_data.export_my_data(factory, runtime, identity, client_ip(request))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": 'attachment; filename="servtrade-my-data.json"'}
    return Response(body, media_type="application/json", headers=headers)


@router.post("/account/delete", dependencies=[SignedIn, CsrfDep])
def delete_submit(
    *,
    request: Request, settings: SettingsDep, factory: FactoryDep, runtime: RuntimeDep,
    identity: IdentityDep, confirm_email: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    personal_data.delete_my_data(factory, runtime, identity, confirm_email, client_ip(request))
    response = render(request, settings, None, "accounts/deleted.html", lang=identity.locale)
    clear_session_cookie(response, settings)
    return response


@router.post("/language", dependencies=[CsrfDep])
def language_submit(
    settings: SettingsDep, factory: FactoryDep, identity: OptionalIdentityDep,
    lang: Text, next: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    locale = i18n.parse_locale(lang)
    if identity is not None:
        profile.update_account(factory, identity, AccountUpdate.model_validate({"locale": locale}))
    response = RedirectResponse(safe_next(next, "/"), status_code=303)
    i18n.set_lang_cookie(response, locale, settings)
    return response
