"""Creating and correcting the pipeline's shared records: clients and their hiring managers, jobs,
candidates; handing an application to another recruiter; and opening an application together with
the new records it needs (the web app's one-page form).

The pages, the API and the imports call these same functions, so that a record is checked by the
same rules wherever it comes from: every rule is checked before anything is written, and what a
workflow writes is written in one transaction, so a refusal changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from homestretch.accounts.access import can_change_team, can_edit_shared_records
from homestretch.accounts.choices import Role
from homestretch.accounts.models import User
from homestretch.lib import limits
from homestretch.lib.refusals import DUPLICATE, MISSING, NON_FIELD, NOT_FOUND, OUT_OF_RANGE, Refused

from . import changes, consent, services, stages
from .choices import JobStatus, Stage
from .models import Application, Candidate, Client, HiringManager, Job

# --- Clients and hiring managers -------------------------------------------------------------------


def save_client(client: Client, *, hiring_managers: Iterable[HiringManager] = (),
                removed_managers: Iterable[HiringManager] = ()) -> Client:
    """Create or correct a client, with its hiring managers added, corrected or removed, all or
    nothing. (Clients and hiring managers feed no derived table: nothing to count.) A removed hiring
    manager's jobs keep no hiring manager."""
    managers = list(hiring_managers)
    errors: dict[str, list[ValidationError]] = {}
    _collect(errors, "", client.full_clean)
    for position, manager in enumerate(managers):
        # The client is checked above; a new one has no id to check the manager against yet.
        _collect(errors, f"hiring_managers.{position}.", partial(manager.full_clean, exclude=["client"]))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        client.save()
        for manager in removed_managers:
            if manager.pk is not None and manager.client_id == client.pk:
                manager.delete()
        for manager in managers:
            manager.client = client
            manager.save()
    return client


def save_hiring_manager(manager: HiringManager) -> HiringManager:
    manager.full_clean()
    with transaction.atomic():
        manager.save()
    return manager


# --- Candidates ------------------------------------------------------------------------------------

NEEDS_EMAIL_OR_PHONE = "Give an e-mail address or a phone number, so that the candidate can be told apart and reached."


def phone_digits(phone: str) -> str:
    """A phone number as its digits alone: '+49 (30) 123-45' and '+4930 12345' are the same number."""
    return re.sub(r"\D", "", phone or "")


def duplicates_of(*, name: str, email: str = "", phone: str = "", exclude_id: int | None = None,
                  limit: int = 5) -> list[Candidate]:
    """Candidates already recorded as the same person: the same e-mail address (in any case), or the
    same name (in any case) with the same phone number (its digits alone). At most two queries: the
    e-mail and the name are read through their lower-case indexes (candidate_email_unique,
    candidate_name_lower): LOWER(x) = value, which `iexact` (LIKE on SQLite) would not use."""
    found: list[Candidate] = []
    email = (email or "").strip().lower()
    others = Candidate.objects.exclude(pk=exclude_id) if exclude_id is not None else Candidate.objects.all()
    if email:
        # `exclude(email="")` is the unique index's condition: without it the partial index is not used.
        found += list(others.exclude(email="").alias(lower_email=Lower("email")).filter(lower_email=email)[:limit])
    digits = phone_digits(phone)
    if name.strip() and len(digits) >= 4:
        same_name = (others.alias(lower_name=Lower("name")).filter(lower_name=name.strip().lower())
                     .exclude(phone="").exclude(pk__in=[c.pk for c in found]))
        found += [c for c in same_name.only("id", "name", "email", "phone", "current_title", "current_employer")[:50]
                  if phone_digits(c.phone) == digits]
    return found[:limit]


class DuplicateCandidate(Refused):
    """A new candidate who is already recorded: `matches` are the candidates to use instead."""

    matches: list[Candidate]

    def __init__(self, field_name: str, matches: list[Candidate], *, email: str) -> None:
        first = matches[0]
        how = "this e-mail address" if email and first.email == email else "this name and phone number"
        super().__init__(field_name, (
            f"{first.name} is already a candidate with {how}: use the existing record rather than a second one."
        ), DUPLICATE)
        self.matches = matches


def save_candidate(candidate: Candidate, *, at: datetime, sent: Iterable[str] | None = None) -> Candidate:
    """Create or correct a candidate after checking every rule on them. A legal basis is dated when it is
    given (at `at`, unless a date is given) with its default renewal day, and forgotten when consent is
    withdrawn; the legacy consent fields follow it (consent.reconcile). `sent`: the fields the API's body
    sent, so that the body's own contradiction is bad input (consent.check_body) and, in a correction, a rule
    broken by what the record holds is a conflict (consent.conflicts_of_patch).

    An objection, given or withdrawn, is counted as a change on the candidate's applications: what is due
    for them (their risk snapshots' ranking) no longer holds."""
    stored = (Candidate.objects.filter(pk=candidate.pk).values(*consent.STORED_FIELDS).first()
              if candidate.pk is not None else None)
    if sent is not None:
        consent.check_body(candidate, sent)
    consent.reconcile(candidate, stored, at)
    if sent is not None and stored is not None:
        consent.conflicts_of_patch(candidate, sent)
    candidate.full_clean()
    with transaction.atomic():
        candidate.save()
        if stored is not None and stored["objected_at"] != candidate.objected_at:
            changes.count_change(candidate_ids=[candidate.pk])
    return candidate


def check_new_candidate(candidate: Candidate, *, field_name: str = NON_FIELD) -> None:
    """What a candidate added by hand must be: reachable (an e-mail address or a phone number) and not
    someone already recorded (DuplicateCandidate, naming them, on `field_name`)."""
    candidate.email = (candidate.email or "").strip().lower()
    if not candidate.email and not phone_digits(candidate.phone):
        raise Refused("email", NEEDS_EMAIL_OR_PHONE, MISSING)
    matches = duplicates_of(name=candidate.name, email=candidate.email, phone=candidate.phone)
    if matches:
        raise DuplicateCandidate(field_name, matches, email=candidate.email)


def add_candidate(candidate: Candidate, *, at: datetime) -> Candidate:
    """A new candidate added by hand (check_new_candidate), then saved as every candidate is."""
    check_new_candidate(candidate)
    return save_candidate(candidate, at=at)


# --- Finding a record to pick ---------------------------------------------------------------------

# How many records a search for picking returns: enough to choose from, few enough to read.
PICK_LIMIT = 10
# A search starts at two characters: one would match most of the organisation.
PICK_MIN_CHARS = 2


def find_candidates(query: str, *, team_id: int | None, limit: int = PICK_LIMIT) -> list[Candidate]:
    """Candidates whose name, e-mail address or phone number contains `query`, those in the team's
    pipeline first, then by name: one query, at most `limit` rows."""
    query = query.strip()
    if len(query) < PICK_MIN_CHARS:
        return []
    match = Q(name__icontains=query) | Q(email__icontains=query)
    if len(phone_digits(query)) >= 4:
        match |= Q(phone__icontains=query)
    found = Candidate.objects.filter(match)
    if team_id is not None:
        ours = Application.objects.filter(candidate_id=OuterRef("pk"), recruiter__team_id=team_id)
        found = found.annotate(in_team=Exists(ours)).order_by("-in_team", "name", "id")
    else:
        found = found.order_by("name", "id")
    return list(found.only("id", "name", "email", "phone", "current_title", "current_employer")[:limit])


def find_jobs(query: str, *, limit: int = PICK_LIMIT) -> list[Job]:
    """Open jobs whose title or client's name contains `query`, by client and title: one query."""
    query = query.strip()
    if len(query) < PICK_MIN_CHARS:
        return []
    found = (Job.objects.filter(status=JobStatus.OPEN)
             .filter(Q(title__icontains=query) | Q(client__name__icontains=query))
             .select_related("client").only("id", "title", "location", "client__name")
             .order_by("client__name", "title", "id"))
    return list(found[:limit])


# Where a new application may start (services.open_application): a stage of the process, not on hold.
STARTING_STAGES: tuple[Stage, ...] = stages.PROCESS


# --- Who owns an application -----------------------------------------------------------------------


def assignable_recruiters(user: User) -> QuerySet[User]:
    """Whom `user` may give an application to: themselves and the active recruiters and admins of their
    team; an admin, every active recruiter and admin."""
    owners = User.objects.filter(is_active=True).filter(Q(role=Role.RECRUITER) | Q(is_superuser=True))
    if not user.is_admin:
        owners = owners.filter(Q(team_id=user.team_id) if user.team_id else Q(pk=user.pk)) | User.objects.filter(
            pk=user.pk)
    return owners.order_by("first_name", "last_name", "email")


def recruiter_for(user: User, recruiter_id: int, *, field_name: str = "recruiter") -> User:
    """The recruiter `user` gives an application to: an active recruiter or admin (else bad input on
    `field_name`), of the user's own team unless the user is an admin (else PermissionDenied)."""
    if not (user.is_admin or user.role == Role.RECRUITER):
        raise PermissionDenied("Viewers read only.")
    recruiter = User.objects.filter(pk=recruiter_id, is_active=True).first()
    if recruiter is None or recruiter.role != Role.RECRUITER and not recruiter.is_admin:
        raise Refused(field_name, f"No active recruiter or admin with id {recruiter_id}.", NOT_FOUND)
    if recruiter.pk != user.pk and not can_change_team(user, recruiter.team_id):
        raise PermissionDenied("You may hand applications only to recruiters of your own team.")
    return recruiter


def hand_over(application: Application, recruiter: User) -> Application:
    """Give the application to another recruiter (chosen with recruiter_for). Counted as a change: its
    risk is read with the cadence of the new recruiter's team."""
    application.recruiter = recruiter
    return services.change_application(application, ["recruiter"])


# --- A new application with the records it needs ---------------------------------------------------

STAGE_DATE_AHEAD = "The application got to this stage today at the latest: give a date that is not ahead."


# What a new record left blank needs, in words (the models say only "This field cannot be blank.").
NAMES_NEEDED = {
    "candidate.name": "Give the new candidate's name, or choose a recorded candidate.",
    "job.title": "Give the new job's title, or choose a recorded job.",
    "client.name": "Give the new client's name, or choose a recorded client.",
}


class NewApplicationRefused(ValidationError):
    """The refusals of a new application, by field; `duplicates` are the candidates already recorded
    that the new one would repeat (offered instead of created), when there are any."""

    duplicates: list[Candidate]

    def __init__(self, errors: dict[str, list[ValidationError]], duplicates: list[Candidate]) -> None:
        super().__init__(errors)
        self.duplicates = duplicates


@dataclass
class NewApplication:
    """What the one-page form gathers. `candidate` and `job` are either recorded ones or new, unsaved
    ones; a new job's `client` may be new too, and its hiring manager (`job.hiring_manager`) new."""

    candidate: Candidate
    job: Job
    recruiter: User
    stage: str
    at: datetime  # when the application got to `stage`
    new_client: Client | None = None
    new_hiring_manager: HiringManager | None = None


def open_new_application(new: NewApplication, *, by: User, now: datetime) -> Application:
    """Write the new records (client, hiring manager, job, candidate) and open the application, all or
    nothing. Every refusal names its field by the record it is about: `candidate.email`,
    `job.title`, `client.name`, `hiring_manager.name`, or `stage`, `at`; all of them at once, in a
    NewApplicationRefused. A candidate already recorded is never created twice: refused on
    `candidate` (code duplicate), with the candidates to use instead."""
    if not can_edit_shared_records(by):
        raise PermissionDenied("Viewers read only; recruiters and admins add candidates, jobs and clients.")
    errors: dict[str, list[ValidationError]] = {}
    if new.at > now:
        errors["at"] = [ValidationError(STAGE_DATE_AHEAD, code=OUT_OF_RANGE)]
    _collect(errors, "", lambda: limits.check_years("at", new.at))
    duplicate: DuplicateCandidate | None = None
    if new.candidate.pk is None:
        try:
            check_new_candidate(new.candidate, field_name="candidate")
        except DuplicateCandidate as refused:
            duplicate = refused
        except ValidationError as refused:
            _merge(errors, "candidate.", refused)
        _collect(errors, "candidate.", new.candidate.full_clean)
    if new.new_client is not None:
        client = new.new_client
        if Client.objects.filter(name__iexact=client.name.strip()).exists():
            errors["client.name"] = [ValidationError(
                f"{client.name.strip()} is already a client: choose it from the list.", code=DUPLICATE)]
        else:
            _collect(errors, "client.", client.full_clean)
    if new.new_hiring_manager is not None:
        _collect(errors, "hiring_manager.", partial(new.new_hiring_manager.full_clean, exclude=["client"]))
    if new.job.pk is None:
        _collect(errors, "job.", partial(new.job.full_clean, exclude=["client", "hiring_manager"]))
    for name, needed in NAMES_NEEDED.items():
        if any(error.code == "blank" for error in errors.get(name, [])):
            errors[name] = [ValidationError(needed, code=MISSING)]
    if duplicate is not None:
        _merge(errors, "", duplicate)
    if errors:
        raise NewApplicationRefused(errors, duplicate.matches if duplicate is not None else [])
    with transaction.atomic():
        if new.new_client is not None:
            new.new_client.save()
            new.job.client = new.new_client
        if new.new_hiring_manager is not None:
            new.new_hiring_manager.client = new.job.client
            new.new_hiring_manager.save()
            new.job.hiring_manager = new.new_hiring_manager
        with _prefixed("job."):
            if new.job.pk is None:
                services.save_job(new.job)
        with _prefixed("candidate."):
            if new.candidate.pk is None:
                save_candidate(new.candidate, at=now)
        return services.open_application(candidate=new.candidate, job=new.job, recruiter=new.recruiter, by=by,
                                         at=new.at, stage=new.stage)


def _collect(errors: dict[str, list[ValidationError]], prefix: str, check: Callable[[], object]) -> None:
    try:
        check()
    except ValidationError as refused:
        _merge(errors, prefix, refused)


def _merge(errors: dict[str, list[ValidationError]], prefix: str, refused: ValidationError) -> None:
    if not hasattr(refused, "error_dict"):
        errors.setdefault(NON_FIELD, []).extend(refused.error_list)
        return
    for name, items in refused.error_dict.items():
        key = NON_FIELD if name == NON_FIELD and not prefix else f"{prefix}{name}"
        errors.setdefault(key, []).extend(items)


@contextmanager
def _prefixed(prefix: str) -> Iterator[None]:
    """Refusals raised inside named by the record they are about (`job.` + the model's field)."""
    try:
        yield
    except ValidationError as refused:
        if not hasattr(refused, "error_dict"):
            raise
        errors: dict[str, list[ValidationError]] = {}
        _merge(errors, prefix, refused)
        raise ValidationError(errors) from None
