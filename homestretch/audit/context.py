"""Who is acting, and from where, for the entries written while a request or a command runs.

The middleware notes the request; the actor is read from it when an entry is written, not when the
request starts, because an API request's user is known only once its bearer token has been checked
(homestretch.api.BearerToken sets `request.user`). A command notes "the command line" and the OS user.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

from django.http import HttpRequest, HttpResponse

from homestretch.accounts.models import User
from homestretch.lib.client_address import client_address


@dataclass(frozen=True)
class Acting:
    user: User | None
    label: str
    address: str | None


_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_acting: ContextVar[Acting | None] = ContextVar("audit_acting", default=None)


def user_of(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def address_of(request: HttpRequest) -> str | None:
    address = client_address(request)
    return str(address) if address is not None else None


def current() -> Acting:
    """Who acts now: the command's actor, else the request's user and address, else nobody known."""
    acting = _acting.get()
    if acting is not None:
        return acting
    request = _request.get()
    if request is not None:
        user = user_of(request)
        return Acting(user=user, label=user.email if user else "", address=address_of(request))
    # Outside a request the product runs as a command (`homestretch …`, the worker, a shell on the server).
    return Acting(user=None, label=command_line_label(), address=None)


@contextmanager
def acting(user: User | None, *, label: str = "", address: str | None = None) -> Iterator[None]:
    """Entries written inside are by `user` (or by `label` when no user acts)."""
    token = _acting.set(Acting(user=user, label=label or (user.email if user else ""), address=address))
    try:
        yield
    finally:
        _acting.reset(token)


@cache
def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "unknown"


def command_line_label(as_user: User | None = None) -> str:
    return f"command line ({_os_user()})" + (f" as {as_user.email}" if as_user else "")


@contextmanager
def on_the_command_line(as_user: User | None = None) -> Iterator[None]:
    """Entries written by a command: "command line (<OS user>)", and the user of `--as` if any."""
    with acting(as_user, label=command_line_label(as_user)):
        yield


class AuditMiddleware:
    """Notes the request, so that entries written while it runs say who and from where."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
