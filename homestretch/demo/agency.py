"""The agency around the applications: teams, users, clients, hiring managers, jobs and candidates.

Each is planned as a small object (what the stories need to know about it) and turned into a
database row by a ``*_row`` function whose tuple follows the ``*_FIELDS`` list next to it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from random import Random

from homestretch.accounts.choices import Role
from homestretch.lib.money import Period
from homestretch.pipeline import consent
from homestretch.pipeline.choices import (
    BasisObtainedHow,
    CandidateSource,
    ClientSize,
    JobStatus,
    LegalBasis,
    RemotePolicy,
)
from homestretch.pipeline.search import candidate_search_text

from . import catalogue as cat
from . import notes
from .clock import MINUTES_PER_DAY, WORK_MINUTES_PER_DAY, Clock, WorkCalendar

CALENDARS: dict[str, WorkCalendar] = {city.name: WorkCalendar(city.utc_offset_minutes) for city in cat.CITIES}


def weighted(rng: Random, items: list | tuple, weights: list | tuple):
    return rng.choices(items, weights=weights)[0]


def ascii_slug(text: str, sep: str = "") -> str:
    """'Dąbrowski' -> 'dabrowski', "O'Brien" -> 'obrien': the part of an e-mail address a name gives."""
    plain = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    kept = "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == " "))
    return sep.join(kept.lower().split())


# ---------------------------------------------------------------------------------------------
# Teams and users


@dataclass(slots=True)
class TeamPlan:
    id: int
    name: str
    cities: tuple[cat.City, ...]
    recruiter_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class UserPlan:
    id: int
    first: str
    last: str
    email: str
    role: str
    team_id: int | None
    joined: int  # minute
    diligence: float = 1.0  # > 1: contacts candidates less often than the agency's norm


TEAM_FIELDS = ("id", "name", "created_at")
USER_FIELDS = (
    "id", "password", "last_login", "is_superuser", "first_name", "last_name", "is_staff", "is_active",
    "date_joined", "email", "team_id", "role",
)


def plan_people(rng: Random, clock: Clock, team_specs: tuple[cat.TeamSpec, ...], recruiters: int
                ) -> tuple[list[TeamPlan], list[UserPlan], UserPlan, UserPlan, UserPlan]:
    """Teams and users: the demo recruiter first in the first team, then the others, the admin, the viewer."""
    teams = [
        TeamPlan(i + 1, spec.name, tuple(cat.CITY_BY_NAME[c] for c in spec.cities))
        for i, spec in enumerate(team_specs)
    ]
    users: list[UserPlan] = []
    taken: set[str] = set()

    def joined() -> int:
        return clock.minutes_ago(400 + rng.random() * 600)

    first, last, email = cat.DEMO_RECRUITER
    login = UserPlan(1, first, last, email, Role.RECRUITER, teams[0].id, joined(), diligence=1.0)
    users.append(login)
    teams[0].recruiter_ids.append(login.id)
    taken.add(email)
    for i in range(1, recruiters):
        team = teams[i % len(teams)]
        while True:
            first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}@example.com"
            if email not in taken:
                break
        taken.add(email)
        user = UserPlan(len(users) + 1, first, last, email, Role.RECRUITER, team.id, joined(),
                        diligence=0.7 + rng.random() * 0.9)
        users.append(user)
        team.recruiter_ids.append(user.id)
    first, last, email = cat.DEMO_ADMIN
    admin = UserPlan(len(users) + 1, first, last, email, Role.ADMIN, None, joined())
    users.append(admin)
    first, last, email = cat.DEMO_VIEWER
    viewer = UserPlan(len(users) + 1, first, last, email, Role.VIEWER, None, joined())
    users.append(viewer)
    return teams, users, login, admin, viewer


def team_row(team: TeamPlan, clock: Clock) -> tuple:
    return (team.id, team.name, clock.ts(clock.minutes_ago(1000 + team.id)))


def user_row(user: UserPlan, clock: Clock, password_hash: str) -> tuple:
    is_admin = user.role == Role.ADMIN
    return (
        user.id, password_hash, None, is_admin, user.first, user.last, is_admin, True,
        clock.ts(user.joined), user.email, user.team_id, user.role,
    )


# ---------------------------------------------------------------------------------------------
# Clients and hiring managers


@dataclass(slots=True)
class ManagerPlan:
    id: int
    client_id: int
    name: str
    title: str
    email: str
    phone: str


@dataclass(slots=True)
class ClientPlan:
    id: int
    name: str
    industry: str
    size: str
    team: TeamPlan
    cities: tuple[cat.City, ...]
    domain: str
    created: int
    notes: str
    managers: list[ManagerPlan] = field(default_factory=list)


CLIENT_FIELDS = ("id", "name", "industry", "size", "website", "notes", "created_at")
MANAGER_FIELDS = ("id", "client_id", "name", "title", "email", "phone")
CLIENT_NOTES = (
    "", "", "", "Pays our fee within 30 days.", "Prefers CVs by Tuesday for Thursday hiring meetings.",
    "Exclusive on senior roles.", "Framework agreement renewed this year.",
    "Slow to give feedback: chase on day 3.",
)


def plan_clients(rng: Random, clock: Clock, teams: list[TeamPlan], count: int) -> list[ClientPlan]:
    clients: list[ClientPlan] = []
    taken: set[str] = set()
    industries = list(cat.INDUSTRIES)
    industry_weights = [i.weight for i in industries]
    sizes = [s for s, _ in cat.CLIENT_SIZE_WEIGHTS]
    size_weights = [w for _, w in cat.CLIENT_SIZE_WEIGHTS]
    # First one client in each city of each team, so that every market is there even in the small
    # agency; then clients in proportion to each team's recruiters.
    team_weights = [max(1, len(t.recruiter_ids)) for t in teams]
    home = [(team, city) for team in teams for city in team.cities]
    manager_id = 0
    for i in range(count):
        if i < len(home):
            team, home_city = home[i]
        else:
            team, home_city = weighted(rng, teams, team_weights), None
        industry = weighted(rng, industries, industry_weights)
        for _ in range(100):
            name = f"{rng.choice(cat.COMPANY_WORDS)} {rng.choice(industry.suffixes)}"
            if name not in taken:
                break
        else:
            name = f"{name} {i}"
        taken.add(name)
        size = weighted(rng, sizes, size_weights)
        n_cities = 1 if len(team.cities) == 1 or rng.random() < 0.6 else 2
        cities = tuple(rng.sample(team.cities, n_cities))
        if home_city is not None:
            cities = (home_city, *(c for c in cities if c is not home_city))[:n_cities]
        client = ClientPlan(
            id=i + 1, name=name, industry=industry.name, size=size, team=team, cities=cities,
            domain=f"{ascii_slug(name, '-')}.example", created=clock.minutes_ago(420 + rng.random() * 600),
            notes=rng.choice(CLIENT_NOTES),
        )
        n_managers = {ClientSize.STARTUP: 1, ClientSize.SMALL: 2, ClientSize.MEDIUM: 3}.get(size, 4)
        titles = rng.sample(cat.HIRING_MANAGER_TITLES, n_managers)
        for title in titles:
            manager_id += 1
            first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
            city = cities[0]
            client.managers.append(ManagerPlan(
                manager_id, client.id, f"{first} {last}", title,
                f"{ascii_slug(first)}.{ascii_slug(last)}@{client.domain}",
                f"{city.phone_prefix} {rng.randrange(1000, 10000)}" if rng.random() < 0.7 else "",
            ))
        clients.append(client)
    return clients


def client_row(client: ClientPlan, clock: Clock) -> tuple:
    return (client.id, client.name, client.industry, client.size, f"https://{client.domain}", client.notes,
            clock.ts(client.created))


def manager_row(manager: ManagerPlan) -> tuple:
    return (manager.id, manager.client_id, manager.name, manager.title, manager.email, manager.phone)


# ---------------------------------------------------------------------------------------------
# Jobs


@dataclass(slots=True)
class JobPlan:
    id: int
    client: ClientPlan
    manager: ManagerPlan | None
    family: cat.RoleFamily
    seniority: str
    city: cat.City
    title: str
    skills: tuple[str, ...]
    contract: bool  # a freelance role paid by the day
    band: tuple[int, int]
    remote_policy: str
    remote_days: int | None
    perks: str
    opened: int  # working minute on the city's calendar
    window_end: int  # when the client gives up if nobody has accepted
    headcount: int
    lead_recruiter_id: int
    showcase: bool = False
    status: str = JobStatus.OPEN
    closed_at: int | None = None  # UTC minute: when close_job would have closed it
    lessons: str = ""
    planned_applications: int = 0

    @property
    def calendar(self) -> WorkCalendar:
        return CALENDARS[self.city.name]

    @property
    def currency(self) -> str:
        return self.city.currency

    @property
    def period(self) -> str:
        return Period.DAY if self.contract else Period.YEAR

    @property
    def step(self) -> int:
        return cat.DAY_RATE_ROUNDING if self.contract else cat.ROUNDING[self.city.currency] // 2 or 1


JOB_FIELDS = (
    "id", "client_id", "hiring_manager_id", "title", "seniority", "skills", "location", "base_min",
    "base_max", "currency", "period", "remote_policy", "remote_days", "perks", "status", "opened_on",
    "closed_on", "lessons",
    "created_at", "updated_at",
)
REMOTE_POLICIES = (RemotePolicy.ONSITE, RemotePolicy.HYBRID, RemotePolicy.REMOTE)


def new_job(rng: Random, clock: Clock, job_id: int, client: ClientPlan, *, opened_days_ago: float,
            search_days: float, lead_recruiter_id: int, showcase: bool = False,
            family: cat.RoleFamily | None = None, seniority: str | None = None,
            city: cat.City | None = None) -> JobPlan:
    family = family or weighted(rng, cat.ROLE_FAMILIES, [f.weight for f in cat.ROLE_FAMILIES])
    if seniority is None:
        seniority = weighted(rng, cat.SENIORITIES, cat.SENIORITY_WEIGHTS)
    if family.key == "management" and seniority not in ("lead", "principal"):
        seniority = "lead"
    city = city or rng.choice(client.cities)
    contract = not showcase and family.key != "management" and rng.random() < 0.05
    band = (cat.day_rate_band if contract else cat.pay_band)(family, seniority, city)
    specialism = rng.choice(family.specialisms) if rng.random() < 0.45 else None
    title = cat.job_title(family, seniority, specialism)
    if contract:
        title = f"Freelance {title}"
    skills = tuple(rng.sample(family.skills, rng.randint(3, 5)))
    policy = weighted(rng, REMOTE_POLICIES, (2, 6, 2))
    remote_days: int | None = {RemotePolicy.ONSITE: 0, RemotePolicy.REMOTE: 5}.get(
        policy, rng.choice((1, 2, 2, 3, 3, 4)))
    if rng.random() < 0.15:
        remote_days = None
    perks = "; ".join(rng.sample(cat.PERKS, rng.randint(0, 4))).format(
        learning=f"{cat.round_to(band[0] * 0.02, 100):,} {city.currency}"
    )
    calendar = CALENDARS[city.name]
    opened = calendar.work(clock.minutes_ago(opened_days_ago))
    window_end = opened + int(search_days * 5 / 7 * WORK_MINUTES_PER_DAY)
    manager = rng.choice(client.managers) if client.managers and rng.random() < 0.9 else None
    headcount = weighted(rng, (1, 2, 3), (85, 12, 3))
    return JobPlan(
        id=job_id, client=client, manager=manager, family=family, seniority=seniority, city=city, title=title,
        skills=skills, contract=contract, band=band, remote_policy=policy, remote_days=remote_days,
        perks=perks,
        opened=opened, window_end=window_end, headcount=headcount, lead_recruiter_id=lead_recruiter_id,
        showcase=showcase,
    )


def plan_jobs(rng: Random, clock: Clock, clients: list[ClientPlan], count: int) -> list[JobPlan]:
    size_weight: dict[str, int] = {
        ClientSize.STARTUP: 1, ClientSize.SMALL: 2, ClientSize.MEDIUM: 3, ClientSize.LARGE: 5,
    }
    weights = [size_weight[c.size] for c in clients]
    jobs = []
    for i in range(count):
        client = clients[i] if i < len(clients) else weighted(rng, clients, weights)
        recruiters = client.team.recruiter_ids
        # More searches lately than a year ago: the agency is growing.
        opened_days_ago = 4 + 376 * rng.random() ** 1.35
        jobs.append(new_job(
            rng, clock, i + 1, client, opened_days_ago=opened_days_ago, search_days=25 + rng.random() * 85,
            lead_recruiter_id=recruiters[i % len(recruiters)],
            city=client.cities[0] if i < len(clients) else None,  # every market gets a job
        ))
    return jobs


def job_row(job: JobPlan, clock: Clock) -> tuple:
    calendar = job.calendar
    opened_t = calendar.wall(job.opened)
    opened_day = opened_t // MINUTES_PER_DAY
    closed_on = clock.date(job.closed_at // MINUTES_PER_DAY) if job.closed_at is not None else None
    updated_t = opened_t if job.closed_at is None else max(opened_t, job.closed_at)
    return (
        job.id, job.client.id, job.manager.id if job.manager else None, job.title, job.seniority,
        ", ".join(job.skills), job.city.name, job.band[0], job.band[1], job.currency, job.period,
        job.remote_policy, job.remote_days, job.perks, job.status, clock.date(opened_day), closed_on,
        job.lessons,
        clock.ts(opened_t - 45), clock.ts(min(updated_t, clock.latest)),
    )


# ---------------------------------------------------------------------------------------------
# Candidates


@dataclass(slots=True)
class CandidatePlan:
    id: int
    first: str
    last: str
    email: str
    phone: str
    city: cat.City
    family: cat.RoleFamily
    seniority: str
    years: int
    employer: str
    current_title: str
    current_base: int | None
    current_currency: str
    current_period: str
    skills: tuple[str, ...]
    source: str
    notes: str
    consent: bool
    created: int  # UTC minute
    notice_days: int
    applications: int = 0


CANDIDATE_FIELDS = (
    "id", "name", "email", "phone", "location", "current_employer", "current_title", "current_base",
    "current_currency", "current_period", "skills", "years_experience", "source", "notes",
    "consent_to_contact",
    "consent_given_at", "created_at", "updated_at", "search_text",
    "legal_basis", "basis_obtained_at", "basis_obtained_how", "basis_renew_by",
)
SOURCES = tuple(CandidateSource.values)
SOURCE_WEIGHTS: dict[str, int] = {
    CandidateSource.LINKEDIN: 40, CandidateSource.REFERRAL: 12, CandidateSource.JOB_BOARD: 12,
    CandidateSource.INBOUND: 14, CandidateSource.DATABASE: 14, CandidateSource.EVENT: 4,
    CandidateSource.OTHER: 4,
}
LOWER_SENIORITY = {
    "junior": "junior", "mid": "junior", "senior": "mid", "lead": "senior", "principal": "lead",
}


class CandidateFactory:
    """New candidates for a job, with e-mail addresses unique in the data set."""

    def __init__(self, rng: Random, clock: Clock) -> None:
        self.rng = rng
        self.clock = clock
        self.email_counts: dict[str, int] = {}
        self.next_id = 1
        self.source_weights = [SOURCE_WEIGHTS[s] for s in SOURCES]

    def email(self, first: str, last: str) -> str:
        rng = self.rng
        base = f"{ascii_slug(first)}.{ascii_slug(last)}" if rng.random() < 0.7 else \
            f"{ascii_slug(first)[:1]}{ascii_slug(last)}"
        domain = cat.CANDIDATE_EMAIL_DOMAINS[int(rng.random() * 3)]
        key = f"{base}@{domain}"
        n = self.email_counts.get(key, 0) + 1
        self.email_counts[key] = n
        return key if n == 1 else f"{base}{n}@{domain}"

    def new(self, job: JobPlan, first_contact: int) -> CandidatePlan:
        """A candidate who fits `job`, first met at UTC minute `first_contact` (or earlier)."""
        rng = self.rng
        first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
        city = job.city if rng.random() < 0.85 else rng.choice(cat.CITIES)
        seniority = job.seniority if rng.random() < 0.6 else LOWER_SENIORITY[job.seniority]
        low, high = cat.YEARS_BY_SENIORITY[job.seniority]
        years = low + int(rng.random() * (high - low + 1))
        source = weighted(rng, SOURCES, self.source_weights)
        created = first_contact - 10 - int(rng.random() * 120)
        if source == CandidateSource.DATABASE:
            created = first_contact - int((60 + rng.random() * 800) * MINUTES_PER_DAY)
        created = max(created, 0)
        family = job.family
        if job.contract:
            band = cat.day_rate_band(family, seniority, city)
            period = Period.DAY
        else:
            band = cat.pay_band(family, seniority, city)
            period = Period.YEAR
        current_base = None
        currency = ""
        if rng.random() < 0.8:
            step = cat.DAY_RATE_ROUNDING if job.contract else cat.ROUNDING[city.currency] // 2
            current_base = cat.round_to(band[0] + (band[1] - band[0]) * rng.random() * 0.9, step)
            currency = city.currency
        employer = rng.choice(cat.EMPLOYERS) if rng.random() < 0.95 else ""
        skills = set(rng.sample(job.skills, min(len(job.skills), rng.randint(2, 4))))
        skills.update(rng.sample(family.skills, 3))
        ordered_skills = tuple(s for s in family.skills if s in skills)
        if family.key == "management":
            current_title = "Engineering Manager" if seniority == "principal" else "Senior Software Engineer"
        else:
            current_title = f"{cat.SENIORITY_PREFIX[seniority]}{family.title}"
        if not employer:
            current_title = f"Freelance {family.title}"
        candidate = CandidatePlan(
            id=self.next_id, first=first, last=last,
            email=self.email(first, last) if rng.random() < 0.93 else "",
            phone=f"{city.phone_prefix} {rng.randrange(1000, 10000)}" if rng.random() < 0.75 else "",
            city=city, family=family, seniority=seniority, years=years, employer=employer,
            current_title=current_title, current_base=current_base, current_currency=currency,
            current_period=period, skills=ordered_skills, source=source,
            notes=rng.choice(notes.CANDIDATE_NOTES).format(skill=ordered_skills[0]),
            consent=rng.random() < 0.93, created=created, notice_days=rng.choice(city.notice_days),
        )
        self.next_id += 1
        return candidate


def candidate_row(candidate: CandidatePlan, clock: Clock) -> tuple:
    created = clock.ts(candidate.created)
    consent_at = clock.ts(candidate.created + 7) if candidate.consent else None
    name, skills = f"{candidate.first} {candidate.last}", ", ".join(candidate.skills)
    return (
        candidate.id, name, candidate.email, candidate.phone,
        candidate.city.name,
        candidate.employer, candidate.current_title, candidate.current_base, candidate.current_currency,
        candidate.current_period, skills, candidate.years, candidate.source,
        candidate.notes,
        candidate.consent, consent_at, created, clock.ts(candidate.created + 7),
        candidate_search_text(name, candidate.email, skills),
        *_legal_basis(candidate, clock),
    )


def _legal_basis(candidate: CandidatePlan, clock: Clock) -> tuple:
    """Who consented has the basis "consent", given by e-mail a week after being recorded; the others are
    held on the agency's legitimate interest from the day they were recorded. Each renewed by the basis's
    default day (pipeline/consent.py), so that the demo's Today has renewals due."""
    if candidate.consent:
        basis, obtained, how = LegalBasis.CONSENT, candidate.created + 7, BasisObtainedHow.EMAIL
    else:
        basis, obtained, how = LegalBasis.LEGITIMATE_INTEREST, candidate.created, BasisObtainedHow.IMPORT
    renew_by = consent.default_renew_by(basis, consent.local_day(clock.as_datetime(obtained)))
    return basis.value, clock.ts(obtained), how.value, renew_by.isoformat()
