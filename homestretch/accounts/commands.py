"""`homestretch token create|list|revoke`: personal API tokens from the console.

The token is printed once, on creation; only its hash is kept.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, TypedDict

import typer

token_app = typer.Typer(help="Personal API tokens: create (printed once), list, revoke.", no_args_is_help=True)


class TokenRow(TypedDict):
    """One token as `token list` prints it, in a table or as JSON."""

    id: int
    user: str
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


def _user_by_email(email: str):
    from homestretch.accounts.models import User
    from homestretch.lib.console import fail

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise fail(f"no user with the e-mail {email.strip()}", code=2)
    return user


@token_app.command("create")
def create(
    user: Annotated[str, typer.Option("--user", help="The e-mail of the user the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for, e.g. 'ATS sync'.")] = "",
) -> None:
    """Create a token and print it once; it acts with the user's rights and no more."""
    from homestretch.lib.console import console, migrate, refused, setup_django

    setup_django()
    migrate()
    from django.core.exceptions import ValidationError

    from homestretch.accounts.tokens import create_token

    owner = _user_by_email(user)
    try:
        new = create_token(owner, name=name, at=datetime.now(UTC))
    except ValidationError as exc:
        raise refused(exc, code=2) from None
    console.print(f"Created token {new.token.pk} for {owner.email}. Copy it now, it is not shown again:",
                  highlight=False)
    typer.echo(new.secret)


@token_app.command("list")
def list_tokens(
    user: Annotated[str | None, typer.Option("--user", help="Only this user's tokens.")] = None,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """The tokens (never their secrets): id, user, name, prefix, dates."""
    from homestretch.lib.console import console, fail, print_json, setup_django

    if output not in ("table", "json"):
        raise fail(f"--format must be table or json, not {output!r}", code=2)
    setup_django()
    from homestretch.accounts.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("id")
    if user:
        tokens = tokens.filter(user=_user_by_email(user))
    rows: list[TokenRow] = [{
        "id": t.pk, "user": t.user.email, "name": t.name, "prefix": f"hs_{t.prefix}_",
        "created_at": t.created_at.isoformat(), "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    } for t in tokens]
    if output == "json":
        print_json(rows)
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} API token(s)")
    for column in ("id", "user", "name", "prefix", "created", "last used", "status"):
        table.add_column(column)
    for row in rows:
        table.add_row(str(row["id"]), row["user"], row["name"], row["prefix"], row["created_at"][:16],
                      (row["last_used_at"] or "never")[:16], "revoked" if row["revoked_at"] else "active")
    console.print(table)


@token_app.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="The token's id (see `homestretch token list`).")]) -> None:
    """Revoke a token: it no longer opens the API."""
    from homestretch.lib.console import console, fail, setup_django

    setup_django()
    from homestretch.accounts.models import ApiToken
    from homestretch.accounts.tokens import revoke_token

    try:
        token = revoke_token(token_id, user=None, at=datetime.now(UTC))
    except ApiToken.DoesNotExist:
        raise fail(f"no token with id {token_id}", code=2) from None
    console.print(f"Revoked token {token.pk} (hs_{token.prefix}_…) of {token.user.email}.")
