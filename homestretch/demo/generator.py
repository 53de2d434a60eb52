"""Demo data: a believable IT recruiting agency, generated fast and the same way every time.

    generate(scale, seed, now=..., progress=...) -> DemoSummary

fills an empty database (``DatabaseNotEmpty`` otherwise) with teams and recruiters, clients and their
hiring managers, jobs with pay bands by role, seniority and city, candidates, and twelve months of
applications with their stage histories, touchpoints, competing offers, priorities and our offers.
Every date is relative to ``now``; the same seed and the same ``now`` give the same rows, on SQLite
and on PostgreSQL alike.

How it is fast: everything is planned in plain Python first (``agency``, ``stories``, ``showcase``),
so every row count is known; then rows are built as tuples with ids we assign and streamed into
the tables by ``bulk.BulkLoader`` (executemany on SQLite, COPY on PostgreSQL), in one transaction.
No ORM object is made per row; the demo password is hashed once.
"""

from __future__ import annotations

import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from random import Random
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection

from homestretch.accounts.choices import Role
from homestretch.pipeline.choices import JobStatus

from . import agency, histories, notes, showcase, stories
from . import catalogue as cat
from .clock import Clock

if TYPE_CHECKING:
    from django.db.models import Model

# This module imports without Django being set up (the command line reads SCALES first, to check
# its options); models are imported inside the functions that need them.

Progress = Callable[[str, int, int], None]

# Every demo account signs in with this password. It is printed by `homestretch demo` and
# `homestretch run --demo`: demo data is for trying the product, never for production.
DEMO_PASSWORD = "homestretch-demo"  # noqa: S105 - printed to the user on purpose


@dataclass(frozen=True)
class Scale:
    name: str
    teams: tuple[cat.TeamSpec, ...]
    recruiters: int
    clients: int
    jobs: int
    applications: int
    touchpoints: int


SCALES: dict[str, Scale] = {
    "small": Scale("small", cat.SMALL_TEAMS, recruiters=5, clients=12, jobs=30, applications=300,
                   touchpoints=6_000),
    "large": Scale("large", cat.LARGE_TEAMS, recruiters=150, clients=480, jobs=3_600, applications=50_000,
                   touchpoints=1_000_000),
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    name: str
    team: str  # "" for the admin and the viewer
    note: str


@dataclass(frozen=True)
class DemoSummary:
    scale: str
    seed: int
    now: datetime
    seconds: float
    counts: dict[str, int]  # table label -> rows inserted
    login_email: str
    login_password: str
    admin_email: str
    accounts: tuple[DemoAccount, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


class DatabaseNotEmpty(Exception):
    """The demo fills an empty database only; the message says what is there and how to start afresh."""

    def __init__(self, existing: dict[str, int]) -> None:
        self.existing = existing
        what = ", ".join(f"{count:,} {label.replace('_', ' ')}" for label, count in existing.items())
        super().__init__(
            f"The database already holds data ({what}). The demo fills an empty database only: "
            "start afresh with `homestretch manage flush` (deletes everything in this database) "
            "or point DATABASE_URL at a new one."
        )


def demo_accounts(scale: str = "small") -> tuple[DemoAccount, ...]:
    """The accounts to sign in with; all have DEMO_PASSWORD (the other recruiters too)."""
    team = SCALES[scale].teams[0].name
    return (
        DemoAccount(cat.DEMO_RECRUITER[2], Role.RECRUITER, " ".join(cat.DEMO_RECRUITER[:2]), team,
                    "a recruiter with a full pipeline: start here"),
        DemoAccount(cat.DEMO_ADMIN[2], Role.ADMIN, " ".join(cat.DEMO_ADMIN[:2]), "",
                    "admin: everything, users and the back office"),
        DemoAccount(cat.DEMO_VIEWER[2], Role.VIEWER, " ".join(cat.DEMO_VIEWER[:2]), "", "viewer: reads only"),
    )


def demo_login_email() -> str | None:
    """The demo recruiter's e-mail when the demo data is in the database, else None."""
    from homestretch.accounts.models import User

    email = cat.DEMO_RECRUITER[2]
    return email if User.objects.filter(email=email).exists() else None


def demo_tables() -> tuple[tuple[str, type[Model]], ...]:
    """The tables the demo fills, by label, in the order they are written."""
    from homestretch.accounts.models import Team, User
    from homestretch.offers.models import CompetingOffer, CompetingOfferChange, Offer, OfferEvent, Priorities
    from homestretch.pipeline.models import (
        Application,
        Candidate,
        Client,
        HiringManager,
        Job,
        StageChange,
        Touchpoint,
    )

    return (
        ("teams", Team), ("users", User), ("clients", Client), ("hiring_managers", HiringManager),
        ("jobs", Job), ("candidates", Candidate), ("applications", Application),
        ("stage_changes", StageChange), ("touchpoints", Touchpoint), ("competing_offers", CompetingOffer),
        ("competing_offer_changes", CompetingOfferChange), ("offers", Offer), ("offer_events", OfferEvent),
        ("priorities", Priorities),
    )


def existing_rows() -> dict[str, int]:
    """Rows already in the demo's tables, by label (empty when the database is empty)."""
    return {label: model._default_manager.count() for label, model in demo_tables()
            if model._default_manager.exists()}


def database_is_empty() -> bool:
    """No teams, users, clients, candidates, applications or anything else the demo would fill."""
    return not any(model._default_manager.exists() for _, model in demo_tables())


# ---------------------------------------------------------------------------------------------
# Planning


@dataclass
class AgencyPlan:
    teams: list[agency.TeamPlan]
    users: list[agency.UserPlan]
    login: agency.UserPlan
    admin: agency.UserPlan
    clients: list[agency.ClientPlan]
    jobs: list[agency.JobPlan]
    apps: list[stories.AppPlan]
    candidates: list[agency.CandidatePlan]

    def totals(self) -> dict[str, int]:
        apps = self.apps
        return {
            "teams": len(self.teams), "users": len(self.users), "clients": len(self.clients),
            "hiring_managers": sum(len(c.managers) for c in self.clients), "jobs": len(self.jobs),
            "candidates": len(self.candidates), "applications": len(apps),
            "stage_changes": sum(len(a.changes) for a in apps),
            "touchpoints": sum(a.touches + (a.pre_w is not None) for a in apps),
            "competing_offers": sum(len(a.competing) for a in apps),
            "competing_offer_changes": sum(len(a.competing) for a in apps),
            "offers": sum(len(a.offers) for a in apps),
            "offer_events": sum(len(statuses) for a in apps for statuses in a.offers),
            "priorities": sum(a.priorities for a in apps),
        }


def _stream(seed: int, name: str) -> Random:
    """An independent random stream per concern, so that a change in one leaves the others alone."""
    return Random(f"homestretch-demo/{seed}/{name}")


def plan_agency(scale: Scale, seed: int, clock: Clock, progress: Progress | None = None) -> AgencyPlan:
    teams, users, login, admin, _viewer = agency.plan_people(_stream(seed, "people"), clock, scale.teams,
                                                            scale.recruiters)
    clients = agency.plan_clients(_stream(seed, "clients"), clock, teams, scale.clients)
    jobs = agency.plan_jobs(_stream(seed, "jobs"), clock, clients, scale.jobs)
    home_clients = [c for c in clients if c.team is teams[0]]
    showcase_jobs, showcase_apps = showcase.plan_showcase(
        _stream(seed, "showcase"), clock, login, home_clients, first_job_id=len(jobs) + 1
    )

    # Random applications over the jobs: busier searches get more candidates.
    rng = _stream(seed, "stories")
    weights = [0.3 + rng.random() for _ in jobs]
    per_job = [0] * len(jobs)
    random_applications = max(0, scale.applications - len(showcase_apps))
    for index in rng.choices(range(len(jobs)), weights=weights, k=random_applications):
        per_job[index] += 1
    users_by_id = {u.id: u for u in users}
    members = {t.id: [users_by_id[i] for i in t.recruiter_ids] for t in teams}
    apps: list[stories.AppPlan] = []
    for done, (job, count) in enumerate(zip(jobs, per_job, strict=True), start=1):
        apps.extend(stories.plan_job(rng, clock, job, count, members[job.client.team.id]))
        if progress is not None and (done % 200 == 0 or done == len(jobs)):
            progress("planning", done, len(jobs))
    apps.extend(showcase_apps)
    jobs.extend(showcase_jobs)

    # Ids in the order the applications were opened, as a live database would have them.
    for app in apps:
        app.created_t = app.job.calendar.wall(app.changes[0][2])
    apps.sort(key=lambda a: (a.created_t, a.job.id))
    for number, app in enumerate(apps, start=1):
        app.id = number
    candidates = _assign_candidates(_stream(seed, "candidates"), clock, apps)

    shapes = _stream(seed, "shapes")
    expected = [stories.finish_plan(shapes, clock, app) for app in apps]
    stories.scale_touches(shapes, apps, expected, scale.touchpoints)
    for app in apps:
        stories.check_path(app.changes)
        if app.pre_w is not None:
            candidate = app.assigned_candidate
            candidate.created = max(0, min(candidate.created, app.job.calendar.wall(app.pre_w) - 30))
    _job_lessons(_stream(seed, "lessons"), jobs)
    return AgencyPlan(teams, users, login, admin, clients, jobs, apps, candidates)


def _assign_candidates(rng: Random, clock: Clock, apps: list[stories.AppPlan]) -> list[agency.CandidatePlan]:
    """A new candidate for most applications; some candidates come back for another job."""
    factory = agency.CandidateFactory(rng, clock)
    pool: dict[tuple[str, str], list[agency.CandidatePlan]] = {}
    in_job: set[tuple[int, int]] = set()
    candidates: list[agency.CandidatePlan] = []
    for app in apps:
        job = app.job
        key = (job.family.key, job.city.name)
        candidate = None
        if not app.scripted and rng.random() < 0.15:
            known = pool.get(key)
            if known:
                pick = known[int(rng.random() * len(known))]
                if (pick.id, job.id) not in in_job:
                    candidate = pick
        if candidate is None:
            candidate = factory.new(job, app.created_t)
            if app.scripted:
                candidate.employer = candidate.employer or cat.EMPLOYERS[candidate.id % len(cat.EMPLOYERS)]
                candidate.notice_days = app.notice_days
            pool.setdefault(key, []).append(candidate)
            candidates.append(candidate)
        in_job.add((candidate.id, job.id))
        app.candidate = candidate
        app.first_of_candidate = candidate.applications == 0
        candidate.applications += 1
    return candidates


def _job_lessons(rng: Random, jobs: list[agency.JobPlan]) -> None:
    for job in jobs:
        if job.status == JobStatus.OPEN or rng.random() >= 0.15:
            continue
        low, high = job.band
        job.lessons = rng.choice(notes.JOB_LESSONS).format(
            city=job.city.name, low=f"{low:,}", high=f"{cat.round_to(high * 1.1, job.step):,}",
            currency=job.currency, company=rng.choice(cat.COMPETITORS), client=job.client.name,
            manager=job.manager.name if job.manager else "the hiring manager", skill=job.skills[0],
        )


# ---------------------------------------------------------------------------------------------
# Writing


def _password_hash(seed: int) -> str:
    """The demo password hashed once (per seed and hasher), with a salt drawn from the seed, so that
    the same seed gives the same rows."""
    return _hash_for(seed, settings.PASSWORD_HASHERS[0])


@lru_cache(maxsize=8)
def _hash_for(seed: int, hasher: str) -> str:
    from django.contrib.auth.hashers import make_password

    rng = _stream(seed, "password")
    salt = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22))
    return make_password(DEMO_PASSWORD, salt=salt)


def _write(plan: AgencyPlan, clock: Clock, seed: int, progress: Progress | None) -> dict[str, int]:
    from .bulk import BulkLoader

    totals = plan.totals()
    tables_by_label = demo_tables()
    with BulkLoader(progress) as loader:
        existing = existing_rows()  # again, inside the transaction that writes
        if existing:
            raise DatabaseNotEmpty(existing)
        fields = {
            "teams": agency.TEAM_FIELDS, "users": agency.USER_FIELDS, "clients": agency.CLIENT_FIELDS,
            "hiring_managers": agency.MANAGER_FIELDS, "jobs": agency.JOB_FIELDS,
            "candidates": agency.CANDIDATE_FIELDS, "applications": histories.APPLICATION_FIELDS,
            "stage_changes": histories.STAGE_CHANGE_FIELDS, "touchpoints": histories.TOUCHPOINT_FIELDS,
            "competing_offers": histories.COMPETING_FIELDS,
            "competing_offer_changes": histories.COMPETING_CHANGE_FIELDS, "offers": histories.OFFER_FIELDS,
            "offer_events": histories.OFFER_EVENT_FIELDS, "priorities": histories.PRIORITIES_FIELDS,
        }
        tables = SimpleNamespace(**{
            label: loader.table(model, fields[label], label=label, total=totals[label])
            for label, model in tables_by_label
        })
        password = _password_hash(seed)
        for team in plan.teams:
            tables.teams.add(agency.team_row(team, clock))
        for user in plan.users:
            tables.users.add(agency.user_row(user, clock, password))
        for client in plan.clients:
            tables.clients.add(agency.client_row(client, clock))
            for manager in client.managers:
                tables.hiring_managers.add(agency.manager_row(manager))
        for job in plan.jobs:
            tables.jobs.add(agency.job_row(job, clock))
        for label in ("teams", "users", "clients", "hiring_managers", "jobs"):
            getattr(tables, label).flush()

        team_members = {team.id: team.recruiter_ids for team in plan.teams}
        writer = histories.HistoryWriter(_stream(seed, "expand"), clock, tables, team_members)
        for app in plan.apps:
            if app.first_of_candidate:
                tables.candidates.add(agency.candidate_row(app.assigned_candidate, clock))
            writer.write(app)
        for label, _ in tables_by_label:
            getattr(tables, label).flush()
        # The derived tables, kept as every writer keeps them (homestretch.pipeline.changes) and in the
        # same transaction: the touch summaries of everything loaded, and a change counted on every
        # application (their risk snapshots, made on first read, would be stale anyway).
        from homestretch.pipeline import changes

        changes.everything_changed()
    counts = loader.counts
    if connection.vendor == "postgresql":
        # Fresh planner statistics: right after a bulk load autovacuum has not analysed the tables yet,
        # and the planner's guesses made the first pages three to four times slower (measured: the
        # recruiter's Today 151 ms before ANALYZE, 41 ms after, on the large data set). And VACUUM where it
        # can run (outside a transaction): the load's own updates leave a dead row version behind each
        # (80,321 of the large set's candidates), and a table never vacuumed has no page marked all-visible,
        # so every count the API's lists send read the whole table's heap, dead rows included, until
        # autovacuum came by (benchmarks/README.md, Third pass).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    if counts != totals:
        wrong = {label: (counts[label], totals[label]) for label in counts if counts[label] != totals[label]}
        raise AssertionError(f"the demo wrote other row counts than it planned (written, planned): {wrong}")
    return counts


def generate(scale: str, seed: int, *, now: datetime, progress: Progress | None = None) -> DemoSummary:
    """Fill the empty database with the demo agency at `scale`; the same seed and `now` give the same data.

    Raises DatabaseNotEmpty (and writes nothing) when any of the demo's tables holds rows, and
    ValueError for an unknown scale or a naive `now`.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: choose {', '.join(SCALES)}")
    started = time.perf_counter()
    existing = existing_rows()
    if existing:
        raise DatabaseNotEmpty(existing)
    clock = Clock(now, connection.vendor)
    plan = plan_agency(SCALES[scale], seed, clock, progress)
    counts = _write(plan, clock, seed, progress)
    return DemoSummary(
        scale=scale, seed=seed, now=now, seconds=time.perf_counter() - started, counts=counts,
        login_email=plan.login.email, login_password=DEMO_PASSWORD, admin_email=plan.admin.email,
        accounts=demo_accounts(scale),
    )
