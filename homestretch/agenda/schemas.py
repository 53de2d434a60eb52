"""The agenda's JSON in the API: exactly `AgendaItem.as_dict()`, described for the OpenAPI document."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from homestretch.lib.api_fields import Day, Id, Moment
from homestretch.risk.schemas import ActionOut, ReasonOut


class DueOut(Schema):
    code: str
    reason: str
    since: str = Field(description="ISO 8601 date")
    overdue_days: int


class AgendaRiskOut(Schema):
    probability: float | None
    score: int | None
    band: str | None
    reasons: list[ReasonOut]
    missing: list[str]


class AgendaItemOut(Schema):
    application_id: int
    candidate: str
    job: str
    client: str
    stage: str
    recruiter: str
    due: DueOut
    also_due: list[DueOut]
    risk: AgendaRiskOut | None
    actions: list[ActionOut]


class AgendaQuery(Schema):
    recruiter: Id | None = Field(None, description="A recruiter's id; everyone when left out.")
    team: Id | None = Field(None, description="A team's id instead of one recruiter.")
    on: Day | None = Field(None, description="The day, YYYY-MM-DD; today when left out.")
    at: Moment | None = Field(None, description="What counts as now (to replay a day), ISO 8601; the clock "
                              "when left out.")


class RenewalOut(Schema):
    candidate_id: int
    candidate: str
    legal_basis: str = Field(description="Its label: Consent or Legitimate interest.")
    renew_by: str = Field(description="ISO 8601 date")
    days_left: int = Field(description="Negative when overdue.")
    overdue: bool
    when: str = Field(description="In words: 'due in 5 days (2026-12-01)', 'overdue by 3 days (…)'.")


class RenewalsOut(Schema):
    total: int = Field(description="How many are due in all; `items` holds the soonest `limit`.")
    items: list[RenewalOut]


class RenewalsQuery(Schema):
    recruiter: Id | None = Field(None, description="A recruiter's id: candidates with an application of theirs; "
                                 "everyone's when left out.")
    team: Id | None = Field(None, description="A team's id instead of one recruiter.")
    on: Day | None = Field(None, description="The day, YYYY-MM-DD; today when left out.")
    limit: int = Field(50, ge=1, le=500, description="Items, 1 to 500.")
