"""What every app's API router shares: the error answers, a page of a list, and saving a record
so that a refused one changes nothing. No models here: each router checks access and calls its own
app's rules (docs/architecture.md)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Generic, TypeVar, get_args

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.renderers import JSONRenderer
from pydantic import Field

from .bulk_python import KeptTotal, value_rows_and_count
from .problems import Problem
from .refusals import INCOMPLETE, NOT_FOUND, Refused

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


def ordered_by(ordering: str) -> tuple[str, str]:
    """A list's ordering with the id as tie-breaker in the same direction, so that one index on (field, id)
    serves the ordering both ways: a page reads 50 index entries instead of sorting the whole table."""
    return ordering, "-id" if ordering.startswith("-") else "id"


ItemSchema = TypeVar("ItemSchema", bound=Schema)


def _total(queryset: QuerySet[Any], page: PageQuery, shown: int, counted: int | None = None) -> int:
    """The total that matches, counted only when the page does not tell it: a page shorter than `limit`
    that has rows (or is the first) ends the list, so the total is its offset plus its rows (also when a
    count was read with the page: the page's own rows say it, in the page's own snapshot). `counted`: the
    count read with the page, if any."""
    ends_the_list = shown < page.limit and (shown > 0 or page.offset == 0)
    if ends_the_list:
        return page.offset + shown
    return counted if counted is not None else queryset.count()


def paginate(queryset: QuerySet[Any], page: PageQuery) -> dict[str, Any]:
    """One page of `queryset` as model rows, for ninja to validate through the endpoint's schema."""
    items = list(queryset[page.offset:page.offset + page.limit])
    return {"count": _total(queryset, page, len(items)), "limit": page.limit, "offset": page.offset, "items": items}


def paginate_values(
    request: HttpRequest, queryset: QuerySet[Any], page: PageQuery, item: type[ItemSchema],
    derived: dict[str, Callable[[dict[str, Any]], Any]] | None = None, counted: QuerySet[Any] | None = None,
    when_empty: Callable[[], object] | None = None, kept_total: KeptTotal | None = None,
) -> HttpResponse:
    """One page of `queryset` as the endpoint's `Page[item]` would be sent, in two queries at most, one round
    trip on PostgreSQL (a third, `when_empty`'s, only for an empty page; benchmarks/README.md, where the
    API's time goes).

    The rows are read as values of exactly `item`'s fields (each a column of the model, or in `derived`:
    computed from the row's columns by the model's own rule), through `value_rows` (each datetime column
    made aware in one pass; psycopg's C loader on PostgreSQL), and sent without building a model of each:
    they come from the database through the model's own fields, the types `item` declares. Each value that
    the JSON encoder would hand to Django's (a moment, a day, an amount) is written as Django's encoder
    writes it, once, and the page is rendered as ninja renders a validated one: the same bytes, at a
    fraction of the cost (validating a page of 50 rows field by field cost more than reading them; building
    them as models and dumping them again, then the encoder's fallback for each of some 250 moments, cost
    half of what was left). `pipeline/tests/test_api_lists.py` holds every list, byte for byte, to what
    validation makes of the same records. `counted`, when given, is the same rows as `queryset` written
    for counting (an index that counts well may not be the one that finds a page well). `when_empty`, when
    given, is called when the page has no rows, before anything is sent: a list under a record (an
    application's touches) checks there that the record exists and may be read, raising as it would have
    before reading the page (a page with rows needs no lookup of its own). `kept_total`, when given, is the
    number of `queryset`'s rows as the database keeps it (pipeline/candidate_count.py), read with the page
    instead of counting them; where the page is not read with its count, the rows are counted."""
    derived = derived or {}
    names = list(item.model_fields)
    read = [name for name in names if name not in derived]
    counting = queryset if counted is None else counted
    rows, counted_total = value_rows_and_count(queryset.values_list(*read)[page.offset:page.offset + page.limit],
                                               kept_total or counting)
    shown = len(rows)
    if not shown and when_empty is not None:
        when_empty()
    if derived:  # each derived column computed from the row's columns as read, then placed in the schema's order
        with_derived = []
        for row in rows:
            values = dict(zip(read, row, strict=True))
            for name, rule in derived.items():
                values[name] = rule(values)
            with_derived.append(tuple(values[name] for name in names))
        rows = with_derived
    # Column by column, each value that the encoder would hand to Django's written once, in the columns whose
    # declared type may hold one; then each row a dict in the schema's order, as a dump gives it.
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    encode = _DJANGO_ENCODER.default
    encoded = _encoded_by_django(item)
    for position, name in enumerate(names):
        if name in encoded:
            columns[position] = [encode(value) if isinstance(value, _DJANGO_ENCODED) else value
                                 for value in columns[position]]
    items = [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]
    total = _total(counting, page, shown, counted_total)
    return already_shaped(request, {"count": total, "limit": page.limit, "offset": page.offset, "items": items})


# ninja's encoder writes these through Django's (`DjangoJSONEncoder.default`); written here with the same
# function, the encoder finds nothing left to call it for.
_DJANGO_ENCODED = (datetime, date, time, timedelta, Decimal, uuid.UUID)
_DJANGO_ENCODER = DjangoJSONEncoder()


@cache
def _encoded_by_django(item: type[Schema]) -> tuple[str, ...]:
    """The fields of `item` whose declared type may hold a value that ninja's encoder hands to Django's."""
    def holds_one(annotation: Any) -> bool:
        return (isinstance(annotation, type) and issubclass(annotation, _DJANGO_ENCODED)) or any(
            holds_one(argument) for argument in get_args(annotation))

    return tuple(name for name, field in item.model_fields.items() if holds_one(field.annotation))


def already_shaped(request: HttpRequest, body: Any, status: int = 200) -> HttpResponse:
    """The response of an endpoint whose body is built by the domain's own `as_dict()` in exactly the shape
    its response schema declares, rendered as ninja renders a validated body, without validating it field
    by field again (for the agenda, a third of the request's time; benchmarks/README.md). The schema stays
    the endpoint's `response`, so the OpenAPI document is unchanged, and a test of each such endpoint holds
    the body to what validating it through the schema makes of it."""
    renderer = JSONRenderer()
    return HttpResponse(renderer.render(request, body, response_status=status), status=status,
                        content_type=f"{renderer.media_type}; charset={renderer.charset}")


def referenced(getter: Callable[..., M], user: Any, pk: int, field: str, **kwargs: Any) -> M:
    """A record named in the body that does not exist (or that the caller may not see): 404 like a path
    naming nothing, with the field named in `errors` so that the client knows which id was wrong."""
    try:
        return getter(user, pk, **kwargs)
    except Http404 as missing:
        raise Refused(field, str(missing), NOT_FOUND) from None


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


def bounds_keep_their_order(record: Model, changes: dict[str, Any], low: str, high: str, what: str) -> None:
    """A PATCH that puts a minimum above its maximum because of what the record holds already (one of the
    two sent, the other stored): a conflict (409), which the document cannot state. Both sent in the wrong
    order is the body's own fault, stated in the document, refused by the model (422)."""
    if (low in changes) == (high in changes):
        return
    low_value = changes[low] if low in changes else getattr(record, low)
    high_value = changes[high] if high in changes else getattr(record, high)
    if low_value is None or high_value is None or low_value <= high_value:
        return
    sent, stored = (low, high) if low in changes else (high, low)
    raise Refused(sent, f"{what} cannot exceed its maximum: this record's `{stored}` is {getattr(record, stored)}; "
                        f"send `{low}` and `{high}` together to change both.", INCOMPLETE)


def amounts_keep_their_currency(
    record: Model, changes: dict[str, Any], amounts: tuple[str, ...], currency: str,
) -> None:
    """A PATCH that leaves amounts without a currency because of what the record holds already: a
    conflict (409), which the document cannot state. The body's own fault (amounts sent with the
    currency cleared in the same body) is bad input, stated in the document, refused by the model (422)."""
    sent_amounts = any(changes.get(amount) is not None for amount in amounts)
    if sent_amounts and currency in changes and not changes[currency]:
        return
    kept_amounts = any((changes[a] if a in changes else getattr(record, a)) is not None for a in amounts)
    kept_currency = changes[currency] if currency in changes else getattr(record, currency)
    if kept_amounts and not kept_currency:
        raise Refused(currency, (
            f"This record has no currency: send `{currency}` with the amounts." if sent_amounts else
            f"This record has amounts: they keep their currency (clear them in the same request to clear `{currency}`)."
        ), INCOMPLETE)
