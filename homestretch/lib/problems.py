"""RFC 9457 problem documents: the shape of every error the API answers, and the 409 exception."""

from __future__ import annotations

from ninja import Schema


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


class Conflict(Exception):
    """A request that the current state of the records refuses (409): nothing was changed."""

    def __init__(self, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
