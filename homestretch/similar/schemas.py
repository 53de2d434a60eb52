"""The similar past searches' JSON in the API: exactly `SimilarJob.as_dict()`, described for the OpenAPI document."""

from __future__ import annotations

from datetime import date

from ninja import Schema
from pydantic import Field

from .services import DEFAULT_LIMIT, MAX_LIMIT


class SimilarQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"How many similar jobs, 1 to {MAX_LIMIT}.")


class OutcomesOut(Schema):
    applications: int
    started: int = Field(description="Hired: the candidate started.")
    declined: int
    reneged: int
    withdrawn: int
    rejected: int
    open: int = Field(description="Applications of the job still open.")


class ReasonCountOut(Schema):
    code: str = Field(description="The loss reason's code, e.g. competing_offer.")
    label: str
    n: int = Field(description="Applications lost for this reason.")


class PaySeenOut(Schema):
    currency: str
    period: str
    n: int
    min: str = Field(description="A decimal string with two places, e.g. \"90000.00\".")
    median: str
    max: str


class PaySeenByKindOut(Schema):
    our_offers: list[PaySeenOut] = Field(description="The latest revision of each of our offers, by currency and "
                                                     "period (amounts in different currencies are never mixed).")
    competing_offers: list[PaySeenOut] = Field(description="Competing offers of the job's candidates learned "
                                                           "during their applications.")


class WinnerOut(Schema):
    company: str
    wins: int = Field(description="Applications lost to this company's offer.")
    counteroffer: bool = Field(description="A counteroffer from the candidate's current employer.")
    confidential: bool = Field(description="Known only from competing offers told in confidence: never for a client.")


class LessonOut(Schema):
    text: str
    application_id: int | None = Field(description="The application's lessons; null for the job's own note.")


class SimilarJobOut(Schema):
    job_id: int
    score: float = Field(description="Similarity from 0 to 1: the weighted share of title, skills, seniority and "
                                     "location that is alike.")
    client: str
    title: str
    seniority: str
    location: str
    status: str = Field(description="filled or closed.")
    closed_on: date | None
    outcomes: OutcomesOut
    decline_reasons: list[ReasonCountOut]
    pay_seen: PaySeenByKindOut
    competitors_won: list[WinnerOut]
    lessons: list[LessonOut]
