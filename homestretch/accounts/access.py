"""Who may read and change what. Pages, the API and the command line all go through these helpers.

One organisation per installation:
- admin: everything, users and settings included;
- recruiter: reads everything in the organisation; changes the applications, touchpoints and offers
  of their own team; adds competing offers and priorities for their team's candidates, and changes
  only those their own team recorded; creates and edits the shared records (clients, hiring
  managers, jobs, candidates); deletes nothing but their team's records;
- viewer: reads only.

The rules about objects sit beside the models they read: homestretch.pipeline.access (clients,
hiring managers, jobs, candidates, applications, touchpoints) and homestretch.offers.access (offers,
competing offers, priorities). Each `get_<object>_for_user` returns the object or raises Http404
when it does not exist and PermissionDenied when the user may not do what `for_change` asks.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .choices import Role
from .models import User

M = TypeVar("M", bound=Model)


def can_read(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_edit_shared_records(user: User) -> bool:
    """Clients, hiring managers, jobs and candidates are the organisation's, not one team's."""
    return can_read(user) and (user.is_admin or user.role == Role.RECRUITER)


def can_change_team(user: User, team_id: int | None) -> bool:
    """May the user change the pipeline records owned by this team?"""
    if not can_read(user):
        return False
    if user.is_admin:
        return True
    return user.role == Role.RECRUITER and team_id is not None and user.team_id == team_id


def require(allowed: bool, what: str) -> None:
    """Raise PermissionDenied, naming `what`, unless the change is allowed."""
    if not allowed:
        raise PermissionDenied(f"You may read this {what} but not change it.")


def get_or_404(queryset: QuerySet[M], pk: Any, what: str) -> M:
    """The object with this id, or Http404 naming `what` (an id that is not a number is not found either)."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # get() raises the model's DoesNotExist
        raise Http404(f"No {what} with id {pk}.") from None


def require_reader(user: User) -> None:
    """Every signed-in, active user reads everything in the organisation; nobody else reads anything."""
    if not can_read(user):
        raise PermissionDenied("Sign in to see this.")
