"""GET /applications/{id}/risk: the risk of losing the candidate, exactly `Risk.as_dict()`."""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, errors_of
from homestretch.lib.api_fields import Id
from homestretch.lib.problems import Conflict, Problem
from homestretch.pipeline.access import get_application_for_user

from .schemas import RiskOut, RiskQuery
from .scoring import NotScored, risk_of

router = Router()


@router.get("/applications/{application_id}/risk", response=errors_of({**READ, 409: Problem}, 200, RiskOut),
            tags=["risk"])
def read_risk(request: AuthenticatedApiRequest, application_id: Id, query: Query[RiskQuery]):
    """409 when the application was not on the home stretch at that moment (closed, or not yet opened)."""
    application = get_application_for_user(request.auth, application_id)
    try:
        _facts, risk = risk_of(application.pk, query.at or timezone.now())
    except NotScored as not_scored:
        raise Conflict(str(not_scored)) from None
    return risk.as_dict()
