"""Who sees which figures: the filters a user's request comes to, and the figures as that user may read
them. The page, the API, the command line and the exports all go through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404
from django.utils import timezone

from homestretch.accounts.access import require_reader
from homestretch.accounts.choices import Role
from homestretch.accounts.models import Team, User
from homestretch.lib.refusals import INVALID, INVALID_CHOICE, Refused
from homestretch.pipeline.choices import CandidateSource, Seniority
from homestretch.pipeline.models import Client

from .figures import Filters, Insights, default_period, insights

# A period longer than this is refused: its monthly trend would be a wall of empty months.
MAX_PERIOD_DAYS = 10 * 366
ALL_TEAMS = "all"


@dataclass(frozen=True, slots=True)
class Asked:
    """What a request asked for, as typed: None is "not given"."""

    date_from: date | None = None
    date_to: date | None = None
    team: int | str | None = None  # a team's id, or "all" for the whole organisation
    recruiter: int | None = None
    client: int | None = None
    seniority: str | None = None
    source: str | None = None
    currency: str | None = None


def can_read_confidential_names(user: User) -> bool:
    """Recruiters and admins read the names of competitors told in confidence; viewers never do."""
    return bool(user.is_admin or user.role == Role.RECRUITER)


def filters_for(user: User, asked: Asked, *, now: datetime) -> Filters:
    """The filters of a request, checked: a recruiter with a team sees that team unless they ask for
    another, one recruiter or the whole organisation ("all"). Unknown ids are 404, bad values Refused."""
    require_reader(user)
    today = timezone.localtime(now).date()
    start, end = default_period(today)
    date_from = asked.date_from or (start if asked.date_to is None else default_period(asked.date_to)[0])
    date_to = asked.date_to or (end if asked.date_from is None else max(end, date_from))
    if date_from > date_to:
        raise Refused("from", "The period starts after it ends: give a 'from' day on or before 'to'.", INVALID)
    if (date_to - date_from).days > MAX_PERIOD_DAYS:
        raise Refused("to", "The period is at most ten years.", INVALID)
    team_id: int | None = None
    if asked.team == ALL_TEAMS:
        team_id = None
    elif isinstance(asked.team, int):
        if not Team.objects.filter(pk=asked.team).exists():
            raise Http404(f"No team with id {asked.team}.")
        team_id = asked.team
    elif asked.team not in (None, ""):
        raise Refused("team", "A team is a team's id or 'all'.", INVALID_CHOICE)
    elif asked.recruiter is None and user.role == Role.RECRUITER and user.team_id is not None:
        team_id = user.team_id  # a recruiter's own team by default
    if asked.recruiter is not None and not User.objects.filter(pk=asked.recruiter).exists():
        raise Http404(f"No user with id {asked.recruiter}.")
    if asked.client is not None and not Client.objects.filter(pk=asked.client).exists():
        raise Http404(f"No client with id {asked.client}.")
    if asked.seniority and asked.seniority not in Seniority.values:
        raise Refused("seniority", f"'{asked.seniority}' is not a seniority.", INVALID_CHOICE)
    if asked.source and asked.source not in CandidateSource.values:
        raise Refused("source", f"'{asked.source}' is not a candidate source.", INVALID_CHOICE)
    return Filters(
        date_from=date_from, date_to=date_to, team_id=team_id, recruiter_id=asked.recruiter,
        client_id=asked.client, seniority=asked.seniority or None, source=asked.source or None,
        currency=(asked.currency or "").upper() or None,
    )


def insights_for(user: User, filters: Filters, *, now: datetime, export: bool = False) -> Insights:
    """The figures as `user` may read them: competitors told in confidence counted without their names for
    viewers and in every export."""
    figures = insights(filters, now=now)
    if export or not can_read_confidential_names(user):
        return figures.shareable()
    return figures
