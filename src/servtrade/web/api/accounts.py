"""``/api/accounts``: sign in and out, register, tokens, invitations, my data, admin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response

from servtrade.accounts import (
    admin,
    audit,
    consent,
    personal_data,
    profile,
    registration,
    sessions,
    tokens,
)
from servtrade.accounts.roles import AuditAction, Role
from servtrade.accounts.schemas import (
    AccountUpdate,
    AuditEntryPublic,
    ConsentUpdate,
    Deleted,
    DeleteRequest,
    InvitationCreate,
    InvitationCreated,
    InvitationPublic,
    LoginRequest,
    LoginResult,
    RegisterRequest,
    RoleChange,
    SessionPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    UserPublic,
)
from servtrade.web.auth import (
    Admin,
    IdentityDep,
    Reader,
    RuntimeDep,
    Writer,
    clear_session_cookie,
    client_ip,
    csrf_token,
    require_role,
    set_session_cookie,
)
from servtrade.web.deps import FactoryDep, SettingsDep

router = APIRouter(prefix="/api/accounts", tags=["accounts"])
Inviter = Depends(require_role(Role.ORGANISER))


@router.post("/login", response_model=LoginResult, summary="Sign in; sets the session cookie")
def login(
    *,
    body: LoginRequest,
    request: Request,
    response: Response,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> LoginResult:
    agent = request.headers.get("user-agent", "")
    outcome = sessions.login(
        factory, runtime, body.email, body.password, ip=client_ip(request), user_agent=agent
    )
    set_session_cookie(response, settings, runtime, outcome.session_secret)
    return LoginResult(user=outcome.user, csrf_token=csrf_token(settings, outcome.csrf_secret))


@router.post("/logout", summary="End this session")
def logout(
    *,
    identity: IdentityDep,
    request: Request,
    response: Response,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> dict[str, bool]:
    sessions.logout(factory, runtime, identity, client_ip(request))
    clear_session_cookie(response, settings)
    return {"ok": True}


@router.post("/register", response_model=UserPublic, status_code=201, summary="Register")
def register(
    body: RegisterRequest,
    request: Request,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> UserPublic:
    runtime.login_limiter.hit(f"register:{client_ip(request)}")
    return registration.register(
        factory, runtime, body, open_registration=settings.open_registration, ip=client_ip(request)
    )


@router.get("/me", response_model=UserPublic, summary="My account")
def me(identity: Reader, factory: FactoryDep) -> UserPublic:
    return profile.get_account(factory, identity)


@router.patch("/me", response_model=UserPublic, summary="Change my name or language")
def patch_me(body: AccountUpdate, identity: Writer, factory: FactoryDep) -> UserPublic:
    return profile.update_account(factory, identity, body)


@router.get("/me/export", summary="Export my data (JSON)")
def export_me(
    identity: Reader, request: Request, factory: FactoryDep, runtime: RuntimeDep
) -> dict[str, Any]:
    return personal_data.export_my_data(factory, runtime, identity, client_ip(request))


@router.post("/me/delete", response_model=Deleted, summary="Delete my account and personal data")
def delete_me(
    *,
    body: DeleteRequest,
    identity: Writer,
    request: Request,
    response: Response,
    settings: SettingsDep,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> Deleted:
    done = personal_data.delete_my_data(
        factory, runtime, identity, body.confirm_email, client_ip(request)
    )
    clear_session_cookie(response, settings)
    return done


@router.put("/me/contact-consent", summary="Share my contact details with other participants")
def put_consent(
    body: ConsentUpdate,
    identity: Writer,
    request: Request,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> dict[str, bool]:
    shared = consent.set_contact_consent(
        factory, runtime, identity, body.share_contact, client_ip(request)
    )
    return {"share_contact": shared}


@router.get("/me/sessions", response_model=list[SessionPublic], summary="My sessions")
def my_sessions(identity: Reader, factory: FactoryDep) -> list[SessionPublic]:
    return sessions.list_sessions(factory, identity)


@router.delete("/me/sessions/{session_id}", response_model=SessionPublic, summary="Revoke one")
def revoke_session(
    session_id: int, identity: Writer, request: Request, factory: FactoryDep, runtime: RuntimeDep
) -> SessionPublic:
    return sessions.revoke_session(factory, runtime, identity, session_id, client_ip(request))


@router.get("/tokens", response_model=list[TokenPublic], summary="My API tokens")
def list_tokens(identity: Reader, factory: FactoryDep) -> list[TokenPublic]:
    return tokens.list_tokens(factory, identity)


@router.post("/tokens", response_model=TokenCreated, status_code=201, summary="New API token")
def create_token(
    body: TokenCreate, identity: Writer, request: Request, factory: FactoryDep, runtime: RuntimeDep
) -> TokenCreated:
    return tokens.create_token(factory, runtime, identity, body, client_ip(request))


@router.delete("/tokens/{token_id}", response_model=TokenPublic, summary="Revoke an API token")
def revoke_token(
    token_id: int, identity: Writer, request: Request, factory: FactoryDep, runtime: RuntimeDep
) -> TokenPublic:
    return tokens.revoke_token(factory, runtime, identity, token_id, client_ip(request))


@router.post(
    "/invitations", response_model=InvitationCreated, status_code=201, summary="Invite someone"
)
def create_invitation(
    body: InvitationCreate,
    identity: Writer,
    request: Request,
    factory: FactoryDep,
    runtime: RuntimeDep,
    _organiser: Any = Inviter,
) -> InvitationCreated:
    return registration.invite(factory, runtime, identity, body, client_ip(request))


@router.get("/invitations", response_model=list[InvitationPublic], summary="My invitations")
def list_invitations(
    identity: Reader, factory: FactoryDep, _organiser: Any = Inviter
) -> list[InvitationPublic]:
    return registration.list_invitations(factory, identity)


@router.get("/users", response_model=list[UserPublic], summary="All users (admin)")
def list_users(identity: Admin, factory: FactoryDep, role: Role | None = None) -> list[UserPublic]:
    return admin.list_users(factory, role)


@router.put("/users/{user_id}/role", response_model=UserPublic, summary="Change a role (admin)")
def set_role(
    *,
    user_id: int,
    body: RoleChange,
    identity: Admin,
    writer: Writer,
    request: Request,
    factory: FactoryDep,
    runtime: RuntimeDep,
) -> UserPublic:
    return admin.set_role(factory, runtime, identity, user_id, body.role, ip=client_ip(request))


@router.get("/audit", response_model=list[AuditEntryPublic], summary="The audit log (admin)")
def list_audit(
    identity: Admin,
    factory: FactoryDep,
    action: AuditAction | None = None,
    actor_id: int | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[AuditEntryPublic]:
    return audit.list_entries(factory, action=action, actor_id=actor_id, limit=limit)
