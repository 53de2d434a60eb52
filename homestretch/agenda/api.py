"""GET /agenda: who must be contacted on a day and why, exactly as the command line's JSON."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router

from homestretch.accounts.access import require_reader
from homestretch.accounts.models import Team, User
from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, already_shaped, errors_of

from .schemas import AgendaItemOut, AgendaQuery, RenewalsOut, RenewalsQuery
from .services import agenda, renewals_due

router = Router()


@router.get("/agenda", response=errors_of(READ, 200, list[AgendaItemOut]), tags=["agenda"])
def read_agenda(request: AuthenticatedApiRequest, query: Query[AgendaQuery]):
    """Overdue first, then the riskiest; each item is `AgendaItem.as_dict()`."""
    require_reader(request.auth)
    now = query.at or timezone.now()
    day = query.on or timezone.localtime(now).date()
    items = agenda(day, now=now, recruiter_id=query.recruiter, team_id=query.team)
    # The agenda of a recruiter or team that does not exist is a page that does not exist (404), as
    # /users/{id} would be: the id is well formed, the document cannot know which ids exist. An agenda
    # with items has applications of that recruiter or team, so only an empty one asks (a round trip
    # saved on every agenda that has something in it).
    if not items:
        if query.recruiter is not None and not User.objects.filter(pk=query.recruiter).exists():
            raise Http404(f"No user with id {query.recruiter}.")
        if query.team is not None and not Team.objects.filter(pk=query.team).exists():
            raise Http404(f"No team with id {query.team}.")
    return already_shaped(request, [item.as_dict() for item in items])


@router.get("/agenda/renewals", response=errors_of(READ, 200, RenewalsOut), tags=["agenda"])
def read_renewals(request: AuthenticatedApiRequest, query: Query[RenewalsQuery]):
    """The legal bases to renew, as Today lists them: due within 14 days of the day or overdue, soonest first,
    for a recruiter's candidates, a team's or everyone's; candidates who objected are left out
    (docs/data-rights.md, Consent)."""
    require_reader(request.auth)
    if query.recruiter is not None and not User.objects.filter(pk=query.recruiter).exists():
        raise Http404(f"No user with id {query.recruiter}.")
    if query.team is not None and not Team.objects.filter(pk=query.team).exists():
        raise Http404(f"No team with id {query.team}.")
    day = query.on or timezone.localtime(timezone.now()).date()
    page = renewals_due(day, query.limit, recruiter_id=query.recruiter, team_id=query.team)
    return {"total": page.total, "items": [renewal.as_dict() for renewal in page.renewals]}
