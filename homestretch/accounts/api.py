"""The caller, the organisation's users and teams: what clients need to fill `recruiter_id`."""

from __future__ import annotations

from ninja import Router

from homestretch.accounts.access import require_reader
from homestretch.lib.api import READ, errors_of

from .models import Team, User
from .requests import AuthenticatedApiRequest
from .schemas import TeamOut, UserOut

router = Router()


@router.get("/me", response=errors_of(READ, 200, UserOut), tags=["people"])
def me(request: AuthenticatedApiRequest):
    """The user the token acts for."""
    return request.auth


@router.get("/users", response=errors_of(READ, 200, list[UserOut]), tags=["people"])
def list_users(request: AuthenticatedApiRequest):
    """Every active user of the organisation, to assign applications by id."""
    require_reader(request.auth)
    return list(User.objects.filter(is_active=True).order_by("id"))


@router.get("/teams", response=errors_of(READ, 200, list[TeamOut]), tags=["people"])
def list_teams(request: AuthenticatedApiRequest):
    require_reader(request.auth)
    return list(Team.objects.order_by("name"))
