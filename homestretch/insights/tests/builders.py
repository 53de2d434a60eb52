"""A small organisation's history for the insights' tests, written row by row with explicit times (as a
bulk loader would), with the edge cases of issue 19: no answer yet, a reopened application, several
offers on one application, two currencies, a first offer before the period, an offer never extended,
a competitor named in confidence, an acceptance still waiting for its start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from homestretch.accounts.models import User
from homestretch.offers.models import CompetingOffer, Offer
from homestretch.pipeline import changes, stages
from homestretch.pipeline.models import Application, Candidate, Client, Job, StageChange, Touchpoint

# A string planted where only the team may read it: a competitor named in confidence.
SECRET_COMPANY = "Zenith Quokka Labs"


def at(day: date | str, hour: int = 10) -> datetime:
    from datetime import UTC

    when = date.fromisoformat(day) if isinstance(day, str) else day
    return datetime(when.year, when.month, when.day, hour, tzinfo=UTC)


@dataclass
class Org:
    jobs: dict[str, Job] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)


def _application(org: Org, name: str, job: Job, recruiter: User, moves: list[tuple[str, str, str]],
                 *, source: str = "linkedin") -> Application:
    """`moves`: (stage, day, loss reason) in order; the application ends where the last one leaves it."""
    candidate = Candidate.objects.create(name=name, source=source)
    first_at = at(moves[0][1])
    application = Application.objects.create(candidate=candidate, job=job, recruiter=recruiter, stage=moves[0][0],
                                             stage_entered_at=first_at, created_at=first_at)
    previous = ""
    accepted_at = None
    before_hold = ""
    for stage, day, loss_reason in moves:
        moment = at(day)
        StageChange.objects.create(application=application, from_stage=previous, to_stage=stage, at=moment,
                                   reason="test" if stage in stages.CLOSED else "", loss_reason=loss_reason)
        if stage == "accepted" and previous != "on_hold":
            accepted_at = moment
        before_hold = previous if stage == "on_hold" else ""
        previous = stage
        last_moment = moment
    Application.objects.filter(pk=application.pk).update(
        stage=previous, stage_entered_at=last_moment, accepted_at=accepted_at, stage_before_hold=before_hold,
        closed_at=last_moment if previous in stages.CLOSED else None)
    application.refresh_from_db()
    org.applications[name] = application
    return application


def _offer(application: Application, revision: int, status: str, *, sent: str | None, currency: str = "EUR",
           start: str | None = None, reason: str = "", won_by: str = "") -> Offer:
    return Offer.objects.create(
        application=application, revision=revision, status=status, base=Decimal("90000"), currency=currency,
        sent_at=at(sent) if sent else None, start_date=date.fromisoformat(start) if start else None,
        decline_reason=reason, won_by=won_by, created_at=at(sent or "2026-01-01"))


def _touches(application: Application, days: list[str], *, asked: bool = False) -> None:
    for day in days:
        Touchpoint.objects.create(candidate_id=application.candidate_id, application=application, at=at(day, 15),
                                  channel="call", direction="outbound", competition_asked=asked,
                                  competition_answer="none" if asked else "")


def build(alice: User, bob: User, charlie: User) -> Org:
    """Thirteen applications; what each one is for is said beside it."""
    org = Org()
    acme = Client.objects.create(name="Acme Cloud")
    beta = Client.objects.create(name="Beta Bank")
    org.clients = {"acme": acme, "beta": beta}
    eur = Job.objects.create(client=acme, title="Backend Engineer", seniority="senior", currency="EUR",
                             base_min=Decimal("80000"), base_max=Decimal("95000"))
    usd = Job.objects.create(client=beta, title="Data Engineer", seniority="mid", currency="USD",
                             base_min=Decimal("90000"), base_max=Decimal("110000"))
    org.jobs = {"eur": eur, "usd": usd}
    fi, of, ac = "final_interview", "offer", "accepted"

    # 1. Accepted and started: answered in 3 days, start passed.
    a = _application(org, "Started Sam", eur, alice, [(fi, "2026-03-01", ""), (of, "2026-03-05", ""),
                                                        (ac, "2026-03-08", ""), ("started", "2026-04-01", "")])
    _offer(a, 1, "accepted", sent="2026-03-05", start="2026-04-01")
    _touches(a, ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-08", "2026-03-11", "2026-03-15",
                 "2026-03-19", "2026-03-23", "2026-03-27", "2026-03-31"], asked=True)

    # 2. Declined for pay to a competitor named in confidence (its name never leaves the team).
    a = _application(org, "Declined Dana", eur, alice, [(fi, "2026-04-01", ""), (of, "2026-04-10", ""),
                                                         ("declined", "2026-04-20", "compensation")])
    _offer(a, 1, "declined", sent="2026-04-10", reason="compensation", won_by=SECRET_COMPANY)
    CompetingOffer.objects.create(candidate_id=a.candidate_id, company=SECRET_COMPANY, stage="offer",
                                  base=Decimal("99000"), currency="EUR", confidential=True, learned_at=at("2026-04-05"))
    _touches(a, ["2026-04-15"])  # ten days of silence, then one call: mostly out of cadence

    # 3. Reneged after accepting, to a counteroffer (recorded before the answer); start date passed.
    a = _application(org, "Reneged Rob", eur, bob, [(fi, "2026-05-01", ""), (of, "2026-05-04", ""),
                                                     (ac, "2026-05-06", ""), ("reneged", "2026-05-20", "counteroffer")])
    _offer(a, 1, "reneged", sent="2026-05-04", start="2026-06-01", reason="counteroffer", won_by="Current employer")
    CompetingOffer.objects.create(candidate_id=a.candidate_id, kind="counteroffer", company="Current employer",
                                  stage="offer", learned_at=at("2026-05-05"))

    # 4. No answer yet: the offer is out.
    a = _application(org, "Waiting Wes", eur, alice, [(fi, "2026-11-01", ""), (of, "2026-11-10", "")])
    _offer(a, 1, "extended", sent="2026-11-10")

    # 5. Reopened: declined, reopened, a new offer, accepted (first extended in February).
    a = _application(org, "Reopened Rita", eur, bob, [
        (fi, "2026-02-01", ""), (of, "2026-02-10", ""), ("declined", "2026-02-15", "role_fit"),
        (of, "2026-03-01", ""), (ac, "2026-03-04", "")])
    _offer(a, 1, "declined", sent="2026-02-10", reason="role_fit")
    _offer(a, 2, "accepted", sent="2026-03-01", start="2026-12-15")  # 6. its start is still ahead

    # 7. Several offers on one application: the first superseded, the second accepted; counted once, from the first.
    a = _application(org, "Revised Rosa", eur, alice, [(fi, "2026-06-01", ""), (of, "2026-06-03", ""),
                                                        (ac, "2026-06-12", ""), ("started", "2026-07-01", "")])
    _offer(a, 1, "superseded", sent="2026-06-03")
    _offer(a, 2, "accepted", sent="2026-06-08", start="2026-07-01")

    # 8. Another currency: a USD job, declined for a competing offer from a named company.
    a = _application(org, "Dollar Dev", usd, alice, [(fi, "2026-07-01", ""), (of, "2026-07-02", ""),
                                                      ("declined", "2026-07-09", "competing_offer")], source="referral")
    _offer(a, 1, "declined", sent="2026-07-02", currency="USD", reason="competing_offer", won_by="Globex")

    # 9. First extended before the period, revised inside it: not counted in the period.
    a = _application(org, "Early Eve", eur, alice, [(fi, "2025-12-01", ""), (of, "2025-12-20", ""),
                                                     (ac, "2026-01-10", "")])
    _offer(a, 1, "superseded", sent="2025-12-20")
    _offer(a, 2, "accepted", sent="2026-01-05", start="2026-02-01")

    # 10. An offer never extended (a draft): not an offer extended.
    a = _application(org, "Draft Dora", eur, alice, [(fi, "2026-08-01", ""), (of, "2026-08-03", "")])
    _offer(a, 1, "draft", sent=None)

    # 11. Withdrew after the offer: counted as extended, no answer.
    a = _application(org, "Withdrawn Will", eur, bob, [(fi, "2026-08-01", ""), (of, "2026-08-05", ""),
                                                        ("withdrawn", "2026-08-09", "personal")])
    _offer(a, 1, "withdrawn", sent="2026-08-05")

    # 12. On hold after accepting: still accepted or later.
    a = _application(org, "Held Hal", eur, alice, [(fi, "2026-09-01", ""), (of, "2026-09-02", ""),
                                                   (ac, "2026-09-04", ""), ("on_hold", "2026-09-10", "")])
    _offer(a, 1, "accepted", sent="2026-09-02", start="2026-10-01")

    # 13. Another team (South): declined for a competing offer, Globex again.
    a = _application(org, "Southern Sue", eur, charlie, [(fi, "2026-09-01", ""), (of, "2026-09-03", ""),
                                                         ("declined", "2026-09-04", "competing_offer")])
    _offer(a, 1, "declined", sent="2026-09-03", reason="competing_offer", won_by="globex ")
    changes.everything_changed()
    return org


def days_between(a: datetime, b: datetime) -> float:
    return (b - a) / timedelta(days=1)


def as_dicts(rows: Any) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]
