"""The insights' JSON in the API: exactly `Insights.as_dict()`, described for the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from ninja import Schema
from pydantic import Field

from homestretch.lib.api_fields import Currency, Day, Id, Moment
from homestretch.pipeline.choices import CandidateSource, Seniority


class InsightsQuery(Schema):
    date_from: Day | None = Field(None, alias="from", description="First day of the period (by the first offer "
                                  "extension), YYYY-MM-DD; a year before `to` when left out.")
    date_to: Day | None = Field(None, alias="to", description="Last day of the period, YYYY-MM-DD; today when left "
                                "out.")
    team: Id | Literal["all"] | None = Field(None, description="A team's id, or `all` for the whole organisation; "
                                             "a recruiter's own team when left out.")
    recruiter: Id | None = Field(None, description="One recruiter's id.")
    client: Id | None = Field(None, description="One client's id.")
    seniority: Seniority | None = Field(None, description="The job's seniority.")
    source: CandidateSource | None = Field(None, description="Where the candidate came from.")
    currency: Currency | None = Field(None, description="The job's currency, ISO 4217.")
    at: Moment | None = Field(None, description="What counts as now (whose start dates have passed, the default "
                              "period), ISO 8601; the clock when left out.")


class RateOut(Schema):
    value: float | None = Field(description="0 to 1; null when n is 0.")
    low: float | None = Field(description="Lower end of the 95 % Wilson interval.")
    high: float | None = Field(description="Upper end of the 95 % Wilson interval.")
    n: int = Field(description="How many it is a share of.")


class TimeToAnswerOut(Schema):
    median: float | None
    p90: float | None
    n: int


class ReasonRowOut(Schema):
    reason: str
    label: str
    declined: int
    reneged: int
    n: int
    share: float | None


class CompetitorOut(Schema):
    company: str
    n: int
    confidential: int = Field(description="How many of n were named to us in confidence.")


class BandOut(Schema):
    band: str
    label: str
    n: int
    lost: int
    loss_rate: float | None
    low: float | None
    high: float | None


class CounteroffersOut(Schema):
    recorded: int
    share: float | None
    with_counteroffer: BandOut
    without_counteroffer: BandOut


class FindingsOut(Schema):
    cadence_adherence: str
    competition_asked: str
    not_measured: int
    caveat: str


class MonthOut(Schema):
    month: str
    offers_extended: int
    acceptance_rate: RateOut
    renege_rate: RateOut
    time_to_answer_days: TimeToAnswerOut
    cadence_adherence: float | None = Field(description="Mean share of days within cadence.")


class PeriodOut(Schema):
    from_: str = Field(alias="from")
    to: str


class InsightsOut(Schema):
    period: PeriodOut
    offers_extended: int
    acceptance_rate: RateOut
    renege_rate: RateOut
    time_to_answer_days: TimeToAnswerOut
    reasons: list[ReasonRowOut]
    competitors_won: list[CompetitorOut]
    counteroffers: CounteroffersOut
    cadence_adherence: list[BandOut]
    competition_asked: list[BandOut]
    findings: FindingsOut
    by_month: list[MonthOut]
