"""Applications and what happens to them: the plan (``histories`` turns it into rows).

Each application's path through the stages is simulated in working minutes of the job's city; then
what happens to the job applies (once the client has hired, the other candidates are told no; a
search that runs out of time is cancelled); then the shape of everything else is decided: how many
touchpoints, which competing processes, how many offer revisions, how many dated priorities. So
every row count is known before anything is written, and the progress bar has true totals.

Outcomes are not random noise: a candidate in demand (``heat``) and a recruiter who calls less
often (``diligence`` > 1) make candidate-side losses likelier, interest fade and competing offers
appear, so that the history has something for the risk model to learn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from random import Random

from homestretch.offers.choices import CompetingKind, CompetingStage, OfferStatus
from homestretch.pipeline import stages
from homestretch.pipeline.choices import JobStatus, LossReason, Stage

from .agency import CandidatePlan, JobPlan, UserPlan
from .clock import WORK_MINUTES_PER_DAY, Clock, work_days

S = Stage
CLOSED = stages.CLOSED
CANDIDATE_LOSSES = stages.CANDIDATE_LOSSES
SEQUENCE = stages.SEQUENCE
WD = WORK_MINUTES_PER_DAY

# A change: (from_stage, to_stage, working minute, reason key, loss reason). The reason key says
# which words to write ("loss", "rejected", "hold", ...); the words are chosen at expansion.
Change = tuple[str, str, int, str, str]

# Working days spent in a stage before the next move: minimum and spread.
DURATIONS: dict[str, tuple[float, float]] = {
    S.SOURCED: (1, 4), S.SCREENING: (2, 6), S.INTERVIEWING: (4, 12), S.FINAL_INTERVIEW: (3, 7),
    S.VERIFICATION: (2, 5), S.OFFER: (1, 7), S.ON_HOLD: (5, 25),
}
# Where an application goes next: (to, weight, the candidate's own decision?). The candidate's
# decisions weigh more when the candidate is in demand and the recruiter calls less.
MOVES: dict[str, tuple[tuple[str, float, bool], ...]] = {
    S.SOURCED: ((S.SCREENING, 0.65, False), (S.WITHDRAWN, 0.13, True), (S.REJECTED, 0.22, False)),
    S.SCREENING: ((S.INTERVIEWING, 0.61, False), (S.FINAL_INTERVIEW, 0.03, False), (S.REJECTED, 0.23, False),
                  (S.WITHDRAWN, 0.10, True), (S.ON_HOLD, 0.03, False)),
    S.INTERVIEWING: ((S.FINAL_INTERVIEW, 0.56, False), (S.REJECTED, 0.28, False), (S.WITHDRAWN, 0.12, True),
                     (S.ON_HOLD, 0.04, False)),
    S.FINAL_INTERVIEW: ((S.VERIFICATION, 0.42, False), (S.OFFER, 0.25, False), (S.REJECTED, 0.22, False),
                        (S.WITHDRAWN, 0.07, True), (S.INTERVIEWING, 0.04, False)),
    S.VERIFICATION: ((S.OFFER, 0.86, False), (S.REJECTED, 0.06, False), (S.WITHDRAWN, 0.05, True),
                     (S.ON_HOLD, 0.03, False)),
    S.OFFER: ((S.ACCEPTED, 0.70, False), (S.DECLINED, 0.25, True), (S.REJECTED, 0.03, False),
              (S.ON_HOLD, 0.02, False)),
    S.ACCEPTED: ((S.STARTED, 0.90, False), (S.RENEGED, 0.10, True)),
}
L = LossReason
EARLY_LOSSES = ((L.OTHER, 30), (L.ROLE_FIT, 20), (L.COMPENSATION, 20), (L.REMOTE_OR_LOCATION, 10),
                (L.PERSONAL, 10), (L.COMPETING_OFFER, 10))
LOSS_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    S.WITHDRAWN: ((L.COMPETING_OFFER, 22), (L.PROCESS_TOO_SLOW, 15), (L.ROLE_FIT, 15),
                  (L.REMOTE_OR_LOCATION, 10), (L.COMPENSATION, 12), (L.PERSONAL, 8),
                  (L.COMPANY_REPUTATION, 5), (L.COUNTEROFFER, 5), (L.OTHER, 8)),
    S.DECLINED: ((L.COMPENSATION, 28), (L.COMPETING_OFFER, 25), (L.COUNTEROFFER, 15),
                 (L.REMOTE_OR_LOCATION, 10), (L.ROLE_FIT, 5), (L.PROCESS_TOO_SLOW, 4),
                 (L.COMPANY_REPUTATION, 3), (L.PERSONAL, 4), (L.OTHER, 3)),
    S.RENEGED: ((L.COUNTEROFFER, 45), (L.COMPETING_OFFER, 30), (L.COMPENSATION, 10), (L.PERSONAL, 10),
                (L.OTHER, 5)),
}
# Touchpoints per working day in each stage (their replies included), before the recruiter's own
# habits; the scale's touchpoint target then corrects the level a little (see scale_touches).
DENSITY: dict[str, float] = {
    S.SOURCED: 0.8, S.SCREENING: 1.0, S.INTERVIEWING: 1.1, S.FINAL_INTERVIEW: 1.7, S.VERIFICATION: 1.5,
    S.OFFER: 2.5, S.ACCEPTED: 0.35, S.ON_HOLD: 0.25,
}


@dataclass(slots=True)
class CompetingSpec:
    """A competing process as planned; None fields are chosen at expansion."""

    kind: str
    stage: str
    winner: bool = False  # the process that took the candidate from us
    confidential: bool | None = None
    pay_vs_ours: float | None = None  # base relative to our latest offer (or the candidate's ask)
    deadline_in_days: int | None = None  # from today
    learned_days_ago: float | None = None


@dataclass(slots=True)
class AppPlan:
    job: JobPlan
    recruiter: UserPlan
    changes: list[Change]
    heat: float  # how much in demand the candidate is, 0 to 1
    notice_days: int
    id: int = 0
    created_t: int = 0  # UTC minute
    candidate: CandidatePlan | None = None
    first_of_candidate: bool = True
    never_asked: bool = False
    gap_days: float | None = None  # open applications: calendar days since the last contact
    interest: tuple[int, int] = (4, 4)  # at the first and at the last touchpoint
    last_w: int = 0  # the last touchpoint (for closed ones: the conversation about the outcome)
    post_w: int | None = None  # a check-in after the start
    pre_w: int | None = None  # a touchpoint with the candidate before this application
    touches: int = 0
    competing: list[CompetingSpec] = field(default_factory=list)
    offers: list[list[str]] = field(default_factory=list)  # statuses each revision went through
    open_offer_status: str | None = None
    revisions: int | None = None
    priorities: int = 0
    lessons: bool = False
    scripted: bool = False

    @property
    def assigned_candidate(self) -> CandidatePlan:
        """The candidate, once the generator assigned one (it does for every application, right after
        ordering them, before any history is written)."""
        assert self.candidate is not None, "the candidates are assigned before the histories are written"
        return self.candidate

    @property
    def final_stage(self) -> str:
        return self.changes[-1][1]

    @property
    def closed(self) -> bool:
        return self.changes[-1][1] in CLOSED

    def reached(self, stage: str) -> bool:
        return any(change[1] == stage for change in self.changes)

    @property
    def furthest(self) -> int:
        return max(SEQUENCE.get(change[1], -1) for change in self.changes)


# ---------------------------------------------------------------------------------------------
# Planning: stage paths


def _loss_reason(rng: Random, to_stage: str, from_stage: str, heat: float) -> str:
    early = to_stage == S.WITHDRAWN and from_stage in (S.SOURCED, S.SCREENING)
    mix = EARLY_LOSSES if early else LOSS_MIX[to_stage]
    reasons = [reason for reason, _ in mix]
    # A candidate in demand is more often lost to another offer or a counteroffer.
    weights = [w * (1 + 1.5 * heat) if reason in (L.COMPETING_OFFER, L.COUNTEROFFER) else w
               for reason, w in mix]
    return rng.choices(reasons, weights=weights)[0]


def _next_move(rng: Random, stage: str, before_hold: str, heat: float,
               pressure: float) -> tuple[str, str, str]:
    """(to_stage, loss_reason, reason key) of the next move from `stage`."""
    to: str
    if stage == S.ON_HOLD:
        x = rng.random() * (0.85 + 0.15 * pressure)
        if x < 0.55:
            return before_hold, "", "resume"
        if x < 0.85:
            return S.REJECTED, "", "rejected_after_hold"
        if before_hold == S.ACCEPTED:
            to = S.RENEGED
        elif before_hold == S.OFFER:
            to = S.DECLINED
        else:
            to = S.WITHDRAWN  # no offer to decline yet (the rules would allow Declined from verification)
        return to, _loss_reason(rng, to, before_hold, heat), "loss"
    moves = MOVES[stage]
    weights = [w * pressure if candidate else w for _, w, candidate in moves]
    x = rng.random() * sum(weights)
    to = moves[-1][0]
    for (target, _, _), weight in zip(moves, weights, strict=True):
        if x < weight:
            to = target
            break
        x -= weight
    if to == S.REJECTED:
        return to, "", "rejected"
    if to in CANDIDATE_LOSSES:
        return to, _loss_reason(rng, to, stage, heat), "loss"
    if to == S.ON_HOLD:
        return to, "", "hold"
    if to == S.STARTED:
        return to, "", "started"
    if SEQUENCE.get(to, 99) < SEQUENCE[stage]:
        return to, "", "extra_round"
    return to, "", ""


def simulate(rng: Random, start: int, first_stage: str, latest: int, notice_days: int, heat: float,
             pressure: float) -> list[Change]:
    """The moves of one application from `start` until it closes or `latest` (working minutes)."""
    changes: list[Change] = [("", first_stage, start, "", "")]
    stage, at, before_hold = first_stage, start, ""
    while True:
        if stage == S.ACCEPTED:
            days = work_days(notice_days) * (0.9 + 0.2 * rng.random())
        else:
            low, spread = DURATIONS[stage]
            days = low + spread * rng.random()
        at_next = at + max(20, int(days * WD))
        if at_next > latest:
            return changes
        to, loss_reason, key = _next_move(rng, stage, before_hold, heat, pressure)
        changes.append((stage, to, at_next, key, loss_reason))
        if to == S.ON_HOLD:
            before_hold = stage
        elif stage == S.ON_HOLD:
            before_hold = ""
        stage, at = to, at_next
        if to in CLOSED:
            return changes


def is_hire(changes: list[Change], until: int | None = None) -> bool:
    return any(c[1] == S.ACCEPTED and (until is None or c[2] <= until) for c in changes)


def new_application(rng: Random, job: JobPlan, created: int, latest: int, members: list[UserPlan]) -> AppPlan:
    """One application for `job` opened at working minute `created`, simulated up to `latest`."""
    recruiter = members[int(rng.random() * len(members))] if rng.random() < 0.2 else next(
        (m for m in members if m.id == job.lead_recruiter_id), members[0])
    app = AppPlan(job=job, recruiter=recruiter, changes=[], heat=rng.random(),
                  notice_days=rng.choice(job.city.notice_days))
    app.changes = simulate_application(rng, app, created, latest,
                                       S.SOURCED if rng.random() < 0.82 else S.SCREENING)
    return app


def simulate_application(rng: Random, app: AppPlan, created: int, latest: int,
                         first_stage: str) -> list[Change]:
    pressure = (0.6 + 0.8 * app.heat) * (0.6 + 0.4 * app.recruiter.diligence)
    return simulate(rng, created, first_stage, latest, app.notice_days, app.heat, pressure)


def plan_job(rng: Random, clock: Clock, job: JobPlan, count: int, members: list[UserPlan]) -> list[AppPlan]:
    """The applications of one job. Once the client has hired (as many as the headcount), the others
    still in the process are told no; a search that runs out of time without a hire is cancelled.
    The job closes as the services close one (``close_job``): once the last of those still in the
    process has been told, as Filled when someone who accepted stays, else as Closed."""
    calendar = job.calendar
    latest = calendar.work(clock.latest)
    end = max(min(job.window_end, latest - WD), job.opened)
    # More candidates early in a search than late.
    starts = [job.opened + int((end - job.opened) * rng.random() ** 1.4) for _ in range(count)]
    apps = [new_application(rng, job, start, latest, members) for start in starts]
    apps.sort(key=lambda a: a.changes[0][2])
    hires = sorted(c[2] for a in apps for c in a.changes if c[1] == S.ACCEPTED)
    if len(hires) >= job.headcount:
        cutoff, key = hires[job.headcount - 1], "filled"
    elif job.window_end <= latest - 5 * WD:
        cutoff = job.window_end
        key = "filled" if hires and hires[0] <= cutoff else "cancelled"  # an acceptance after it is cut
    else:
        return apps
    for app in apps:
        if is_hire(app.changes, cutoff):
            continue
        if app.changes[0][2] >= cutoff - WD:
            created = job.opened + int(max(0, cutoff - WD - job.opened) * rng.random())
            app.changes = simulate_application(rng, app, created, latest, app.changes[0][1])
            if is_hire(app.changes, cutoff):
                continue
        app.changes = cut(rng, app.changes, cutoff, latest, key)
    staying = any(a.reached(S.ACCEPTED) and a.final_stage != S.RENEGED for a in apps)
    # close_job refuses while anyone is left in the process, those who accepted a Filled job apart:
    # the job closes when the last of the others has been told (or, Closed, has reneged). Someone
    # not told yet keeps it open.
    waiting_for = [a for a in apps if not (staying and a.reached(S.ACCEPTED))]
    if any(not a.closed for a in waiting_for):
        return apps
    closed = max([cutoff, *(a.changes[-1][2] for a in waiting_for)])
    job.status = JobStatus.FILLED if staying else JobStatus.CLOSED
    job.closed_at = calendar.wall(closed)
    return apps


def cut(rng: Random, changes: list[Change], at: int, latest: int, key: str) -> list[Change]:
    """The client stopped the search (or hired someone else) at `at`: what was still open is closed."""
    kept = [c for c in changes if c[2] <= at]
    last = kept[-1]
    if last[1] in CLOSED:
        return kept
    told = max(at + int((0.2 + 2.8 * rng.random()) * WD), last[2] + 1)
    if told > latest:
        return kept  # decided, but nobody has told the candidate yet
    kept.append((last[1], S.REJECTED, told, key, ""))
    return kept


_valid_shapes: set[tuple] = set()


def check_path(changes: list[Change]) -> None:
    """Refuse a path that the stage rules would refuse, move by move. The rules are checked once
    per shape of path (there are few), the times and the chaining of stages every time."""
    for previous, change in zip(changes, changes[1:], strict=False):
        if change[2] <= previous[2] or change[0] != previous[1]:
            raise ValueError(f"stage changes out of order: {previous} then {change}")
    shape = tuple((c[1], bool(c[4])) for c in changes)
    if shape in _valid_shapes:
        return
    if changes[0][0] != "" or changes[0][1] not in stages.OPEN or changes[0][1] == S.ON_HOLD:
        raise ValueError(f"an application starts at an open stage: {shape}")
    rules = stages.StageRules(stage=changes[0][1])
    for change in changes[1:]:
        stages.check_transition(rules, change[1], reason="(reason)", loss_reason=change[4] or None)
        to = change[1]
        rules = stages.StageRules(
            stage=to,
            stage_before_hold=rules.stage if to == S.ON_HOLD else None,
            was_accepted=rules.was_accepted or to == S.ACCEPTED,
        )
    _valid_shapes.add(shape)


# ---------------------------------------------------------------------------------------------
# Planning: everything but the stage path


def segments(changes: list[Change], end: int) -> tuple[list[int], list[float], list[float]]:
    """Open stretches of an application up to `end`: start minutes, touch density per minute, and
    the cumulative expected touchpoints, for drawing touchpoint times."""
    starts: list[int] = []
    densities: list[float] = []
    cumulative: list[float] = []
    total = 0.0
    for i, change in enumerate(changes):
        stage, start = change[1], change[2]
        if stage in CLOSED or start >= end:
            break
        stop = changes[i + 1][2] if i + 1 < len(changes) else end
        stop = min(stop, end)
        if stop <= start:
            continue
        density = DENSITY[stage] / WD
        total += (stop - start) * density
        starts.append(start)
        densities.append(density)
        cumulative.append(total)
    return starts, densities, cumulative


def finish_plan(rng: Random, clock: Clock, app: AppPlan) -> float:
    """Decide the shape of everything around the stage path; returns the unscaled touchpoint count."""
    calendar = app.job.calendar
    latest = calendar.work(clock.latest)
    changes = app.changes
    start = changes[0][2]
    final = changes[-1]
    if app.closed:
        app.last_w = max(start, final[2] - 5 - int(rng.random() * 90))
        if final[1] == S.STARTED and rng.random() < 0.5:
            post = final[2] + int((3 + 20 * rng.random()) * WD)
            app.post_w = post if post <= latest else None
    else:
        if app.gap_days is None:
            mean = 1.8 * app.recruiter.diligence * (3 if final[1] == S.ON_HOLD else 1)
            app.gap_days = min(rng.expovariate(1 / mean), 30.0)
        # The last contact: `gap_days` ago, at some earlier working hour of that same day.
        last = calendar.work(clock.minutes_ago(app.gap_days))
        last -= int(rng.random() * (last % WD))
        app.last_w = min(max(start, last), latest)
        if not app.scripted and final[1] in stages.HOME_STRETCH:
            app.never_asked = rng.random() < 0.15
    if app.first_of_candidate and rng.random() < 0.12:
        pre = start - int((20 + 280 * rng.random()) * WD * 5 / 7)
        if pre > 0:
            app.pre_w = pre
    if not app.scripted:  # a scenario sets its own
        app.interest = _interest(rng, app)
        app.competing = competing_plan(rng, app)
    app.offers = offer_plan(rng, app)
    app.priorities = priorities_plan(rng, app)
    if app.closed and not app.scripted and final[1] in stages.LOSSES:
        app.lessons = rng.random() < 0.04
    _, _, cumulative = segments(changes, app.last_w)
    expected = cumulative[-1] if cumulative else 0.0
    return expected / app.recruiter.diligence


def _interest(rng: Random, app: AppPlan) -> tuple[int, int]:
    """Interest at the first and the last touchpoint: it moves towards how the story ends."""
    first = 3 + (rng.random() < 0.6) + (rng.random() < 0.2)
    final = app.changes[-1][1]
    if final in CANDIDATE_LOSSES:
        return first, 1 + (rng.random() < 0.5)
    if app.reached(S.ACCEPTED):
        return first, 4 + (rng.random() < 0.6)
    if app.closed:
        return first, max(2, first - (rng.random() < 0.5))
    if app.heat > 0.6:  # in demand, and other doors are opening
        return first, max(1, first - 1 - (rng.random() < 0.5))
    return first, first


def minimum_touches(app: AppPlan) -> int:
    return 2 + (app.post_w is not None)


def competing_plan(rng: Random, app: AppPlan) -> list[CompetingSpec]:
    if app.never_asked:
        return []
    specs: list[CompetingSpec] = []
    loss = app.changes[-1][4]
    if loss == L.COMPETING_OFFER:
        specs.append(CompetingSpec(CompetingKind.EXTERNAL, CompetingStage.ACCEPTED, winner=True))
    elif loss == L.COUNTEROFFER and app.candidate and app.candidate.employer:
        specs.append(CompetingSpec(CompetingKind.COUNTEROFFER, CompetingStage.ACCEPTED, winner=True))
    furthest = app.furthest
    if furthest >= SEQUENCE[S.INTERVIEWING]:
        chance = 0.15 + 0.5 * app.heat + (0.1 if furthest >= SEQUENCE[S.FINAL_INTERVIEW] else 0)
        extra = (rng.random() < chance) + (rng.random() < chance * 0.35)
        for _ in range(extra):
            counter = (furthest >= SEQUENCE[S.OFFER] and rng.random() < 0.15 and app.candidate is not None
                       and bool(app.candidate.employer))
            if app.closed:
                stage = CompetingStage.CLOSED if rng.random() < 0.6 else rng.choice(
                    (CompetingStage.INTERVIEWING, CompetingStage.FINAL, CompetingStage.OFFER))
            else:
                stage = rng.choices(
                    (CompetingStage.APPLIED, CompetingStage.INTERVIEWING, CompetingStage.FINAL,
                     CompetingStage.OFFER),
                    weights=(15, 35, 25, 25))[0]
            if counter:
                stage = CompetingStage.OFFER if not app.closed else CompetingStage.CLOSED
            kind = CompetingKind.COUNTEROFFER if counter else CompetingKind.EXTERNAL
            specs.append(CompetingSpec(kind, stage))
    return specs


def offer_plan(rng: Random, app: AppPlan) -> list[list[str]]:
    """The statuses each revision of our offer went through, oldest first."""
    draft, approved, extended = OfferStatus.DRAFT, OfferStatus.APPROVED, OfferStatus.EXTENDED
    changes = app.changes
    final = changes[-1][1]
    offered = [i for i, c in enumerate(changes) if c[1] == S.OFFER]
    if not offered:
        # The client prepares an offer while the last checks run.
        if final == S.VERIFICATION and (app.open_offer_status or rng.random() < 0.35):
            status = app.open_offer_status or rng.choice((draft, approved))
            return [[draft] if status == draft else [draft, approved]]
        return []
    first = offered[0]
    stages_after = [c[1] for c in changes[first + 1:]]
    if S.ACCEPTED in stages_after:
        outcome = [OfferStatus.ACCEPTED]
        if final == S.RENEGED:
            outcome.append(OfferStatus.RENEGED)
    elif final == S.DECLINED:
        outcome = [OfferStatus.DECLINED]
    elif final in (S.REJECTED, S.WITHDRAWN):
        outcome = [OfferStatus.WITHDRAWN]  # by the client
    else:
        outcome = []
    respond = offer_response_index(changes, first)
    end = changes[respond][2] if respond is not None else app.last_w
    span = end - changes[first][2]
    revisions = app.revisions
    if revisions is None:
        revisions = 1
        if span >= 2 * WD and rng.random() < 0.3:
            revisions = 2 + (span >= 4 * WD and rng.random() < 0.25)
    plan: list[list[str]] = []
    for r in range(1, revisions + 1):
        statuses: list[str] = [draft, approved, extended] if r == 1 else [extended]
        if r < revisions:
            lapsed = span >= 8 * WD and rng.random() < 0.15
            statuses.append(OfferStatus.EXPIRED if lapsed else OfferStatus.SUPERSEDED)
        elif outcome:
            statuses.extend(outcome)
        elif r == 1:
            open_status = app.open_offer_status or rng.choices((draft, approved, extended), (1, 1, 8))[0]
            statuses = statuses[: statuses.index(open_status) + 1]
        plan.append(statuses)
    return plan


def offer_response_index(changes: list[Change], first_offer: int) -> int | None:
    """The change that answered our offer (accepted, declined or the client's withdrawal)."""
    for i in range(first_offer + 1, len(changes)):
        if changes[i][1] in (S.ACCEPTED, S.DECLINED, S.REJECTED, S.WITHDRAWN):
            return i
    return None


def priorities_plan(rng: Random, app: AppPlan) -> int:
    furthest = app.furthest
    if furthest < SEQUENCE[S.SCREENING]:
        return 0
    count = 1 if app.first_of_candidate or rng.random() < 0.5 else 0
    if furthest >= SEQUENCE[S.FINAL_INTERVIEW] and rng.random() < 0.35:
        count += 1
    if furthest >= SEQUENCE[S.OFFER] and rng.random() < 0.15:
        count += 1
    return count


def scale_touches(rng: Random, apps: list[AppPlan], expected: list[float], target: int | None) -> None:
    """Set each application's touchpoint count; with a target, the total matches it exactly."""
    minimums = [minimum_touches(a) for a in apps]
    pre = sum(a.pre_w is not None for a in apps)
    if target is None or not apps:
        for app, exp, low in zip(apps, expected, minimums, strict=True):
            app.touches = max(low, int(exp + low + rng.random()))
        return
    raw = [exp + low for exp, low in zip(expected, minimums, strict=True)]
    wanted = max(target - pre, sum(minimums))
    factor = wanted / sum(raw)
    total = 0
    for app, value, low in zip(apps, raw, minimums, strict=True):
        app.touches = max(low, int(value * factor + rng.random()))
        total += app.touches
    # Settle the rounding difference one touchpoint at a time, on applications drawn at random.
    n = len(apps)
    while total != wanted:
        app = apps[int(rng.random() * n)]
        if total < wanted:
            app.touches += 1
            total += 1
        elif app.touches > minimum_touches(app):
            app.touches -= 1
            total -= 1
