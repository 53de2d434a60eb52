"""The demo recruiter's showcase: scripted applications that make every screen worth opening.

Random stories give the volume and the history; these give, in every data set whatever the seed,
each stage of the process, the risks the product is about (a competing offer that pays more with an
answer due in two days, a counteroffer told in confidence during the notice period, competition
never asked about, a week without contact) and the lessons of recent losses. Each scenario is a
path of (stage, days ago it was entered); the rest is filled in like any other application.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from random import Random

from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus
from homestretch.pipeline.choices import JobStatus, LossReason, Stage

from . import catalogue as cat
from .agency import ClientPlan, JobPlan, UserPlan, new_job
from .clock import Clock
from .stories import CANDIDATE_LOSSES, CLOSED, AppPlan, Change, CompetingSpec

S = Stage
EXTERNAL, COUNTER = CompetingKind.EXTERNAL, CompetingKind.COUNTEROFFER


@dataclass(frozen=True)
class Scenario:
    story: str
    path: tuple[tuple[str, float], ...]  # (stage, days ago it was entered); the first is where it started
    family: str = "backend"
    seniority: str = "senior"
    loss_reason: str = ""
    gap_days: float | None = None  # open ones: days since the last contact
    never_asked: bool = False
    interest: tuple[int, int] = (4, 4)
    competing: tuple[CompetingSpec, ...] = ()
    revisions: int | None = None
    open_offer_status: str | None = None
    notice_days: int = 60
    lessons: bool = False


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Offer out; a competitor pays 8% more and wants an answer in two days; four days without contact.",
        ((S.SOURCED, 31), (S.SCREENING, 28), (S.INTERVIEWING, 21), (S.FINAL_INTERVIEW, 13),
         (S.VERIFICATION, 8),
         (S.OFFER, 3)),
        gap_days=4, interest=(4, 3),
        competing=(CompetingSpec(EXTERNAL, CompetingStage.OFFER, confidential=False, pay_vs_ours=1.08,
                                 deadline_in_days=2, learned_days_ago=4.5),),
    ),
    Scenario(
        "Revised offer against a counteroffer told in confidence.",
        ((S.SOURCED, 42), (S.SCREENING, 38), (S.INTERVIEWING, 31), (S.FINAL_INTERVIEW, 20), (S.OFFER, 9)),
        family="data", gap_days=1, revisions=2,
        competing=(CompetingSpec(COUNTER, CompetingStage.OFFER, confidential=True, pay_vs_ours=1.06,
                                 deadline_in_days=4, learned_days_ago=3),),
    ),
    Scenario(
        "Accepted and serving notice; the current employer has countered; six days without contact.",
        ((S.SOURCED, 75), (S.SCREENING, 71), (S.INTERVIEWING, 63), (S.FINAL_INTERVIEW, 52),
         (S.VERIFICATION, 47),
         (S.OFFER, 42), (S.ACCEPTED, 38)),
        family="platform", gap_days=6, interest=(5, 3), notice_days=90,
        competing=(CompetingSpec(COUNTER, CompetingStage.OFFER, confidential=True, pay_vs_ours=1.12,
                                 deadline_in_days=5, learned_days_ago=6.2),),
    ),
    Scenario(
        "Final interview; competition never asked about; interest fading; five days without contact.",
        ((S.SOURCED, 26), (S.SCREENING, 21), (S.INTERVIEWING, 15), (S.FINAL_INTERVIEW, 4)),
        family="frontend", gap_days=5, never_asked=True, interest=(4, 2),
    ),
    Scenario(
        "Reference checks; a competing final round and another offer due next week.",
        ((S.SOURCED, 29), (S.SCREENING, 25), (S.INTERVIEWING, 18), (S.FINAL_INTERVIEW, 10),
         (S.VERIFICATION, 3)),
        family="ml", gap_days=3,
        competing=(
            CompetingSpec(EXTERNAL, CompetingStage.FINAL, confidential=False, learned_days_ago=9),
            CompetingSpec(EXTERNAL, CompetingStage.OFFER, confidential=True, pay_vs_ours=0.97,
                          deadline_in_days=6, learned_days_ago=3.5),
        ),
    ),
    Scenario(
        "Interviewing; eight days of silence; never asked about other processes.",
        ((S.SOURCED, 21), (S.SCREENING, 16), (S.INTERVIEWING, 10)),
        seniority="mid", gap_days=8, never_asked=True, interest=(4, 3),
    ),
    Scenario("Screening call this morning.", ((S.SOURCED, 4), (S.SCREENING, 1)), family="fullstack",
             gap_days=0.1),
    Scenario(
        "On hold after the final interview: the client froze the budget.",
        ((S.SOURCED, 48), (S.SCREENING, 43), (S.INTERVIEWING, 35), (S.FINAL_INTERVIEW, 25), (S.ON_HOLD, 10)),
        family="mobile", gap_days=12, interest=(4, 3),
    ),
    Scenario("Sourced yesterday.", ((S.SOURCED, 1.2),), seniority="lead", gap_days=1.1),
    Scenario(
        "Our offer is still a draft while a competing offer, told in confidence, expires tomorrow.",
        ((S.SOURCED, 23), (S.SCREENING, 20), (S.INTERVIEWING, 15), (S.FINAL_INTERVIEW, 8), (S.OFFER, 1.5)),
        family="security", gap_days=3, open_offer_status=OfferStatus.DRAFT,
        competing=(CompetingSpec(EXTERNAL, CompetingStage.OFFER, confidential=True, pay_vs_ours=1.05,
                                 deadline_in_days=1, learned_days_ago=3.2),),
    ),
    Scenario(
        "Accepted; starts soon; regular contact.",
        ((S.SOURCED, 85), (S.SCREENING, 80), (S.INTERVIEWING, 72), (S.FINAL_INTERVIEW, 62), (S.OFFER, 55),
         (S.ACCEPTED, 52)),
        gap_days=2, interest=(5, 5), notice_days=30,
    ),
    Scenario(
        "Declined two weeks ago: took a competitor's offer that paid 12% more.",
        ((S.SOURCED, 50), (S.SCREENING, 46), (S.INTERVIEWING, 39), (S.FINAL_INTERVIEW, 30), (S.OFFER, 22),
         (S.DECLINED, 14)),
        family="data", loss_reason=LossReason.COMPETING_OFFER, interest=(4, 2), lessons=True,
        competing=(CompetingSpec(EXTERNAL, CompetingStage.ACCEPTED, winner=True, pay_vs_ours=1.12,
                                 confidential=False),),
    ),
    Scenario(
        "Reneged a month ago, during the notice period, for a counteroffer.",
        ((S.SOURCED, 120), (S.SCREENING, 115), (S.INTERVIEWING, 107), (S.FINAL_INTERVIEW, 98),
         (S.VERIFICATION, 94), (S.OFFER, 90), (S.ACCEPTED, 86), (S.RENEGED, 30)),
        family="platform", loss_reason=LossReason.COUNTEROFFER, interest=(5, 2), lessons=True, notice_days=90,
        competing=(CompetingSpec(COUNTER, CompetingStage.ACCEPTED, winner=True, pay_vs_ours=1.1,
                                 confidential=True),),
    ),
    Scenario(
        "Started two months ago.",
        ((S.SOURCED, 160), (S.SCREENING, 155), (S.INTERVIEWING, 146), (S.FINAL_INTERVIEW, 137),
         (S.OFFER, 130),
         (S.ACCEPTED, 127), (S.STARTED, 62)),
        interest=(4, 5), notice_days=90,
    ),
    Scenario(
        "Withdrew three weeks ago: the process was too slow.",
        ((S.SOURCED, 62), (S.SCREENING, 57), (S.INTERVIEWING, 48), (S.WITHDRAWN, 21)),
        family="frontend", loss_reason=LossReason.PROCESS_TOO_SLOW, interest=(4, 2), lessons=True,
    ),
    Scenario(
        "Rejected by the client after the final interview.",
        ((S.SOURCED, 40), (S.SCREENING, 36), (S.INTERVIEWING, 28), (S.FINAL_INTERVIEW, 16), (S.REJECTED, 9)),
        family="qa", seniority="mid", interest=(4, 3),
    ),
    Scenario(
        "Interviewing; three days since the last call; would not say whether other processes run.",
        ((S.SOURCED, 19), (S.SCREENING, 13), (S.INTERVIEWING, 6)),
        family="fullstack", gap_days=3.2, interest=(3, 3),
    ),
)


def _reason_key(previous: str, before_hold: str, to: str) -> str:
    if to == S.ON_HOLD:
        return "hold"
    if previous == S.ON_HOLD and to == before_hold:
        return "resume"
    if to in CANDIDATE_LOSSES:
        return "loss"
    if to == S.REJECTED:
        return "rejected"
    if to == S.STARTED:
        return "started"
    return ""


def plan_showcase(rng: Random, clock: Clock, recruiter: UserPlan, clients: list[ClientPlan], first_job_id: int
                  ) -> tuple[list[JobPlan], list[AppPlan]]:
    """One job per scenario, at the recruiter's team's clients, and its scripted application."""
    jobs: list[JobPlan] = []
    apps: list[AppPlan] = []
    for i, scenario in enumerate(SCENARIOS):
        client = clients[i % len(clients)]
        job = new_job(
            rng, clock, first_job_id + i, client, opened_days_ago=scenario.path[0][1] + 4 + rng.random() * 10,
            search_days=400, lead_recruiter_id=recruiter.id, showcase=True,
            family=cat.FAMILY_BY_KEY[scenario.family], seniority=scenario.seniority,
        )
        calendar = job.calendar
        latest = calendar.work(clock.latest)
        changes: list[Change] = []
        previous, before_hold = "", ""
        for stage, days_ago in scenario.path:
            at = min(calendar.work(clock.minutes_ago(days_ago)) - int(rng.random() * 120), latest)
            if changes:
                at = max(at, changes[-1][2] + 1)
            key = _reason_key(previous, before_hold, stage) if changes else ""
            loss = scenario.loss_reason if stage in CANDIDATE_LOSSES else ""
            changes.append((previous, stage, at, key, loss))
            before_hold = previous if stage == S.ON_HOLD else ""
            previous = stage
        app = AppPlan(
            job=job, recruiter=recruiter, changes=changes, heat=0.7, notice_days=scenario.notice_days,
            never_asked=scenario.never_asked, gap_days=scenario.gap_days, interest=scenario.interest,
            competing=[replace(spec) for spec in scenario.competing], revisions=scenario.revisions,
            open_offer_status=scenario.open_offer_status, lessons=scenario.lessons, scripted=True,
        )
        final = changes[-1]
        accepted = next((c for c in changes if c[1] == S.ACCEPTED), None)
        if final[1] in (S.ACCEPTED, S.STARTED) and accepted is not None:
            job.status, job.closed_at = JobStatus.FILLED, calendar.wall(accepted[2])
        elif final[1] in CLOSED:
            job.status, job.closed_at = JobStatus.CLOSED, calendar.wall(final[2])
        jobs.append(job)
        apps.append(app)
    return jobs, apps
