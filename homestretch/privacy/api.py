"""Erasure over HTTP: `POST /candidates/{candidate_id}/erase` with the reason (admins only)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Router

from homestretch.accounts.access import require_reader
from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import WRITE, errors_of
from homestretch.lib.api_fields import Id
from homestretch.lib.client_address import client_address

from .erasure import erase_candidate
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
