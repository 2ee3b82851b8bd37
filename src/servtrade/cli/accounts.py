"""``servtrade accounts``: the first admin, invitations, users, roles, tokens, the audit log."""

from __future__ import annotations

import sys
from collections.abc import Mapping

import pydantic
import typer

from servtrade.accounts import admin, audit, registration, tokens
from servtrade.accounts.roles import AuditAction, Role, parse_role
from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import InvitationCreate
from servtrade.cli.database import open_database
from servtrade.cli.output import FORMAT_OPTION, Format, console, errors_exit, render_rows
from servtrade.errors import ErrorDetail, ValidationError

app = typer.Typer(
    help="Accounts: create the first admin, invite people, change roles, revoke tokens, audit.",
    no_args_is_help=True,
)
USER_COLUMNS = ("id", "email", "display_name", "role", "organisation_id", "fair_id", "active")
AUDIT_COLUMNS = ("id", "at", "action", "actor", "actor_id", "subject_id", "ip", "details")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    text: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return text


@app.command("create-admin")
def create_admin(
    email: str = typer.Argument(..., help="Email address of the admin."),
    name: str = typer.Option("", "--name", help="Display name."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input (for scripts)."
    ),
) -> None:
    """Create an admin account (asks for the password twice unless --password-stdin)."""
    password = _password(password_stdin)
    with open_database() as (_, factory):
        user = registration.create_admin(factory, AccountsRuntime(), email, password, name)
    console.print(f"admin {user.email} created (id {user.id})")


def _role(value: str) -> Role:
    with errors_exit():
        return parse_role(value)


@app.command("invite")
def invite(
    *,
    role: str = typer.Option(..., "--role", help="Role of the invitee: " + ", ".join(Role)),
    email: str | None = typer.Option(None, "--email", help="Only this address may use it."),
    organisation: int | None = typer.Option(None, "--organisation", help="Organisation id."),
    participant: int | None = typer.Option(None, "--participant", help="Participant id."),
    fair: int | None = typer.Option(None, "--fair", help="Fair id (an organiser's fair)."),
    days: int = typer.Option(14, "--days", min=1, max=90, help="Days until it expires."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Create an invitation code; the invitee registers at /register with it (shown once)."""
    fields = {"role": _role(role), "email": email, "organisation_id": organisation}
    fields |= {"participant_id": participant, "fair_id": fair, "days": days}
    with errors_exit():
        data = _invitation(fields)
    with open_database() as (_, factory):
        created = registration.invite(factory, AccountsRuntime(), None, data)
    row = created.model_dump(mode="json")
    render_rows([row], fmt, title="invitation (the code is shown once)")


def _invitation(fields: Mapping[str, object]) -> InvitationCreate:
    try:
        return InvitationCreate.model_validate(fields)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        field = ".".join(map(str, first["loc"]))
        raise ValidationError(message, errors=[ErrorDetail(message, field=field)]) from None


@app.command("list")
def list_users(
    role: str | None = typer.Option(None, "--role", help="Only users with this role."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the users with their role and links to the fair."""
    wanted = _role(role) if role else None
    with open_database() as (_, factory):
        users = admin.list_users(factory, wanted)
    rows = [u.model_dump(mode="json") for u in users]
    render_rows(rows, fmt, title="users", columns=USER_COLUMNS)


@app.command("set-role")
def set_role(
    user: str = typer.Argument(..., help="User id or email."),
    role: str = typer.Argument(..., help="New role: " + ", ".join(Role)),
) -> None:
    """Change a user's role (recorded in the audit log; the last admin cannot be demoted)."""
    new = _role(role)
    with open_database() as (_, factory):
        changed = admin.set_role(factory, AccountsRuntime(), None, user, new)
    console.print(f"{changed.email} is now {changed.role.value}")


@app.command("revoke-token")
def revoke_token(token_id: int = typer.Argument(..., help="Id of the API token.")) -> None:
    """Revoke an API token at once (any user's; recorded in the audit log)."""
    with open_database() as (_, factory):
        token = tokens.revoke_token(factory, AccountsRuntime(), None, token_id)
    console.print(f"token {token.id} ({token.name}) revoked")


@app.command("audit")
def show_audit(
    action: str | None = typer.Option(
        None, "--action", help="Only this action: " + ", ".join(AuditAction)
    ),
    actor: int | None = typer.Option(None, "--actor", help="Only this actor's user id."),
    limit: int = typer.Option(50, "--limit", min=1, max=10_000, help="Newest N entries."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show the audit log of security-relevant actions, newest first."""
    with errors_exit():
        kind = _action(action)
    with open_database() as (_, factory):
        entries = audit.list_entries(factory, action=kind, actor_id=actor, limit=limit)
    rows = [e.model_dump(mode="json") for e in entries]
    render_rows(rows, fmt, title="audit log", columns=AUDIT_COLUMNS)


def _action(value: str | None) -> AuditAction | None:
    if value is None:
        return None
    try:
        return AuditAction(value.strip().lower())
    except ValueError:
        hint = "use " + ", ".join(AuditAction)
        raise ValidationError(
            f"unknown audit action {value!r}",
            errors=[ErrorDetail("not an action", field="action", value=value, hint=hint)],
        ) from None
