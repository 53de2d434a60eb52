"""The risk's JSON in the API: exactly `Risk.as_dict()`, described for the OpenAPI document."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from homestretch.lib.api_fields import Moment


class ReasonOut(Schema):
    code: str
    text: str
    share: float


class ActionOut(Schema):
    code: str
    text: str


class RiskOut(Schema):
    probability: float | None = Field(description="Of losing the candidate, 0 to 1; null when not computed.")
    score: int | None
    band: str | None
    reasons: list[ReasonOut]
    actions: list[ActionOut]
    missing: list[str]


class RiskQuery(Schema):
    at: Moment | None = Field(None, description="The moment, ISO 8601 with a time zone; now when left out.")
