"""The requests that reach signed-in code, typed for what the sign-in guarantees (healthchecks
`hc/accounts/http.py`).

Django types `request.user` as `User | AnonymousUser` and ninja adds `request.auth` at run time only.
Past the sign-in, neither is in doubt:

- A page runs only for a signed-in user: `LoginRequiredMiddleware` sends everyone else to the
  sign-in page, unless the view is marked `login_not_required` (those keep `HttpRequest`).
- An API endpoint runs only for a valid token: `homestretch.api.BearerToken` answers 401 first,
  and sets both `request.auth` and `request.user` to the token's user.

These classes exist for the type checker alone; no request is ever built from them. Where the
signature is not ours to narrow (a ModelAdmin method of the back office, behind the admin site's own
staff sign-in), `signed_in_user` reads the user.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A page request from a signed-in user."""

    user: User


class AuthenticatedApiRequest(HttpRequest):
    """An API request that carried a valid token: `auth` and `user` are the token's user."""

    auth: User
    user: User


def signed_in_user(request: HttpRequest) -> User:
    """The user of a request only a signed-in user reaches, in code whose signature Django fixes (the
    admin site lets in signed-in staff only). PermissionDenied for anyone else, should that ever change."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to do this.")
    return user
