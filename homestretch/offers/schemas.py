"""Request and response schemas of the offers API: our offers, competing offers, priorities."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from homestretch.lib.api_fields import (
    Amount,
    Currency,
    Day,
    Flag,
    Level,
    LongText,
    Moment,
    MoneyOut,
    NoticeDays,
    PositiveAmount,
    RefId,
    RemoteDays,
    Text200,
    amounts_need_currency,
    not_null,
    rules,
)
from homestretch.lib.money import Period
from homestretch.pipeline.choices import LossReason, RemotePolicy

from .choices import CompetingKind, CompetingStage, OfferStatus, RemotePreference

NEW_OFFER_STATUSES = Literal["draft", "approved", "extended"]


class OfferOut(Schema):
    id: int
    application_id: int
    revision: int
    status: str
    base: MoneyOut
    bonus: MoneyOut | None
    equity: MoneyOut | None
    currency: str
    period: str
    remote_policy: str
    remote_days: int | None
    start_date: date | None
    sent_at: datetime | None
    expires_on: date | None
    responded_at: datetime | None
    decline_reason: str
    won_by: str
    notes: str
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


class OfferIn(Schema):
    """A new offer; while another is open it is recorded as a revision that supersedes it."""

    base: PositiveAmount
    bonus: Amount | None = None
    equity: Amount | None = None
    currency: Currency = "EUR"
    period: Period = Period.YEAR
    remote_policy: RemotePolicy = RemotePolicy.HYBRID
    remote_days: RemoteDays | None = None
    start_date: Day | None = None
    expires_on: Day | None = None
    status: NEW_OFFER_STATUSES = "draft"
    notes: LongText = ""
    at: Moment | None = Field(None, description="When it was made; now when left out.")


class OfferStatusIn(Schema):
    status: OfferStatus
    decline_reason: LossReason | Literal[""] = ""
    won_by: Text200 = ""
    note: LongText = ""
    at: Moment | None = Field(None, description="When it happened; now when left out.")


class CompetingOfferOut(Schema):
    id: int
    candidate_id: int
    kind: str
    company: str
    role: str
    stage: str
    base: MoneyOut | None
    bonus: MoneyOut | None
    equity: MoneyOut | None
    currency: str
    period: str
    remote_policy: str
    remote_days: int | None
    deadline: date | None
    learned_at: datetime
    learned_in_id: int | None
    confidential: bool
    notes: str
    recorded_by_id: int | None
    recorded_by_team_id: int | None = Field(description="The team that recorded it: only that team or an admin "
                                                        "may change or delete it; null when not known.")
    created_at: datetime
    updated_at: datetime


class CompetingOfferIn(Schema):
    model_config = ConfigDict(json_schema_extra=rules(amounts_need_currency(("base", "bonus", "equity"), "currency")))

    company: Text200 = Field(min_length=1)
    kind: CompetingKind = CompetingKind.EXTERNAL
    role: Text200 = ""
    stage: CompetingStage = CompetingStage.INTERVIEWING
    base: Amount | None = None
    bonus: Amount | None = Field(None, description="null when not known, 0 when there is none; a total is "
                                                    "compared with ours only when bonus and equity are known.")
    equity: Amount | None = Field(None, description="Yearly value; null when not known, 0 when there is none.")
    currency: Currency | Literal[""] = ""
    period: Period = Period.YEAR
    remote_policy: RemotePolicy | Literal[""] = ""
    remote_days: RemoteDays | None = None
    deadline: Day | None = None
    learned_at: Moment | None = Field(None, description="When we learned of it; now when left out.")
    learned_in_id: RefId | None = Field(None, description="The touchpoint in which we learned of it.")
    confidential: Flag = False
    notes: LongText = ""


class CompetingOfferPatch(Schema):
    model_config = ConfigDict(json_schema_extra=rules(
        amounts_need_currency(("base", "bonus", "equity"), "currency", patch=True),
    ))

    company: Text200 | None = Field(None, min_length=1, json_schema_extra=not_null)
    kind: CompetingKind | None = Field(None, json_schema_extra=not_null)
    role: Text200 | None = None
    stage: CompetingStage | None = Field(None, json_schema_extra=not_null)
    base: Amount | None = None
    bonus: Amount | None = None
    equity: Amount | None = None
    currency: Currency | Literal[""] | None = None
    period: Period | None = Field(None, json_schema_extra=not_null)
    remote_policy: RemotePolicy | Literal[""] | None = None
    remote_days: RemoteDays | None = None
    deadline: Day | None = None
    learned_in_id: RefId | None = None
    confidential: Flag | None = Field(None, json_schema_extra=not_null)
    notes: LongText | None = None


class PrioritiesOut(Schema):
    id: int
    candidate_id: int
    as_of: datetime
    base_min: MoneyOut | None
    base_target: MoneyOut | None
    currency: str
    period: str
    remote_preference: str
    remote_days: int | None
    notice_days: int | None
    earliest_start: date | None
    must_haves: str
    importance_pay: int
    importance_remote: int
    importance_speed: int
    importance_title: int
    importance_growth: int
    importance_stack: int
    recorded_by_id: int | None
    recorded_by_team_id: int | None = Field(description="The team that recorded this version; null when not known.")


class PrioritiesHistoryOut(Schema):
    current: PrioritiesOut | None
    history: list[PrioritiesOut] = Field(description="Every recorded version, the newest first.")


class PrioritiesIn(Schema):
    model_config = ConfigDict(json_schema_extra=rules(amounts_need_currency(("base_min", "base_target"), "currency")))

    base_min: Amount | None = Field(None, description="At most `base_target` (422 otherwise).")
    base_target: Amount | None = None
    currency: Currency | Literal[""] = ""
    period: Period = Period.YEAR
    remote_preference: RemotePreference = RemotePreference.ANY
    remote_days: RemoteDays | None = None
    notice_days: NoticeDays | None = None
    earliest_start: Day | None = None
    must_haves: LongText = ""
    importance_pay: Level = 3
    importance_remote: Level = 3
    importance_speed: Level = 3
    importance_title: Level = 3
    importance_growth: Level = 3
    importance_stack: Level = 3
    as_of: Moment | None = Field(None, description="As of when; now when left out.")
