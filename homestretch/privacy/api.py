"""Erasure over HTTP: `POST /candidates/{candidate_id}/erase` with the reason, and `DELETE /candidates/{candidate_id}`
(admins only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router, Status

from homestretch.accounts.access import require_reader
from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import WRITE, errors_of
from homestretch.lib.api_fields import Id
from homestretch.lib.client_address import client_address
from homestretch.pipeline.access import get_candidate_for_user
from homestretch.pipeline.api import router as pipeline_router
from homestretch.pipeline.models import Candidate

from .erasure import erase_candidate, erasure_of
from .schemas import ErasureIn, ErasureOut

router = Router(tags=["candidates"])


@router.post("/candidates/{candidate_id}/erase", response=errors_of(WRITE, 200, ErasureOut))
def erase_candidate_data(request: AuthenticatedApiRequest, candidate_id: Id, payload: ErasureIn):
    """Erase the candidate's identifying data everywhere it lives (records, notes, mail kept, search, stored
    responses, mail files, the audit's entries about them), keeping a de-identified outcome of each application
    and the candidate's row as "Erased candidate". Irreversible; admins only. 409 when already erased."""
    require_reader(request.auth)
    if not request.auth.is_admin:
        raise PermissionDenied("Only an admin erases a candidate.")
    address = client_address(request)
    report = erase_candidate(candidate_id, reason=payload.reason, by=request.auth, at=timezone.now(),
                             address=str(address) if address else "")
    return report.as_dict()


DELETED_THROUGH_THE_API = "Deleted through the API (DELETE /api/v1/candidates/{id})"


# On the pipeline's router, beside GET and PATCH of the same path: Django serves a path from the first router
# that has it, so a DELETE of its own here would be answered 405 by the pipeline's.
@pipeline_router.delete("/candidates/{candidate_id}", response=errors_of(WRITE, 204, None), tags=["candidates"])
def delete_candidate(request: AuthenticatedApiRequest, candidate_id: Id):
    """Delete a candidate and everything recorded about them (admins only). The person is erased first, as by
    `POST /candidates/{candidate_id}/erase`: a deletion alone would leave them in the audit's entries, in other
    records' notes, in stored responses and in mail files. Their applications then leave the organisation's
    figures with the record; to keep them counted, de-identified, erase instead."""
    candidate = get_candidate_for_user(request.auth, candidate_id, for_change=True)
    if not request.auth.is_admin:
        raise PermissionDenied("Only an admin deletes a candidate.")
    if erasure_of(candidate.pk) is None:
        address = client_address(request)
        erase_candidate(candidate.pk, reason=DELETED_THROUGH_THE_API, by=request.auth, at=timezone.now(),
                        address=str(address) if address else "")
    Candidate.objects.filter(pk=candidate.pk).delete()
    return Status(204, None)
