"""The agenda for a recruiter, a team or everyone on a day: load, score, rank — in bulk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Exists, OuterRef
from django.utils import timezone

from homestretch.pipeline import consent
from homestretch.pipeline.choices import LegalBasis
from homestretch.pipeline.models import Application, Candidate
from homestretch.risk import snapshots
from homestretch.risk.loader import applications_as_of, load_facts
from homestretch.risk.scoring import current_scorer

from .today import AgendaItem, build_agenda


def moment_for_day(on: date, now: datetime) -> datetime:
    """What is known when the agenda of `on` is drawn: everything up to now for today and days
    ahead (what will be due if nothing happens), the morning of `on` for a past day."""
    if on < timezone.localtime(now).date():
        return timezone.make_aware(datetime.combine(on, time.min))
    return now


def agenda(
    on: date, *, now: datetime, recruiter_id: int | None = None, team_id: int | None = None,
) -> list[AgendaItem]:
    """Who must be contacted on `on` and why, overdue first, then the riskiest."""
    at = moment_for_day(on, now)
    facts = load_facts(at, recruiter_id=recruiter_id, team_id=team_id)
    scorer = current_scorer()
    # Only the applications due today are ranked by risk: scoring the rest would be wasted.
    return build_agenda(facts, on, scorer.cadence_for_team, score=lambda due: scorer.risks(due, at))


@dataclass(frozen=True, slots=True)
class AgendaPage:
    """The first rows of today's agenda, with how many are due in all and how many are overdue."""

    items: list[AgendaItem]
    total: int
    overdue: int


def todays_agenda_page(
    now: datetime, limit: int, *, recruiter_id: int | None = None, team_id: int | None = None,
) -> AgendaPage:
    """The `limit` most pressing items of today's agenda, in the agenda's order, without scoring the rest.

    The risk snapshots (homestretch.risk.snapshots) choose and count the rows; the rows shown are
    loaded and scored afresh, so what a recruiter reads is exactly what `agenda` says of them.
    """
    scorer = current_scorer()
    scope = applications_as_of(now, recruiter_id=recruiter_id, team_id=team_id)
    snapshots.ensure_fresh(scope, now, scorer)
    shown, total, overdue = snapshots.due_ranking(scope, limit)
    if not shown:
        return AgendaPage(items=[], total=total, overdue=overdue)
    facts = load_facts(now, application_ids=shown)
    items = build_agenda(facts, timezone.localtime(now).date(), scorer.cadence_for_team,
                         score=lambda due: scorer.risks(due, now))
    return AgendaPage(items=items, total=total, overdue=overdue)


# --- Legal bases to renew ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenewalDue:
    """A candidate whose legal basis must be renewed soon, or is overdue (pipeline/consent.py)."""

    candidate_id: int
    candidate_name: str
    legal_basis: str  # its label: "Consent", "Legitimate interest"
    renewal: consent.Renewal

    def as_dict(self) -> dict:
        return {"candidate_id": self.candidate_id, "candidate": self.candidate_name,
                "legal_basis": self.legal_basis, "renew_by": self.renewal.renew_by.isoformat(),
                "days_left": self.renewal.days_left, "overdue": self.renewal.overdue,
                "when": self.renewal.sentence}


@dataclass(frozen=True, slots=True)
class RenewalsPage:
    """The first renewals due, soonest first, with how many are due in all."""

    renewals: list[RenewalDue]
    total: int


def renewals_due(
    on: date, limit: int, *, recruiter_id: int | None = None, team_id: int | None = None,
) -> RenewalsPage:
    """Candidates whose legal basis is due for renewal within consent.RENEWAL_NOTICE_DAYS of `on`, or overdue:
    a recruiter's (those with an application of theirs), a team's, or everyone's. Candidates who objected
    are left out: renewing a basis means contacting them. Two queries whatever the number of candidates
    (through the renew-by index)."""
    found = Candidate.objects.renewals_due(on).not_objected()
    if recruiter_id is not None:
        found = found.filter(Exists(Application.objects.filter(candidate_id=OuterRef("pk"), recruiter_id=recruiter_id)))
    elif team_id is not None:
        found = found.filter(Exists(Application.objects.filter(candidate_id=OuterRef("pk"),
                                                               recruiter__team_id=team_id)))
    rows = list(found.values_list("id", "name", "legal_basis", "basis_renew_by")[:limit])
    total = len(rows) if len(rows) < limit else found.count()
    labels = dict(LegalBasis.choices)
    return RenewalsPage(
        renewals=[RenewalDue(candidate_id=pk, candidate_name=name, legal_basis=str(labels.get(basis, basis)),
                             renewal=consent.Renewal(renew_by=renew_by, days_left=(renew_by - on).days))
                  for pk, name, basis, renew_by in rows],
        total=total,
    )
