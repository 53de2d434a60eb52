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


class RateOut(Schema):
    from_currency: str
    to_currency: str
    rate: str = Field(description="Units of to_currency per unit of from_currency, a decimal string.")
    rate_date: date = Field(description="The day the admin's rate holds from.")
    source: str
    inverse: bool = Field(description="The table states the opposite pair; its inverse is used.")
    stated: str = Field(description="The rate as stated, e.g. \"1 USD = 0.92 EUR (rate of 2026-01-02, ECB)\".")


class ConvertedOut(Schema):
    currency: str = Field(description="The searched job's currency.")
    min: str
    median: str
    max: str
    rate: RateOut


class PaySeenOut(Schema):
    currency: str
    period: str
    n: int
    min: str = Field(description="A decimal string with two places, e.g. \"90000.00\".")
    median: str
    max: str
    converted: ConvertedOut | None = Field(description="In another currency than the searched job's: the same amounts "
                                                       "in the job's currency at the admin's stated, dated rate; null "
                                                       "when in the job's currency or when no rate applies.")
    not_converted_because: str = Field(description="Why an amount in another currency was not converted; empty "
                                                   "otherwise.")


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
