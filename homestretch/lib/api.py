"""What every app's API router shares: the error answers, a page of a list, and saving a record
so that a refused one changes nothing. No models here: each router checks access and calls its own
app's rules (docs/architecture.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from ninja import Schema
from pydantic import Field

from .problems import Problem

Item = TypeVar("Item")
M = TypeVar("M", bound=Model)

READ: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE: dict[int, Any] = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}


def errors_of(status_and_schema: dict[int, Any], success: int, out: Any) -> dict[int, Any]:
    """The responses of an endpoint: its success schema and the problems it may answer."""
    return {success: out, **status_and_schema}


class Page(Schema, Generic[Item]):
    """One page of a list: `count` is the total that matches the filters."""

    count: int
    limit: int
    offset: int
    items: list[Item]


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=500, description="Items per page, 1 to 500.")
    offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


def paginate(queryset: QuerySet[Any], page: PageQuery) -> dict[str, Any]:
    return {
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
        "items": list(queryset[page.offset:page.offset + page.limit]),
    }


def referenced(getter: Callable[..., M], user: Any, pk: int, field: str, **kwargs: Any) -> M:
    """A record named in the body: unknown ids are bad input of that field (422), not a missing page."""
    try:
        return getter(user, pk, **kwargs)
    except Http404 as missing:
        raise ValidationError({field: str(missing)}) from None


@contextmanager
def fields_as_sent(**names: str) -> Iterator[None]:
    """Refusals raised inside with their fields named as the request's body names them: a service
    speaks its own words (`to_stage`, `learned_in`), the API its schema's (`stage`, `learned_in_id`).
    The refusal itself (message, code, so 409 or 422) is the service's, untouched."""
    try:
        yield
    except ValidationError as refused:
        if not hasattr(refused, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in refused.error_dict.items()}
        ) from None


def save_record(record: M) -> M:
    """Check every model rule first, then write: a refused record changes nothing."""
    record.full_clean()
    with transaction.atomic():
        record.save()
    return record


def apply_changes(record: M, changes: dict[str, Any]) -> M:
    for name, value in changes.items():
        setattr(record, name, value)
    return save_record(record)


def refuse_nulls(changes: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    """A PATCH may leave a required field out, but not set it to null."""
    for name in required:
        if name in changes and changes[name] is None:
            raise ValidationError({name: "This field cannot be null."})
    return changes


def empty_strings(changes: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """Optional choice fields are stored as '' when unset; the API accepts null for them too."""
    return {name: ("" if name in names and value is None else value) for name, value in changes.items()}
