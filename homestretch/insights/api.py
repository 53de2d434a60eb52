"""GET /insights: the organisation's figures about losing candidates, as `Insights.as_dict()`."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Query, Router

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, errors_of

from .schemas import InsightsOut, InsightsQuery
from .services import Asked, filters_for, insights_for

router = Router()


@router.get("/insights", response=errors_of(READ, 200, InsightsOut), tags=["insights"], by_alias=True)
def read_insights(request: AuthenticatedApiRequest, query: Query[InsightsQuery]) -> dict[str, Any]:
    """The figures of docs/insights.md for a period (by the first offer's extension); a recruiter's own team
    unless `team` or `recruiter` says otherwise. Viewers read competitors told in confidence only as a count."""
    now = query.at or timezone.now()
    asked = Asked(date_from=query.date_from, date_to=query.date_to, team=query.team, recruiter=query.recruiter,
                  client=query.client, seniority=query.seniority, source=query.source, currency=query.currency)
    filters = filters_for(request.auth, asked, now=now)
    return insights_for(request.auth, filters, now=now).as_dict()
