"""The one pipeline every message goes through, however it came in (the drop address, an IMAP mailbox,
an uploaded .eml, the API): read it, match its addresses to a recruiter and a candidate, log the touch
through the pipeline's own service, and propose what it says about the competition.

What a recruiter can count on:
- a message between a recruiter (any of their addresses) and a candidate becomes one e-mail touch on
  each of the candidate's open applications with the recruiter's team, outbound when the recruiter
  wrote it, dated by its Date header;
- the same message never makes two touches for a team, whichever way it came in (its fingerprint:
  Message-ID, sender, date and subject), and a Message-ID reused by another sender is another message;
- a message that matches no candidate waits in the Unmatched mail of the recruiter who sent or
  received it, to attach or dismiss; nothing creates a candidate;
- when the installation names its mail server (HOMESTRETCH_MAILIN_AUTHSERV_ID), a message whose
  sender that server did not verify (DMARC, else DKIM) makes no touch: it waits in Unmatched mail;
- what a message says about other offers is proposed, never applied (Proposal);
- a refused message is logged with its reason and size, never an address or a word of it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from homestretch.accounts.access import can_change_team
from homestretch.accounts.models import User
from homestretch.lib.refusals import CLOSED, INVALID, NON_FIELD, NOT_APPLICABLE, Refused
from homestretch.offers import services as offer_services
from homestretch.offers.models import CompetingOffer, Priorities
from homestretch.pipeline import services as pipeline_services
from homestretch.pipeline import stages
from homestretch.pipeline.choices import Channel, CompetitionAnswer, Direction
from homestretch.pipeline.models import Application, Candidate, Touchpoint

from . import extract, parsing
from .choices import MailStatus, ProposalKind, ProposalStatus, UnmatchedReason, Via
from .models import MailMessage, Proposal, RecruiterAddress

logger = logging.getLogger("homestretch.mailin")

# A message to more candidates than this is a mailing, not a contact with each: it waits in Unmatched.
MAX_CANDIDATES_PER_MESSAGE = 5
# A Date header further back than this, or ahead of the moment it came in, is not believed.
OLDEST_DATE = timedelta(days=365 * 2)

NO_RECRUITER = "no_recruiter"
REFUSAL_WORDS = {**parsing.REFUSAL_REASONS, NO_RECRUITER: "none of the message's addresses is a recruiter's"}


@dataclass
class Received:
    """What became of one message: `refused` with its reason, or one MailMessage per team (matched,
    unmatched) with the touches made; `duplicates` counts the teams that had it already."""

    messages: list[MailMessage] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    duplicates: int = 0
    refused: str = ""  # a code of REFUSAL_WORDS

    @property
    def refused_words(self) -> str:
        return REFUSAL_WORDS.get(self.refused, "")

    def as_dict(self) -> dict:
        return {
            "refused": self.refused, "reason": self.refused_words, "duplicates": self.duplicates,
            "messages": [{"id": m.pk, "status": m.status, "unmatched_reason": m.unmatched_reason}
                         for m in self.messages],
            "touchpoints": [t.pk for t in self.touchpoints],
        }


def _log_refusal(via: str, reason: str, size: int) -> None:
    # The reason and the size only: no address, subject, Message-ID or text (personal data).
    logger.warning("mail refused: via=%s reason=%s bytes=%d", via, reason, size)


def recruiters_by_address(addresses: Iterable[str]) -> dict[str, User]:
    """Recruiters (users with a team) by each of these addresses that is theirs: their login or another
    address of theirs. Two queries, whatever the number of addresses."""
    wanted = sorted({a for a in addresses if a})
    found: dict[str, User] = {}
    if not wanted:
        return found
    users = User.objects.filter(is_active=True, team__isnull=False)
    for user in users.annotate(address=Lower("email")).filter(address__in=wanted):
        found[user.email.lower()] = user
    for extra in RecruiterAddress.objects.select_related("user").annotate(lower=Lower("address")).filter(
            lower__in=wanted, user__is_active=True, user__team__isnull=False):
        found.setdefault(extra.address.lower(), extra.user)
    return found


def _candidates_by_address(addresses: Iterable[str]) -> dict[str, Candidate]:
    wanted = sorted({a for a in addresses if a})
    if not wanted:
        return {}
    return {c.email.lower(): c for c in Candidate.objects.annotate(lower=Lower("email")).filter(lower__in=wanted)}


def _sender_verified(parsed: parsing.ParsedMessage, via: str) -> bool:
    authserv_id = getattr(settings, "MAILIN_AUTHSERV_ID", "")
    if not authserv_id or via == Via.UPLOAD:
        return True  # no mail server named to vouch; an upload is vouched for by the signed-in recruiter
    return parsing.dmarc_passed(parsed.authentication_results, authserv_id)


@dataclass
class _Match:
    team_id: int
    recruiter: User
    direction: str
    candidates: list[Candidate]
    reason: str = ""


def _matches(parsed: parsing.ParsedMessage, recruiters: dict[str, User],
             candidates: dict[str, Candidate]) -> list[_Match]:
    """One match per team involved. The recruiter who wrote it (or forwarded it) makes it outbound to the
    candidates among its recipients; otherwise it is inbound from its sender to the recruiters among its
    recipients (the first of each team is the one whose Unmatched list it lands in)."""
    sender = recruiters.get(parsed.from_address)
    forwarder = recruiters.get(parsed.forwarded_by) if parsed.forwarded_by else None
    if parsed.forwarded_by and forwarder is None:
        return []  # only a recruiter's forward is believed about who wrote the forwarded message
    if sender is not None:
        assert sender.team_id is not None, "recruiters_by_address returns users with a team"
        found = [candidates[a] for a in parsed.recipients if a in candidates]
        return [_Match(sender.team_id, forwarder or sender, Direction.OUTBOUND, found)]
    candidate = candidates.get(parsed.from_address)
    matches: dict[int, _Match] = {}
    on_side = [forwarder] if forwarder is not None else [recruiters[a] for a in parsed.recipients if a in recruiters]
    for recruiter in on_side:
        assert recruiter.team_id is not None, "recruiters_by_address returns users with a team"
        if recruiter.team_id not in matches:
            matches[recruiter.team_id] = _Match(recruiter.team_id, recruiter, Direction.INBOUND,
                                                [candidate] if candidate else [])
    return list(matches.values())


def receive(raw: bytes, *, via: str, now: datetime, uploaded_by: User | None = None,
            candidate: Candidate | None = None) -> Received:
    """Take in one message (bytes as received). An upload names the recruiter who uploads it and the
    candidate whose page it was uploaded on: the message is theirs, whatever its addresses say."""
    try:
        parsed = parsing.parse_message(raw)
    except parsing.MessageRefused as refused:
        _log_refusal(via, refused.reason, refused.size)
        return Received(refused=refused.reason)
    recruiters = recruiters_by_address(parsed.addresses + ((parsed.forwarded_by,) if parsed.forwarded_by else ()))
    if uploaded_by is not None and candidate is not None:
        if uploaded_by.team_id is None:
            raise Refused(NON_FIELD, "Only a recruiter of a team can upload mail.", NOT_APPLICABLE)
        direction = Direction.OUTBOUND if parsed.from_address in recruiters or (
            parsed.from_address == uploaded_by.email.lower()) else Direction.INBOUND
        matches = [_Match(uploaded_by.team_id, uploaded_by, direction, [candidate])]
    else:
        matches = _matches(parsed, recruiters, _candidates_by_address(parsed.addresses))
    if not matches:
        _log_refusal(via, NO_RECRUITER, parsed.size)
        return Received(refused=NO_RECRUITER)
    verified = _sender_verified(parsed, via)
    received = Received()
    for match in matches:
        if not verified:
            match.reason = UnmatchedReason.UNVERIFIED_SENDER
        _take_in(parsed, match, via=via, now=now, received=received)
    if received.duplicates:
        logger.info("mail already taken in: via=%s teams=%d", via, received.duplicates)
    return received


def _open_applications(candidate_ids: Sequence[int], team_id: int) -> list[Application]:
    return list(Application.objects.filter(candidate_id__in=candidate_ids, recruiter__team_id=team_id,
                                           stage__in=sorted(stages.OPEN))
                .select_related("candidate", "job__client").order_by("candidate_id", "id"))


def _take_in(parsed: parsing.ParsedMessage, match: _Match, *, via: str, now: datetime, received: Received) -> None:
    candidate_ids = [c.pk for c in match.candidates]
    applications = _open_applications(candidate_ids, match.team_id) if candidate_ids else []
    reason = match.reason
    if not reason:
        if not match.candidates:
            reason = UnmatchedReason.NO_CANDIDATE
        elif len(match.candidates) > MAX_CANDIDATES_PER_MESSAGE:
            reason = UnmatchedReason.MANY_CANDIDATES
        elif not applications:
            reason = UnmatchedReason.NO_OPEN_APPLICATION
    single = match.candidates[0] if len(match.candidates) == 1 else None
    message = MailMessage(
        team_id=match.team_id, recruiter=match.recruiter, candidate=single, via=via,
        status=MailStatus.UNMATCHED if reason else MailStatus.MATCHED, unmatched_reason=reason,
        fingerprint=parsed.fingerprint, message_id=parsed.message_id, direction=match.direction,
        from_address=parsed.from_address[:320], recipients="\n".join(parsed.recipients)[:20_000],
        subject=parsed.subject, sent_at=parsed.sent_at, received_at=now, new_text=parsed.new_text,
        size=parsed.size, attachments=min(parsed.attachments, 32767),
    )
    try:
        with transaction.atomic():
            message.save()
            if not reason:
                received.touchpoints += _log_touches(message, applications, now=now)
    except IntegrityError:
        # Taken in already (by SMTP and IMAP at once, or before): the unique fingerprint per team says so.
        if MailMessage.objects.filter(team_id=match.team_id, fingerprint=parsed.fingerprint).exists():
            received.duplicates += 1
            return
        raise
    received.messages.append(message)


def _log_touches(message: MailMessage, applications: list[Application], *, now: datetime) -> list[Touchpoint]:
    """One e-mail touch on each application, through the pipeline's own service; then the proposals."""
    at = _touch_at_of(message, now)
    notes = (f"{message.subject}\n\n{message.new_text}" if message.subject else message.new_text).strip()
    touches = []
    for application in applications:
        touch = Touchpoint(
            application=application, candidate_id=application.candidate_id, recruiter=message.recruiter,
            at=at, channel=Channel.EMAIL, direction=message.direction, notes=notes[:parsing.MAX_NOTES_CHARS],
        )
        pipeline_services.log_touchpoint(touch, now=now)
        touches.append(touch)
    message.touchpoints.add(*touches)
    by_candidate: dict[int, list[Application]] = {}
    for application in applications:
        by_candidate.setdefault(application.candidate_id, []).append(application)
    for candidate_apps in by_candidate.values():
        candidate = candidate_apps[0].candidate
        first_touch = next(t for t in touches if t.candidate_id == candidate.pk)
        propose(message.new_text, candidate=candidate, team_id=message.team_id, said_at=at, now=now,
                message=message, touchpoint=first_touch,
                our_companies=tuple(a.job.client.name for a in candidate_apps))
    return touches


def _touch_at_of(message: MailMessage, now: datetime) -> datetime:
    sent = message.sent_at
    if sent is None or sent > now + timedelta(minutes=5) or sent < now - OLDEST_DATE:
        return message.received_at if message.received_at <= now else now
    return sent


def propose(text: str, *, candidate: Candidate, team_id: int, said_at: datetime, now: datetime,
            message: MailMessage | None = None, touchpoint: Touchpoint | None = None,
            our_companies: tuple[str, ...] = ()) -> list[Proposal]:
    """Read `text` and propose what it says to the candidate's team; applies nothing. Called for every
    message taken in and for the notes typed into the touch form."""
    if not text.strip():
        return []
    findings = extract.extract(text, said_at=said_at, current_employer=candidate.current_employer,
                               our_companies=our_companies)
    common = {"candidate": candidate, "team_id": team_id, "message": message, "touchpoint": touchpoint,
              "said_at": said_at, "created_at": now}
    proposals = [
        Proposal(kind=ProposalKind.COMPETING_OFFER, company=found.company[:200], competing_kind=found.kind,
                 stage=found.stage, base=found.amount if found.currency else None, currency=found.currency
                 if found.amount is not None else "", period=found.period if found.amount is not None else "",
                 deadline=found.deadline, evidence=found.evidence[:500], **common)
        for found in findings.competing
    ]
    # The answer is proposed for an inbound message or a touch's notes, whose question was asked (in the
    # thread, or on the call): on the recruiter's open question by e-mail when there is one (adding it
    # marks that e-mail's touch asked and answered), else on this touch. An outbound question alone is
    # proposed as a question waiting for its answer: the touch is marked asked only with one.
    inbound = touchpoint is not None and touchpoint.direction == Direction.INBOUND
    if findings.answer and (inbound or message is None) and touchpoint is not None and not touchpoint.competition_asked:
        proposals.append(Proposal(kind=ProposalKind.COMPETITION_ANSWER, answer=findings.answer,
                                  evidence=(findings.competing[0].evidence if findings.competing else "")[:500],
                                  question=open_question(candidate.pk, team_id, said_at), **common))
    elif (findings.asked and not findings.answer and message is not None and touchpoint is not None
          and touchpoint.direction == Direction.OUTBOUND and not touchpoint.competition_asked):
        proposals.append(Proposal(kind=ProposalKind.COMPETITION_ASKED, evidence=findings.asked_evidence[:500],
                                  **common))
    if findings.notice_days is not None or findings.start_date is not None:
        proposals.append(Proposal(kind=ProposalKind.NOTICE, notice_days=findings.notice_days,
                                  start_date=findings.start_date, evidence=findings.notice_evidence[:500], **common))
    Proposal.objects.bulk_create(proposals)
    return proposals


def open_question(candidate_id: int, team_id: int, before: datetime) -> Proposal | None:
    """The team's latest question about the competition to the candidate, by e-mail, still waiting for its
    answer and asked no later than `before`; None when there is none."""
    return (Proposal.objects.filter(candidate_id=candidate_id, team_id=team_id, kind=ProposalKind.COMPETITION_ASKED,
                                    status=ProposalStatus.PROPOSED, said_at__lte=before, touchpoint__isnull=False)
            .order_by("-said_at", "-id").first())


# --- Unmatched mail: attach or dismiss --------------------------------------------------------------


def unmatched_for(user: User):
    """The Unmatched mail a user sees: what landed with them, and with their team's recruiters."""
    messages = MailMessage.objects.filter(status=MailStatus.UNMATCHED)
    if user.is_admin and user.team_id is None:
        return messages
    return messages.filter(Q(recruiter=user) | Q(team_id=user.team_id))


def _require_team(user: User, team_id: int, what: str) -> None:
    if not can_change_team(user, team_id):
        raise Refused(NON_FIELD, f"Only a recruiter of the team that received it can {what}.", NOT_APPLICABLE)


def attach(message: MailMessage, candidate: Candidate, *, by: User, now: datetime) -> list[Touchpoint]:
    """Attach an unmatched message to a candidate: a touch on each of their open applications with the
    message's team, and its proposals."""
    _require_team(by, message.team_id, "attach this message")
    if message.status != MailStatus.UNMATCHED:
        raise Refused(NON_FIELD, "This message is no longer in Unmatched mail.", CLOSED)
    applications = _open_applications([candidate.pk], message.team_id)
    if not applications:
        raise Refused("candidate", f"{candidate.name} has no open application with this team.", INVALID)
    with transaction.atomic():
        locked = MailMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != MailStatus.UNMATCHED:
            raise Refused(NON_FIELD, "This message is no longer in Unmatched mail.", CLOSED)
        locked.candidate, locked.status, locked.decided_by, locked.decided_at = (
            candidate, MailStatus.ATTACHED, by, now)
        if locked.recruiter is None:
            locked.recruiter = by
        locked.save(update_fields=["candidate", "status", "decided_by", "decided_at", "recruiter"])
        touches = _log_touches(locked, applications, now=now)
    message.refresh_from_db()
    return touches


def dismiss(message: MailMessage, *, by: User, now: datetime) -> None:
    """Dismiss an unmatched message: its subject and text are erased (kept no longer than needed); its
    fingerprint stays, so that the same message is not taken in again."""
    _require_team(by, message.team_id, "dismiss this message")
    updated = MailMessage.objects.filter(pk=message.pk, status=MailStatus.UNMATCHED).update(
        status=MailStatus.DISMISSED, subject="", new_text="", recipients="", decided_by=by, decided_at=now)
    if not updated:
        raise Refused(NON_FIELD, "This message is no longer in Unmatched mail.", CLOSED)


# --- Proposals: add or dismiss ----------------------------------------------------------------------


def proposals_for(candidate_id: int, team_id: int | None):
    """The open proposals about a candidate for a team, newest first (none for a user of no team)."""
    if team_id is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(candidate_id=candidate_id, team_id=team_id, status=ProposalStatus.PROPOSED)


def competing_offer_of(proposal: Proposal) -> CompetingOffer:
    """The competing offer a proposal would record, unsaved: the Edit form's initial values too."""
    return CompetingOffer(
        candidate_id=proposal.candidate_id, kind=proposal.competing_kind or "external", company=proposal.company,
        stage=proposal.stage or "interviewing", base=proposal.base, currency=proposal.currency,
        period=proposal.period or "year", deadline=proposal.deadline, learned_at=proposal.said_at,
        learned_in=proposal.touchpoint, notes=f"From the e-mail: {proposal.evidence}"[:2000],
    )


def _open_proposal(proposal_id: int, by: User) -> Proposal:
    # Locked alone (PostgreSQL locks no row of an outer join's nullable side); its touch is read after.
    proposal = Proposal.objects.select_for_update(of=("self",)).select_related("touchpoint", "candidate").get(
        pk=proposal_id)
    _require_team(by, proposal.team_id, "decide on this proposal")
    if proposal.status != ProposalStatus.PROPOSED:
        raise Refused(NON_FIELD, f"This proposal was already {proposal.get_status_display().lower()}.", CLOSED)
    return proposal


def answered_question(proposal: Proposal) -> Proposal | None:
    """The open question by e-mail that adding this answer marks asked and answered (None: the answer goes
    on its own touch)."""
    question = proposal.question if proposal.question_id is not None else None
    if question is None or question.status != ProposalStatus.PROPOSED or question.touchpoint_id is None:
        return None
    return question


def _mark_answered(touch: Touchpoint | None, answer: str, *, now: datetime) -> None:
    """The touch marked asked and answered, through the pipeline's service (as the touch form does)."""
    if touch is None:
        raise Refused(NON_FIELD, "The touch this was read from was deleted.", NOT_APPLICABLE)
    if answer not in CompetitionAnswer.values:
        raise Refused("answer", "Choose what the candidate answered: " + ", ".join(
            str(label).lower() for label in CompetitionAnswer.labels) + ".", INVALID)
    if touch.competition_asked:
        raise Refused(NON_FIELD, f"The touch of {touch.at:%-d %b} is already marked asked (answer: "
                                 f"{touch.get_competition_answer_display().lower()}); nothing changed.", CLOSED)
    touch.competition_asked, touch.competition_answer = True, answer
    pipeline_services.log_touchpoint(touch, now=now)


def accept(proposal_id: int, *, by: User, now: datetime, competing: CompetingOffer | None = None,
           answer: str = "") -> Proposal:
    """Apply a proposal as the recruiter confirmed it (`competing`: the offer as edited, else as read):
    a competing offer through the offers' service; an answer through the pipeline's, on the touch of the
    open question it answers (that question closed with it) or else on its own touch; a question asked by
    e-mail with the `answer` the recruiter gives; a notice period or start date as a new version of the
    candidate's priorities."""
    with transaction.atomic():
        proposal = _open_proposal(proposal_id, by)
        if proposal.kind == ProposalKind.COMPETING_OFFER:
            record = competing if competing is not None else competing_offer_of(proposal)
            record.candidate_id = proposal.candidate_id
            offer_services.record_competing_offer(record, by=by, at=now)
            proposal.competing_offer = record
        elif proposal.kind == ProposalKind.COMPETITION_ANSWER:
            question = answered_question(proposal)
            if question is not None:
                question = _open_proposal(question.pk, by)
                _mark_answered(question.touchpoint, proposal.answer, now=now)
                question.status, question.decided_by, question.decided_at = ProposalStatus.ACCEPTED, by, now
                question.answer = proposal.answer
                question.save(update_fields=["status", "decided_by", "decided_at", "answer"])
            else:
                _mark_answered(proposal.touchpoint, proposal.answer, now=now)
        elif proposal.kind == ProposalKind.COMPETITION_ASKED:
            _mark_answered(proposal.touchpoint, answer, now=now)
            proposal.answer = answer
        else:
            known = Priorities.objects.filter(candidate_id=proposal.candidate_id).order_by("-as_of", "-id")
            current = known.filter(recorded_by_team_id=by.team_id).first() or known.first()
            priorities = Priorities(candidate_id=proposal.candidate_id)
            if current is not None:
                for name in ("base_min", "base_target", "currency", "period", "remote_preference", "remote_days",
                             "notice_days", "earliest_start", "must_haves", "importance_pay", "importance_remote",
                             "importance_speed", "importance_title", "importance_growth", "importance_stack"):
                    setattr(priorities, name, getattr(current, name))
            if proposal.notice_days is not None:
                priorities.notice_days = proposal.notice_days
            if proposal.start_date is not None:
                priorities.earliest_start = proposal.start_date
            offer_services.set_priorities(priorities, by=by, at=now)
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.ACCEPTED, by, now
        proposal.save(update_fields=["status", "decided_by", "decided_at", "competing_offer", "answer"])
    return proposal


def dismiss_proposal(proposal_id: int, *, by: User, now: datetime) -> Proposal:
    with transaction.atomic():
        proposal = _open_proposal(proposal_id, by)
        proposal.status, proposal.decided_by, proposal.decided_at = ProposalStatus.DISMISSED, by, now
        proposal.save(update_fields=["status", "decided_by", "decided_at"])
    return proposal


# --- A recruiter's other addresses ------------------------------------------------------------------


def add_address(user: User, address: str, *, now: datetime) -> RecruiterAddress:
    """Another address the user writes from. Refused when it is a candidate's or someone else's: it
    would turn their mail into the user's."""
    normal = parsing.normal_address(address)
    if not normal:
        raise Refused("address", "Enter an e-mail address.", INVALID)
    if Candidate.objects.annotate(lower=Lower("email")).filter(lower=normal).exists():
        raise Refused("address", "This is a candidate's address.", INVALID)
    if User.objects.filter(email__iexact=normal).exclude(pk=user.pk).exists() or RecruiterAddress.objects.annotate(
            lower=Lower("address")).filter(lower=normal).exists():
        raise Refused("address", "This address is already someone's.", INVALID)
    extra = RecruiterAddress(user=user, address=normal, created_at=now)
    extra.full_clean()
    extra.save()
    return extra
