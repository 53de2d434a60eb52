"""Mail in over HTTP: a raw message pushed by a mail system, the caller's Unmatched mail, and the
proposals read from messages about an application's candidate, to accept or dismiss."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Status

from homestretch.accounts.requests import AuthenticatedApiRequest
from homestretch.lib.api import READ, WRITE, errors_of
from homestretch.lib.api_fields import Id
from homestretch.lib.refusals import INVALID, NON_FIELD, Refused
from homestretch.pipeline.access import get_application_for_user

from . import parsing, services
from .choices import Via
from .models import Proposal
from .schemas import ProposalOut, ReceivedOut, UnmatchedOut

router = Router(tags=["mail"])

RAW_MESSAGE_BODY = {
    "requestBody": {
        "required": True,
        "description": "One e-mail as received (RFC 5322), at most the request size limit (2.5 MB). The bytes are "
                       "read whatever the Content-Type (message/rfc822 says it best); the document names "
                       "application/octet-stream, which generated clients send.",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    },
}


@router.post("/mail", response=errors_of(WRITE, 201, ReceivedOut), openapi_extra=RAW_MESSAGE_BODY)
def push_mail(request: AuthenticatedApiRequest):
    """Take in one e-mail as a mail system pushes it (the body is the raw message): a touch for each open
    application it matches, or Unmatched mail. An admin's token may push any message; a recruiter's only a
    message they sent or received. A message taken in before answers 201 with `duplicates` counted."""
    user = request.auth
    raw = request.body
    if not user.is_admin:
        try:
            parsed = parsing.parse_message(raw)
        except parsing.MessageRefused as refused:
            raise Refused(NON_FIELD, f"Message refused: {refused.words}.", INVALID) from None
        own = {user.email.lower(), *(a.lower() for a in user.mail_addresses.values_list("address", flat=True))}
        if user.team_id is None or not own.intersection((*parsed.addresses, parsed.forwarded_by)):
            raise PermissionDenied("A recruiter's token pushes only mail the recruiter sent or received.")
    result = services.receive(raw, via=Via.API, now=timezone.now())
    if result.refused:
        raise Refused(NON_FIELD, f"Message refused: {result.refused_words}.", INVALID)
    return Status(201, {"messages": result.messages, "touchpoints": [t.pk for t in result.touchpoints],
                        "duplicates": result.duplicates})


@router.get("/mail/unmatched", response=errors_of(READ, 200, list[UnmatchedOut]))
def list_unmatched_mail(request: AuthenticatedApiRequest):
    """The caller's Unmatched mail (and their team's), newest first, at most 200."""
    return list(services.unmatched_for(request.auth)[:200])


@router.get("/applications/{application_id}/proposals", response=errors_of(READ, 200, list[ProposalOut]),
            tags=["applications"])
def list_proposals(request: AuthenticatedApiRequest, application_id: Id):
    """What messages and touch notes said about the candidate, proposed to the application's team and not
    yet added or dismissed. Only that team (and admins) see them: they quote the team's mail."""
    application = get_application_for_user(request.auth, application_id, for_change=True)
    return list(services.proposals_for(application.candidate_id, application.recruiter.team_id))


def _proposal_of(request: AuthenticatedApiRequest, application_id: int, proposal_id: int) -> Proposal:
    application = get_application_for_user(request.auth, application_id, for_change=True)
    team_id = application.recruiter.team_id
    proposal = None if team_id is None else Proposal.objects.filter(
        pk=proposal_id, candidate_id=application.candidate_id, team_id=team_id).first()
    if proposal is None:
        raise Http404(f"No proposal with id {proposal_id} for this application.")
    return proposal


@router.post("/applications/{application_id}/proposals/{proposal_id}/accept",
             response=errors_of(WRITE, 200, ProposalOut), tags=["applications"])
def accept_proposal(request: AuthenticatedApiRequest, application_id: Id, proposal_id: Id, answer: str = ""):
    """Add what the proposal says, as read: a competing offer, the answer (on the touch of the question by
    e-mail it answers, else on its own touch), or the notice period and start date as new priorities.
    A question asked by e-mail (kind competition_asked) needs `answer` (disclosed, none, declined_to_say):
    its touch is marked asked and answered. 409 when it was already added or dismissed."""
    proposal = _proposal_of(request, application_id, proposal_id)
    return services.accept(proposal.pk, by=request.auth, now=timezone.now(), answer=answer[:32])


@router.post("/applications/{application_id}/proposals/{proposal_id}/dismiss",
             response=errors_of(WRITE, 200, ProposalOut), tags=["applications"])
def dismiss_proposal(request: AuthenticatedApiRequest, application_id: Id, proposal_id: Id):
    """Dismiss the proposal: nothing is recorded."""
    proposal = _proposal_of(request, application_id, proposal_id)
    return services.dismiss_proposal(proposal.pk, by=request.auth, now=timezone.now())
