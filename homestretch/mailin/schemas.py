"""What the mail-in API answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class ReceivedMessageOut(Schema):
    id: int
    status: str
    unmatched_reason: str


class ReceivedOut(Schema):
    """What became of a pushed message: one record per team that took it in, the touches made, and how
    many teams had it already (then `messages` may be empty)."""

    messages: list[ReceivedMessageOut]
    touchpoints: list[int]
    duplicates: int


class UnmatchedOut(Schema):
    id: int
    recruiter_id: int | None
    team_id: int
    via: str
    unmatched_reason: str
    direction: str
    from_address: str
    subject: str
    sent_at: datetime | None
    received_at: datetime
    new_text: str


class ProposalOut(Schema):
    id: int
    kind: str
    status: str
    said_at: datetime
    message_id: int | None
    touchpoint_id: int | None
    company: str
    competing_kind: str
    stage: str
    base: Decimal | None
    currency: str
    period: str
    deadline: date | None
    answer: str
    notice_days: int | None
    start_date: date | None
    evidence: str
    question_id: int | None
    competing_offer_id: int | None
