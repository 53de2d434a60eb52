"""Request and response schemas of the pipeline's API: clients, jobs, candidates, applications,
stage moves and touchpoints. Field names are the models' and stay stable for clients."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from homestretch.lib.api import PageQuery
from homestretch.lib.api_fields import (
    WHITESPACE_ONLY,
    Amount,
    Currency,
    Day,
    Email,
    Flag,
    Id,
    Level,
    LongText,
    Moment,
    MoneyOut,
    RefId,
    RemoteDays,
    Text40,
    Text100,
    Text200,
    Text254,
    Text500,
    WebAddress,
    YearsOfExperience,
    amounts_need_currency,
    any_of,
    has_text,
    is_one_of,
    is_set,
    is_true,
    not_null,
    rules,
    when,
)
from homestretch.lib.money import Period

from .choices import (
    BasisObtainedHow,
    CandidateSource,
    Channel,
    ClientSize,
    CompetitionAnswer,
    Direction,
    JobStatus,
    LegalBasis,
    LossReason,
    RemotePolicy,
    Seniority,
    Stage,
)
from .stages import CANDIDATE_LOSSES, CLOSED, LOSSES, PROCESS

# --- Clients


class ClientOut(Schema):
    id: int
    name: str
    industry: str
    size: str
    website: str
    notes: str
    created_at: datetime


class ClientIn(Schema):
    name: Text200 = Field(min_length=1)
    industry: Text100 = ""
    size: ClientSize | Literal[""] = ""
    website: WebAddress = ""
    notes: LongText = ""


class ClientPatch(Schema):
    name: Text200 | None = Field(None, min_length=1, json_schema_extra=not_null)
    industry: Text100 | None = None
    size: ClientSize | Literal[""] | None = None
    website: WebAddress | None = None
    notes: LongText | None = None


class ClientFilters(PageQuery):
    q: Text200 | None = Field(None, description="Part of the name.")
    ordering: Literal["name", "-name", "created_at", "-created_at"] = "name"


# --- Jobs


class JobOut(Schema):
    id: int
    client_id: int
    hiring_manager_id: int | None
    title: str
    seniority: str
    skills: str
    location: str
    base_min: MoneyOut | None
    base_max: MoneyOut | None
    currency: str
    period: str
    remote_policy: str
    remote_days: int | None
    perks: str
    status: str
    opened_on: date | None
    closed_on: date | None
    lessons: str
    created_at: datetime
    updated_at: datetime


class JobIn(Schema):
    client_id: RefId
    hiring_manager_id: RefId | None = None
    title: Text200 = Field(min_length=1)
    seniority: Seniority = Seniority.MID
    skills: Text500 = ""
    location: Text200 = ""
    base_min: Amount | None = Field(None, description="At most `base_max` (422 otherwise).")
    base_max: Amount | None = None
    currency: Currency = "EUR"
    period: Period = Period.YEAR
    remote_policy: RemotePolicy = RemotePolicy.HYBRID
    remote_days: RemoteDays | None = None
    perks: LongText = ""
    status: JobStatus = JobStatus.OPEN
    opened_on: Day | None = None
    closed_on: Day | None = None
    lessons: LongText = ""


class JobPatch(Schema):
    client_id: RefId | None = Field(None, json_schema_extra=not_null)
    hiring_manager_id: RefId | None = None
    title: Text200 | None = Field(None, min_length=1, json_schema_extra=not_null)
    seniority: Seniority | None = Field(None, json_schema_extra=not_null)
    skills: Text500 | None = None
    location: Text200 | None = None
    base_min: Amount | None = Field(None, description=(
        "At most `base_max` (422 otherwise); sent alone, at most the job's own `base_max` (409 otherwise)."))
    base_max: Amount | None = Field(None, description="Sent alone, at least the job's own `base_min` (409 otherwise).")
    currency: Currency | None = Field(None, json_schema_extra=not_null)
    period: Period | None = Field(None, json_schema_extra=not_null)
    remote_policy: RemotePolicy | None = Field(None, json_schema_extra=not_null)
    remote_days: RemoteDays | None = None
    perks: LongText | None = None
    status: JobStatus | None = Field(None, json_schema_extra=not_null)
    opened_on: Day | None = None
    closed_on: Day | None = None
    lessons: LongText | None = None


class JobFilters(PageQuery):
    client_id: Id | None = None
    status: JobStatus | None = None
    q: Text200 | None = Field(None, description="Part of the title.")
    ordering: Literal["title", "-title", "created_at", "-created_at", "updated_at", "-updated_at"] = "title"


# --- Candidates


class CandidateOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    location: str
    current_employer: str
    current_title: str
    current_base: MoneyOut | None
    current_currency: str
    current_period: str
    skills: str
    years_experience: int | None
    source: str
    notes: str
    consent_to_contact: bool
    consent_given_at: datetime | None
    legal_basis: str
    basis_obtained_at: datetime | None
    basis_obtained_how: str
    basis_renew_by: date | None
    objected_at: datetime | None
    objection_note: str
    created_at: datetime
    updated_at: datetime


# The legal basis and the objection (pipeline/consent.py): the rules one body can break, stated in the
# document. A basis renewed on or before the day it was obtained compares two fields: fuzz_hooks.py knows it.
_BASIS_PARTICULARS = ("basis_obtained_at", "basis_obtained_how", "basis_renew_by")
_A_BASIS = sorted(LegalBasis.values)


def _basis_rules(*, patch: bool) -> list[dict]:
    consent_agrees = [
        when({"required": ["legal_basis", "consent_to_contact"],
              "properties": {"legal_basis": {"const": LegalBasis.CONSENT.value}}},
             {"properties": {"consent_to_contact": {"const": True}}}),
        when({"required": ["legal_basis", "consent_to_contact"],
              "properties": {"legal_basis": {"const": LegalBasis.LEGITIMATE_INTEREST.value}}},
             {"properties": {"consent_to_contact": {"const": False}}}),
    ]
    unset = {"anyOf": [{"type": "null"}, {"const": ""}]}
    if patch:
        return [
            *consent_agrees,
            # A basis cleared takes its particulars with it; a body that clears it and sends them contradicts itself.
            when({"required": ["legal_basis"], "properties": {"legal_basis": {"const": ""}}},
                 {"properties": {name: unset for name in _BASIS_PARTICULARS}}),
            when({"required": ["objected_at"], "properties": {"objected_at": {"type": "null"}}},
                 {"properties": {"objection_note": unset}}),
        ]
    return [
        *consent_agrees,
        when(any_of(*(is_set(name) for name in _BASIS_PARTICULARS)),
             any_of(is_one_of("legal_basis", _A_BASIS), is_true("consent_to_contact"))),
        when(is_set("objection_note"), is_set("objected_at")),
    ]


_BASIS = ("Why we may hold the candidate's data: consent or legitimate_interest (\"\": none "
                           "recorded). consent_to_contact follows it: true exactly when the basis is consent.")
_OBTAINED_AT = ("When the basis was obtained; the moment of the write when a basis is given "
                                 "without it.")
_RENEW_BY = ("The day the basis must be renewed by, after the day it was obtained; by default "
                              "24 months after for consent, 12 for legitimate interest.")
_OBJECTED_AT = ("When the candidate objected: excluded from digests, the calendar feed and "
                                 "outreach actions. null withdraws the objection (and its note).")


class CandidateIn(Schema):
    model_config = ConfigDict(json_schema_extra=rules(
        amounts_need_currency(("current_base",), "current_currency"), *_basis_rules(patch=False),
    ))

    name: Text200 = Field(min_length=1)
    email: Email = ""
    phone: Text40 = ""
    location: Text200 = ""
    current_employer: Text200 = ""
    current_title: Text200 = ""
    current_base: Amount | None = None
    current_currency: Currency | Literal[""] = ""
    current_period: Period = Period.YEAR
    skills: Text500 = ""
    years_experience: YearsOfExperience | None = None
    source: CandidateSource | Literal[""] = ""
    notes: LongText = ""
    consent_to_contact: Flag = False
    consent_given_at: Moment | None = None
    legal_basis: LegalBasis | Literal[""] = Field("", description=_BASIS)
    basis_obtained_at: Moment | None = Field(None, description=_OBTAINED_AT)
    basis_obtained_how: BasisObtainedHow | Literal[""] = ""
    basis_renew_by: Day | None = Field(None, description=_RENEW_BY)
    objected_at: Moment | None = Field(None, description=_OBJECTED_AT)
    objection_note: LongText = ""


class CandidatePatch(Schema):
    model_config = ConfigDict(json_schema_extra=rules(
        amounts_need_currency(("current_base",), "current_currency", patch=True), *_basis_rules(patch=True),
    ))

    name: Text200 | None = Field(None, min_length=1, json_schema_extra=not_null)
    email: Email | None = None
    phone: Text40 | None = None
    location: Text200 | None = None
    current_employer: Text200 | None = None
    current_title: Text200 | None = None
    current_base: Amount | None = None
    current_currency: Currency | Literal[""] | None = None
    current_period: Period | None = Field(None, json_schema_extra=not_null)
    skills: Text500 | None = None
    years_experience: YearsOfExperience | None = None
    source: CandidateSource | Literal[""] | None = None
    notes: LongText | None = None
    consent_to_contact: Flag | None = Field(None, json_schema_extra=not_null)
    consent_given_at: Moment | None = None
    legal_basis: LegalBasis | Literal[""] | None = Field(None, json_schema_extra=not_null,
                                                         description=_BASIS)
    basis_obtained_at: Moment | None = Field(None, description=_OBTAINED_AT)
    basis_obtained_how: BasisObtainedHow | Literal[""] | None = None
    basis_renew_by: Day | None = Field(None, description=_RENEW_BY)
    objected_at: Moment | None = Field(None, description=_OBJECTED_AT)
    objection_note: LongText | None = None


class CandidateFilters(PageQuery):
    q: Text200 | None = Field(None, description="Part of the name.")
    email: Text254 | None = Field(None, description="The exact e-mail address, any case.")
    ordering: Literal["name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"] = "name"


# --- Applications


class ApplicationOut(Schema):
    id: int
    candidate_id: int
    job_id: int
    recruiter_id: int
    stage: str
    stage_entered_at: datetime
    stage_before_hold: str
    outcome: str
    accepted_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    lessons: str


class ApplicationIn(Schema):
    candidate_id: RefId
    job_id: RefId
    # Any stage of the process (the service refuses the others, on this field): on hold or closed is a move.
    stage: Stage = Field(Stage.SOURCED, json_schema_extra={"enum": [str(stage) for stage in PROCESS]})
    recruiter_id: RefId | None = Field(None, description="The recruiter who owns it; the caller when left out.")
    created_at: Moment | None = Field(None, description="When it was opened; now when left out.")
    # Lessons are what a closed application taught, and a new one is in the process: blank (422 otherwise).
    lessons: LongText = Field("", json_schema_extra={"pattern": WHITESPACE_ONLY},
                              description="Blank: lessons are noted when the application closes.")


class ApplicationPatch(Schema):
    recruiter_id: RefId | None = Field(None, description="Hand the application to another recruiter.")
    lessons: LongText | None = None


class ApplicationFilters(PageQuery):
    stage: Stage | None = None
    recruiter_id: Id | None = None
    job_id: Id | None = None
    candidate_id: Id | None = None
    is_open: bool | None = Field(None, description="true: open applications only; false: closed only.")
    ordering: Literal[
        "created_at", "-created_at", "stage_entered_at", "-stage_entered_at", "updated_at", "-updated_at",
    ] = "-created_at"


class StageMoveIn(Schema):
    # The rules of a move that its body alone decides (pipeline/stages.py and services.move_stage say them
    # again, with their words); whether the stage the application is at allows the move is a 409.
    model_config = ConfigDict(json_schema_extra=rules(
        when(is_one_of("stage", LOSSES | {Stage.STARTED}), has_text("reason")),
        when(is_true("reopen"), has_text("reason")),
        when(is_one_of("stage", CANDIDATE_LOSSES), is_set("loss_reason")),
        when(is_set("loss_reason"), is_one_of("stage", LOSSES)),
        when(has_text("lessons"), is_one_of("stage", CLOSED)),
    ))

    stage: Stage
    reason: LongText = ""
    loss_reason: LossReason | Literal[""] = ""
    reopen: Flag = Field(False, description="Reopen a closed application (admins only).")
    at: Moment | None = Field(None, description="When it happened; now when left out.")
    lessons: LongText = Field("", description="Lessons for the next similar search; only on a move that closes "
                                              "the application, appended to any lessons already noted.")


class JobCloseIn(Schema):
    status: Literal["filled", "closed"] = Field(description="Filled (someone accepted or started) or closed.")
    lessons: LongText = Field("", description="Lessons for the next similar search, appended to any already noted.")
    at: Moment | None = Field(None, description="When it closed; now when left out.")


class StageChangeOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    at: datetime
    by_id: int | None
    reason: str
    loss_reason: str


# --- Touchpoints


class TouchpointOut(Schema):
    id: int
    candidate_id: int
    application_id: int | None
    recruiter_id: int | None
    at: datetime
    channel: str
    direction: str
    notes: str
    interest: int | None
    competition_asked: bool
    competition_answer: str
    status_update_given: bool
    created_at: datetime


class TouchpointIn(Schema):
    # The answer about the competition is given when, and only when, the question was asked.
    model_config = ConfigDict(json_schema_extra=rules(
        when(is_true("competition_asked"), is_set("competition_answer")),
        when(is_set("competition_answer"), is_true("competition_asked")),
    ))

    at: Moment | None = Field(None, description="When it happened; now when left out.")
    channel: Channel
    direction: Direction
    notes: LongText = ""
    interest: Level | None = None
    competition_asked: Flag = False
    competition_answer: CompetitionAnswer | Literal[""] = ""
    status_update_given: Flag = False
