"""GET /jobs/{id}/similar?limit=: the closed jobs most like a job, exactly `SimilarJob.as_dict()` each."""

from __future__ import annotations

from ninja import Query, Router

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, errors_of
from homestretch.lib.api_fields import Id
from homestretch.pipeline.access import get_job_for_user

from .schemas import SimilarJobOut, SimilarQuery
from .services import similar_to

router = Router()


@router.get("/jobs/{job_id}/similar", response=errors_of(READ, 200, list[SimilarJobOut]), tags=["jobs"])
def similar_past_searches(request: AuthenticatedApiRequest, job_id: Id, query: Query[SimilarQuery]):
    """The closed jobs (filled or closed) most like this one, best first, each with what it taught: outcomes,
    pay seen, competitors that won, decline reasons and lessons. An empty list when none is similar enough."""
    job = get_job_for_user(request.auth, job_id)
    return [similar.as_dict() for similar in similar_to(job, limit=query.limit)]
