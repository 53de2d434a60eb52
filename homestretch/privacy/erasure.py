"""Erasing a candidate: their identifying data removed from everywhere it lives, a de-identified outcome kept
for each of their applications, and the erasure itself recorded without the data (docs/data-rights.md).

One function, `erase_candidate`, called the same way by the command line, the API, the web app and the
retention worker. It runs in one transaction, with a fixed number of statements whatever the person's number
of touches, mail or offers (set-based updates and deletes), and refuses a candidate already erased.

What is kept, and why: the candidate's row stays as a tombstone ("Erased candidate", no contact, no free text)
with their applications, stage changes, offers, touches and competing offers, their free text blanked. The
organisation's figures (Insights, the track record, the training) are computed from those rows; keeping them
de-identified keeps one truth for every figure, where a copy elsewhere would have to be read beside them.
"""

from __future__ import annotations

import email
import email.policy
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model, Q, TextField
from django.db.models.functions import Cast
from django.http import Http404

from homestretch.accounts.models import IdempotencyKey, User
from homestretch.audit import trail
from homestretch.audit.choices import Kind
from homestretch.audit.models import Entry
from homestretch.history.models import PastOutcome
from homestretch.lib.refusals import DUPLICATE, INVALID, MISSING, NON_FIELD, OUT_OF_RANGE, Refused
from homestretch.mailin.models import MailMessage, Proposal
from homestretch.offers.choices import CompetingKind
from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities
from homestretch.pipeline import changes, stages
from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange, Touchpoint
from homestretch.risk.models import RiskSnapshot
from homestretch.situation.redact import named_in_confidence

from .choices import ErasureCause
from .models import ErasedOutcome, Erasure

logger = logging.getLogger(__name__)

ERASED_NAME = "Erased candidate"
REDACTED = "[erased]"
MAX_REASON = 500
# Offer bases are kept as bands this wide, by the offer's period (a yearly base to the 10,000).
BAND_WIDTH = {"year": Decimal(10_000), "month": Decimal(1_000), "day": Decimal(100), "hour": Decimal(10)}
# A name this short, or a phone with fewer digits, is too common to be looked for in other records' text.
MIN_NAME_LENGTH = 5
MIN_PHONE_DIGITS = 6

# The free text of other records that may mention the person by name, e-mail or phone: mentions are
# replaced by REDACTED, the rest of the text is the organisation's and stays.
MENTIONS: tuple[tuple[type[Model], str], ...] = (
    (Candidate, "notes"), (Candidate, "objection_note"), (Touchpoint, "notes"), (Application, "lessons"),
    (StageChange, "reason"), (Job, "lessons"), (Client, "notes"), (Offer, "notes"), (OfferEvent, "note"),
    (CompetingOffer, "notes"), (Priorities, "must_haves"), (MailMessage, "subject"), (MailMessage, "new_text"),
    (Proposal, "evidence"),
)


@dataclass(frozen=True)
class Identifiers:
    """What identifies the person, as recorded: looked for in other records, the idempotent responses and
    the mail files. Never logged."""

    name: str
    email: str
    phone: str

    @classmethod
    def of(cls, candidate: Candidate) -> Identifiers:
        return cls(name=candidate.name.strip(), email=candidate.email.strip(), phone=candidate.phone.strip())

    def searched(self) -> list[str]:
        """The strings worth looking for: a full name (not a short one, which would match everyone's text), the
        e-mail, the phone with enough digits."""
        found = []
        if len(self.name) >= MIN_NAME_LENGTH:
            found.append(self.name)
        if self.email:
            found.append(self.email)
        if sum(ch.isdigit() for ch in self.phone) >= MIN_PHONE_DIGITS:
            found.append(self.phone)
        return found

    def pattern(self) -> re.Pattern[str] | None:
        words = self.searched()
        if not words:
            return None
        return re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE)

    def named_in(self, text: str) -> bool:
        lowered = text.casefold()
        return any(word.casefold() in lowered for word in self.searched())


@dataclass(frozen=True)
class ErasureReport:
    """What one erasure did, in counts (no personal data): printed by the command line, answered by the API."""

    erasure: Erasure
    applications: int
    touchpoints: int
    mail_messages: int
    mentions_redacted: int
    idempotent_responses: int
    mail_files: int
    audit_entries: int

    def as_dict(self) -> dict[str, object]:
        return {
            "candidate_id": self.erasure.candidate_id, "erased_at": self.erasure.erased_at.isoformat(),
            "cause": self.erasure.cause, "applications": self.applications, "touchpoints": self.touchpoints,
            "mail_messages": self.mail_messages, "mentions_redacted": self.mentions_redacted,
            "idempotent_responses": self.idempotent_responses, "mail_files": self.mail_files,
            "audit_entries": self.audit_entries,
        }


def check_reason(reason: str | None, identifiers: Identifiers | None = None) -> str:
    """The erasure's reason as kept: required, at most MAX_REASON characters, and without the person's name,
    e-mail or phone (the audit and the Erasure row keep it after the person is gone)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason", "Say why the candidate is erased (for example: the candidate asked by e-mail).",
                      MISSING)
    if len(reason) > MAX_REASON:
        raise Refused("reason", f"The reason is at most {MAX_REASON} characters ({len(reason)} given).",
                      OUT_OF_RANGE)
    if identifiers is not None and identifiers.named_in(reason):
        raise Refused("reason", "The reason is kept after the erasure: write it without the candidate's name, "
                      "e-mail or phone.", INVALID)
    return reason


def erasure_of(candidate_id: int) -> Erasure | None:
    return Erasure.objects.filter(candidate_id=candidate_id).first()


def erase_candidate(candidate_id: int, *, reason: str, by: User | None, at: datetime,
                    cause: ErasureCause = ErasureCause.REQUEST, address: str = "") -> ErasureReport:
    """Erase candidate `candidate_id`: irreversible. Raises Http404 for an unknown id, Refused (reason, 422)
    for a missing reason or one naming the person, Refused (409, duplicate) for a candidate already erased.
    `by` is None for the retention worker; `address` is the client address for the audit."""
    check_reason(reason)
    with transaction.atomic():
        # The row lock makes a second erasure of the same person (two admins, the worker) wait, then refuse.
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        if candidate is None:
            raise Http404(f"No candidate with id {candidate_id}.")
        earlier = erasure_of(candidate_id)
        if earlier is not None:
            raise Refused(NON_FIELD, f"Candidate {candidate_id} was already erased on "
                          f"{earlier.erased_at:%Y-%m-%d}: there is nothing left to erase.", DUPLICATE)
        identifiers = Identifiers.of(candidate)
        reason = check_reason(reason, identifiers)

        outcomes = _outcomes(candidate)
        erasure = Erasure.objects.create(candidate_id=candidate_id, erased_at=at, erased_by=by, cause=cause,
                                         reason=reason, applications=len(outcomes))
        for outcome in outcomes:
            outcome.erasure = erasure
        ErasedOutcome.objects.bulk_create(outcomes)

        applications = Application.objects.filter(candidate_id=candidate_id)
        _tombstone(candidate)
        touchpoints = Touchpoint.objects.filter(candidate_id=candidate_id).exclude(notes="").update(notes="")
        StageChange.objects.filter(application__candidate_id=candidate_id).exclude(reason="").update(reason="")
        applications.exclude(lessons="").update(lessons="")
        offers = Offer.objects.filter(application__candidate_id=candidate_id)
        offers.exclude(notes="").update(notes="")
        OfferEvent.objects.filter(offer__in=offers).exclude(note="").update(note="")
        CompetingOffer.objects.filter(candidate_id=candidate_id).update(notes="", role="")
        Priorities.objects.filter(candidate_id=candidate_id).exclude(must_haves="").update(must_haves="")

        mail = MailMessage.objects.filter(_mail_about(candidate_id, identifiers))
        Proposal.objects.filter(Q(candidate_id=candidate_id) | Q(message__in=mail)).delete()
        mail_messages = mail.count()
        mail.delete()

        mentions = _redact_mentions(identifiers)
        # Imported history: no candidate id, but a file's other columns (`extra`) may have held a name or an e-mail.
        mentions += _redact_stored_mentions(PastOutcome, ("extra", "source", "location", "business_line"), identifiers)
        idempotent = _forget_idempotent_responses(identifiers)
        _forget_in_sessions(identifiers, at)
        # Risk snapshots are derived from the rows above: dropped, and counted stale for the next read.
        RiskSnapshot.objects.filter(application__candidate_id=candidate_id).delete()
        changes.count_change(candidate_ids=[candidate_id])

        audit_entries = _audit(erasure, identifiers, [outcome.application_id for outcome in outcomes], address)
        mail_files = _forget_in_mail_files(identifiers)
    logger.info("candidate %s erased (%s): %s applications kept de-identified", candidate_id, cause, len(outcomes))
    return ErasureReport(erasure=erasure, applications=len(outcomes), touchpoints=touchpoints,
                         mail_messages=mail_messages, mentions_redacted=mentions, idempotent_responses=idempotent,
                         mail_files=mail_files, audit_entries=audit_entries)


def _tombstone(candidate: Candidate) -> None:
    candidate.name = ERASED_NAME
    candidate.email = candidate.phone = candidate.location = ""
    candidate.current_employer = candidate.current_title = candidate.current_currency = ""
    candidate.current_base = None
    candidate.skills = candidate.notes = candidate.objection_note = ""
    candidate.years_experience = None
    # Nobody left to hold a legal basis for, renew it with or object: the tombstone is in no renewal list.
    candidate.legal_basis = candidate.basis_obtained_how = ""
    candidate.basis_obtained_at = candidate.basis_renew_by = candidate.objected_at = None
    candidate.consent_to_contact, candidate.consent_given_at = False, None
    # `save` writes the folded search text too (SearchTextField), so the search finds nothing of them.
    candidate.save()


def _mail_about(candidate_id: int, identifiers: Identifiers) -> Q:
    """The mail kept about the person: matched to them, or from or to their address (unmatched, dismissed)."""
    about = Q(candidate_id=candidate_id)
    if identifiers.email:
        about |= Q(from_address__iexact=identifiers.email) | Q(recipients__icontains=identifiers.email)
    return about


def _redact_mentions(identifiers: Identifiers) -> int:
    """Replace the person's name, e-mail and phone where other records' free text names them: one query per
    column to find the rows (the person's own rows were blanked already), one bulk update to write them."""
    pattern = identifiers.pattern()
    if pattern is None:
        return 0
    redacted = 0
    for model, field in MENTIONS:
        found = Q()
        for word in identifiers.searched():
            found |= Q(**{f"{field}__icontains": word})
        rows = list(model._default_manager.filter(found).only("pk", field))
        changed = []
        for row in rows:
            text = getattr(row, field)
            new_text = pattern.sub(REDACTED, text)
            if new_text != text:
                setattr(row, field, new_text)
                changed.append(row)
        if changed:
            model._default_manager.bulk_update(changed, [field], batch_size=500)
            redacted += len(changed)
    return redacted


def _redacted(value: Any, pattern: re.Pattern[str]) -> Any:
    """A JSON value with every mention replaced, in strings at any depth (keys are field names: kept)."""
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [_redacted(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, pattern) for key, item in value.items()}
    return value


def _redact_stored_mentions(model: type[Model], fields: tuple[str, ...], identifiers: Identifiers) -> int:
    """Rows of `model` whose `fields` (JSON or text) name the person: found by a text search of each field (as
    written, and JSON-escaped), each mention replaced at any depth of the JSON, the row otherwise kept."""
    pattern = identifiers.pattern()
    if pattern is None:
        return 0
    found = Q()
    for word in identifiers.searched():
        for form in {word, json.dumps(word)[1:-1]}:
            for field in fields:
                found |= Q(**{f"searched_{field}__icontains": form})
    texts = {f"searched_{field}": Cast(field, TextField()) for field in fields}
    rows = list(model._default_manager.alias(**texts).filter(found).only("pk", *fields))
    for row in rows:
        for field in fields:
            setattr(row, field, _redacted(getattr(row, field), pattern))
    model._default_manager.bulk_update(rows, list(fields), batch_size=500)
    return len(rows)


def _redact_audit_mentions(identifiers: Identifiers) -> int:
    """Audit entries about other records (another candidate's notes "referred by …", a job) that name the
    person. `forget_candidate` scrubs the entries about the person; this reaches the rest. bulk_update, as
    trail.forget_candidate does: entries are append-only to save(), by design, and the right to erasure is the
    one reason to rewrite them (docs/data-rights.md)."""
    return _redact_stored_mentions(
        Entry, ("changes", "changes_text", "serialized_data", "additional_data", "object_repr"), identifiers)


def _forget_in_sessions(identifiers: Identifiers, at: datetime) -> int:
    """Signed-in users' sessions (the database backend) may hold the person for one page: a move refused on
    the board keeps the candidate's name and what was typed until the board is shown again. Each live session
    is decoded (they are signed, so no SQL can search them; there is one per signed-in browser) and any value
    naming the person is dropped. Returns the sessions changed."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db" or not identifiers.searched():
        return 0
    store = SessionStore()
    changed = []
    for session in Session.objects.filter(expire_date__gt=at).only("session_key", "session_data"):
        data = store.decode(session.session_data)
        kept = {key: value for key, value in data.items()
                if not identifiers.named_in(json.dumps(value, default=str, ensure_ascii=False))}
        if len(kept) != len(data):
            session.session_data = store.encode(kept)
            changed.append(session)
    Session.objects.bulk_update(changed, ["session_data"], batch_size=500)
    return len(changed)


def _forget_idempotent_responses(identifiers: Identifiers) -> int:
    """Idempotency keys keep their first response for 24 hours, to answer a repeat: those that hold the person
    (as written, or JSON-escaped) are deleted; a repeat of one is then answered afresh."""
    found = Q()
    for word in identifiers.searched():
        for form in {word, json.dumps(word)[1:-1]}:
            found |= Q(response_body__icontains=form)
    if not found:
        return 0
    deleted, _ = IdempotencyKey.objects.filter(found).delete()
    return deleted


def _audit(erasure: Erasure, identifiers: Identifiers, application_ids: list[int], address: str) -> int:
    """The audit's entries about the person scrubbed (the tombstone's own save above wrote one with the
    values before it: scrubbed too, being about the candidate), then one entry that the erasure happened, by
    whom, from where and why, naming no one. Returns the entries scrubbed."""
    refs: list[trail.ObjectRef] = [(Application, pk) for pk in application_ids]
    refs += [(Offer, pk) for pk in Offer.objects.filter(application_id__in=application_ids)
             .values_list("pk", flat=True)]
    refs += [(CompetingOffer, pk) for pk in CompetingOffer.objects.filter(candidate_id=erasure.candidate_id)
             .values_list("pk", flat=True)]
    refs += [(Priorities, pk) for pk in Priorities.objects.filter(candidate_id=erasure.candidate_id)
             .values_list("pk", flat=True)]
    scrubbed = trail.forget_candidate(erasure.candidate_id, refs) + _redact_audit_mentions(identifiers)
    # No user named (the worker, a command without --by): whoever acts now, as the audit's context says.
    trail.record(Kind.ERASED, actor=erasure.erased_by, address=address or None, object_type="candidate",
                 object_id=erasure.candidate_id, label=f"candidate {erasure.candidate_id}",
                 detail={"reason": erasure.reason, "cause": erasure.cause, "applications": erasure.applications})
    return scrubbed


def _forget_in_mail_files(identifiers: Identifiers) -> int:
    """E-mail written to files (the default without EMAIL_HOST: the digests land in var/mail as they would
    have been sent): each file's messages that name the person are dropped, the others kept. Returns the files
    changed. Runs inside the erasure's transaction, last, so that a failure here erases nothing."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend" or not identifiers.searched():
        return 0
    folder = Path(settings.EMAIL_FILE_PATH)
    if not folder.is_dir():
        return 0
    changed = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        messages = _split_mail_file(raw)
        kept = [message for message in messages if not identifiers.named_in(_readable(message))]
        if len(kept) == len(messages):
            continue
        if kept:
            path.write_bytes(b"".join(kept))
        else:
            path.unlink()
        changed += 1
    return changed


# Django's file backend writes each message followed by a line of 79 dashes.
_SEPARATOR = b"-" * 79 + b"\n"


def _split_mail_file(raw: bytes) -> list[bytes]:
    parts = raw.split(_SEPARATOR)
    return [part + _SEPARATOR for part in parts if part.strip()]


def _readable(message_bytes: bytes) -> str:
    """The message as a reader sees it: headers and every text part decoded (quoted-printable, base64)."""
    message = email.message_from_bytes(message_bytes.removesuffix(_SEPARATOR), policy=email.policy.default)
    texts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                charset = part.get_content_charset() or "utf-8"
                try:
                    texts.append(payload.decode(charset, "replace"))
                except LookupError:  # an unknown charset: read as UTF-8
                    texts.append(payload.decode("utf-8", "replace"))
    texts.append(message_bytes.decode("utf-8", "replace"))
    return "\n".join(texts)


def _month(moment: datetime | date | None) -> date | None:
    if moment is None:
        return None
    return date(moment.year, moment.month, 1)


def _band(base: Decimal | None, period: str) -> tuple[Decimal | None, Decimal | None]:
    if base is None:
        return None, None
    width = BAND_WIDTH.get(period, Decimal(10_000))
    low = (base // width) * width
    return low, low + width


def _outcomes(candidate: Candidate) -> list[ErasedOutcome]:
    """The de-identified outcome of each of the candidate's applications, in four queries."""
    rows = list(Application.objects.filter(candidate_id=candidate.pk).order_by("pk").values_list(
        "pk", "job_id", "job__client_id", "recruiter__team_id", "stage", "created_at", "accepted_at", "closed_at"))
    if not rows:
        return []
    ids = [row[0] for row in rows]
    reached: dict[int, dict[str, str]] = defaultdict(dict)
    loss_reason: dict[int, str] = {}
    for application_id, to_stage, at, reason in (StageChange.objects.filter(application_id__in=ids)
                                                  .order_by("at", "pk")
                                                  .values_list("application_id", "to_stage", "at", "loss_reason")):
        reached[application_id].setdefault(to_stage, f"{at:%Y-%m}")
        if reason:
            loss_reason[application_id] = reason
    latest_offer: dict[int, tuple] = {}
    for application_id, status, base, currency, period, decline, won_by in (
            Offer.objects.filter(application_id__in=ids).order_by("application_id", "revision", "pk")
            .values_list("application_id", "status", "base", "currency", "period", "decline_reason", "won_by")):
        latest_offer[application_id] = (status, base, currency, period, decline, won_by)
    competing = list(CompetingOffer.objects.filter(candidate_id=candidate.pk)
                     .values_list("kind", "company", "confidential"))
    counteroffer = any(kind == CompetingKind.COUNTEROFFER for kind, _, _ in competing)
    external = sum(1 for kind, _, _ in competing if kind != CompetingKind.COUNTEROFFER)
    secret = [company for _, company, confidential in competing if confidential]

    outcomes = []
    for pk, job_id, client_id, team_id, stage, created_at, accepted_at, closed_at in rows:
        status, base, currency, period, decline, won_by = latest_offer.get(pk, ("", None, "", "", "", ""))
        low, high = _band(base, period)
        won_by = (won_by or "").strip() if stage in stages.LOSSES else ""
        opened = _month(created_at)
        assert opened is not None, "an application always has its creation time"
        outcomes.append(ErasedOutcome(
            application_id=pk, job_id=job_id, client_id=client_id, team_id=team_id, source=candidate.source,
            stage=stage, outcome=stages.outcome_of(stage), stage_months=dict(reached.get(pk, {})),
            opened_month=opened, accepted_month=_month(accepted_at), closed_month=_month(closed_at),
            loss_reason=loss_reason.get(pk, ""), offer_status=status, offer_decline_reason=decline,
            offer_base_band_from=low, offer_base_band_to=high, currency=currency if base is not None else "",
            period=period if base is not None else "", counteroffer=counteroffer, competing_offers=external,
            competitor_won="" if won_by and named_in_confidence(won_by, secret) else won_by,
        ))
    return outcomes


def erased_ids(candidate_ids: Iterable[int]) -> set[int]:
    """Which of these candidates were erased (one query)."""
    return set(Erasure.objects.filter(candidate_id__in=list(candidate_ids)).values_list("candidate_id", flat=True))
