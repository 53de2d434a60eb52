"""A candidate's legal basis for holding their data, its renewal, and their objection: the rules, in one place.

Every candidate may carry a legal basis (GDPR art. 6): their consent, or the agency's legitimate interest
in placing them. The basis is dated (`basis_obtained_at`), says how it was obtained, and must be renewed by
a day (`basis_renew_by`); by default that day follows from the basis (RENEW_AFTER_MONTHS). A candidate may
object (art. 21: `objected_at`, with a note): from then on nobody is prompted to contact them: no agenda
item, digest line, chat line, calendar event or next best action that contacts the candidate
(`ApplicationFacts.candidate_objected`, read by `cadence.due`, `risk.actions` and the calendar feed).

`consent_to_contact` and `consent_given_at`, the fields the API had before the basis, are kept in step
with it here (`reconcile`), so that programs written against them keep working: consent to contact is the
basis "consent", and its date is the date the basis was obtained.

The pages, the API, the back office and the command line all save a candidate through
`records.save_candidate`, which calls `reconcile` and the model's `clean` (which calls `refusals`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from homestretch.lib.refusals import INCOMPLETE, MISSING, NOT_APPLICABLE, OUT_OF_RANGE, Refused

from .choices import LegalBasis

if TYPE_CHECKING:
    from .models import Candidate

# When a basis must be renewed, counted from the day it was obtained:
# - consent is asked again after two years: the CNIL (France) and most European regulators advise keeping
#   a candidate who was not hired no longer than two years after the last contact without asking again;
# - a legitimate interest is weighed again every year: a placement the agency could still make a year
#   later is a fresh balancing test, not an old one carried forward.
RENEW_AFTER_MONTHS: dict[str, int] = {LegalBasis.CONSENT: 24, LegalBasis.LEGITIMATE_INTEREST: 12}

# Today lists renewals due within this many days, and those overdue.
RENEWAL_NOTICE_DAYS = 14

# The fields that say how and when the basis was obtained: they belong to a basis, and go with it.
BASIS_PARTICULARS = ("basis_obtained_at", "basis_obtained_how", "basis_renew_by")

OBJECTED_SENTENCE = "Objected: excluded from digests, feed and outreach"


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_renew_by(basis: str, obtained: date) -> date:
    """The day a basis obtained on `obtained` must be renewed by (RENEW_AFTER_MONTHS)."""
    return add_months(obtained, RENEW_AFTER_MONTHS[basis])


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


@dataclass(frozen=True, slots=True)
class Renewal:
    """A basis to renew: by when, and how many days from `on` (negative when overdue)."""

    renew_by: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def sentence(self) -> str:
        if self.days_left < 0:
            late = -self.days_left
            return f"overdue by {late} day{'' if late == 1 else 's'} (renew by {self.renew_by.isoformat()})"
        if self.days_left == 0:
            return f"due today ({self.renew_by.isoformat()})"
        return f"due in {self.days_left} day{'' if self.days_left == 1 else 's'} ({self.renew_by.isoformat()})"


def renewal(renew_by: date | None, on: date) -> Renewal | None:
    """The renewal to act on as of `on`: due within RENEWAL_NOTICE_DAYS, or overdue; None otherwise."""
    if renew_by is None or renew_by > on + timedelta(days=RENEWAL_NOTICE_DAYS):
        return None
    return Renewal(renew_by=renew_by, days_left=(renew_by - on).days)


def renewals_due_until(on: date) -> date:
    """The last renew-by day Today lists on `on` (a set-based filter: `basis_renew_by__lte`)."""
    return on + timedelta(days=RENEWAL_NOTICE_DAYS)


# --- The rules -------------------------------------------------------------------------------------

# Each rule with the two fields it compares (a refusal about a basis's particular compares it with
# `legal_basis`): a PATCH that breaks a rule without sending both is refused because of what the record holds,
# a conflict (409), not bad input, which the OpenAPI document states (`conflicts_of_patch`).
RULE_FIELDS: dict[str, tuple[str, str]] = {
    "renew_after_obtained": ("basis_obtained_at", "basis_renew_by"),
    "note_needs_objection": ("objected_at", "objection_note"),
}


def refusals(candidate: Candidate) -> list[tuple[str, Refused]]:
    """Every rule of the basis and the objection that `candidate` breaks, each with its rule's name
    (RULE_FIELDS). What `reconcile` fills or keeps in step (the date a basis was obtained, the legacy
    consent) is not a rule here: the forms check before it runs."""
    found: list[tuple[str, Refused]] = []
    if not candidate.legal_basis:
        for name in BASIS_PARTICULARS:
            if getattr(candidate, name) not in (None, ""):
                found.append(("particulars_need_basis", Refused(name, (
                    "Only a legal basis is obtained and renewed: choose the basis (consent or legitimate interest), "
                    "or leave this empty."), NOT_APPLICABLE)))
    obtained, renew_by = candidate.basis_obtained_at, candidate.basis_renew_by
    if obtained is not None and renew_by is not None and renew_by <= local_day(obtained):
        found.append(("renew_after_obtained", Refused("basis_renew_by", (
            f"The basis is renewed after it was obtained ({local_day(obtained).isoformat()}): give a later day."
        ), OUT_OF_RANGE)))
    if candidate.objection_note and candidate.objected_at is None:
        found.append(("note_needs_objection", Refused(
            "objected_at", "Say when the candidate objected: a note needs the objection's date.", MISSING)))
    return found


def conflicts_of_patch(candidate: Candidate, sent: Iterable[str]) -> None:
    """Refuse (409, INCOMPLETE) a PATCH, already applied to `candidate` and reconciled, that breaks a rule
    without sending both fields the rule compares: what the record holds is in the way, not the body. A
    body that sends both is left to the model's refusal (422), as the OpenAPI document states it."""
    sent = set(sent)
    for rule, refused in refusals(candidate):
        pair = RULE_FIELDS.get(rule, ("legal_basis", refused.field))
        if not set(pair) <= sent:
            raise Refused(refused.field, f"{refused.message} The record holds the other field of this rule "
                                         f"({' and '.join(pair)}): send both in the same request.", INCOMPLETE)


def check_body(candidate: Candidate, sent: Iterable[str]) -> None:
    """A body that sends both the basis and the legacy consent must not contradict itself (422): consent to
    contact true with the basis "legitimate interest", false with "consent". (A basis sent empty leaves the
    legacy field to decide, as a program that knows only it would.)"""
    if ({"legal_basis", "consent_to_contact"} <= set(sent) and candidate.legal_basis
            and candidate.consent_to_contact != (candidate.legal_basis == LegalBasis.CONSENT)):
        raise Refused("consent_to_contact", (
            "Consent to contact is the legal basis 'consent': send it true with that basis, false with "
            "legitimate interest."), NOT_APPLICABLE)


def reconcile(candidate: Candidate, stored: dict[str, Any] | None, at: datetime) -> None:
    """Keep the legacy `consent_to_contact`/`consent_given_at` and the basis in step, and fill the basis's
    defaults: a new basis is obtained at `at` and renewed by its default day unless the write dates it;
    a basis cleared forgets its particulars, an objection withdrawn its note, unless the write gives them.
    `stored` is the row as it was (`STORED_FIELDS`; None for a new candidate): a write that changed the
    legacy consent without a basis is read as a change of basis (consent given: the basis "consent",
    dated; withdrawn: no basis)."""
    before = stored or {"legal_basis": "", "consent_to_contact": False, "consent_given_at": None,
                        "basis_obtained_at": None, "basis_obtained_how": "", "basis_renew_by": None,
                        "objected_at": None, "objection_note": ""}

    def changed(name: str) -> bool:
        return bool(getattr(candidate, name) != before[name])

    def forget_particulars() -> None:
        for name in BASIS_PARTICULARS:
            if not changed(name):
                setattr(candidate, name, "" if name == "basis_obtained_how" else None)

    if changed("consent_to_contact") and (not changed("legal_basis") or not candidate.legal_basis):
        # A program that knows only the legacy fields.
        if candidate.consent_to_contact:
            candidate.legal_basis = LegalBasis.CONSENT
            if not changed("basis_obtained_at"):
                candidate.basis_obtained_at = candidate.consent_given_at or at
            if not changed("basis_renew_by"):
                candidate.basis_renew_by = None
        elif candidate.legal_basis in ("", LegalBasis.CONSENT):
            candidate.legal_basis = ""
            forget_particulars()
    elif changed("legal_basis"):
        if not changed("consent_to_contact"):
            candidate.consent_to_contact = candidate.legal_basis == LegalBasis.CONSENT
        if not candidate.legal_basis:
            forget_particulars()
        else:
            if not changed("basis_obtained_at"):
                candidate.basis_obtained_at = None
            if not changed("basis_renew_by"):
                candidate.basis_renew_by = None
    elif (changed("consent_given_at") and not changed("basis_obtained_at")
          and candidate.legal_basis == LegalBasis.CONSENT and candidate.consent_given_at is not None):
        candidate.basis_obtained_at = candidate.consent_given_at
    if candidate.legal_basis and candidate.basis_obtained_at is None:
        candidate.basis_obtained_at = at
    if candidate.legal_basis and candidate.basis_renew_by is None and candidate.basis_obtained_at is not None:
        candidate.basis_renew_by = default_renew_by(candidate.legal_basis, local_day(candidate.basis_obtained_at))
    candidate.consent_given_at = (candidate.basis_obtained_at
                                  if candidate.legal_basis == LegalBasis.CONSENT and candidate.consent_to_contact
                                  else None)
    if candidate.objected_at is None and before["objected_at"] is not None and not changed("objection_note"):
        candidate.objection_note = ""


# What `reconcile` compares with: the row as stored.
STORED_FIELDS = ("legal_basis", "consent_to_contact", "consent_given_at", "basis_obtained_at",
                 "basis_obtained_how", "basis_renew_by", "objected_at", "objection_note")
