"""Reading the audit: the filters the page and the API share, and an entry as both show it.

The table may hold millions of entries, so a list is a page of at most MAX_PAGE, newest first, found by
an index: by id (the order entries were written), with the filters on indexed columns (kind, actor,
object, time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Application, Candidate, Client

from .choices import Kind
from .models import Entry
from .recording import OBJECT_TYPES

MAX_PAGE = 200


@dataclass(frozen=True)
class Filters:
    actor_id: int | None = None
    object_type: str | None = None  # a name of OBJECT_TYPES
    object_id: int | None = None
    kind: str | None = None  # a Kind value
    date_from: date | None = None  # first day, in the installation's time zone
    date_to: date | None = None  # last day, included


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(filters: Filters) -> QuerySet[Entry]:
    """The entries that match, newest first (by id: the order they were written in)."""
    found = Entry.objects.select_related("actor", "content_type").order_by("-id")
    if filters.actor_id is not None:
        found = found.filter(actor_id=filters.actor_id)
    if filters.object_type:
        found = found.filter(content_type=ContentType.objects.get_for_model(OBJECT_TYPES[filters.object_type]))
    if filters.object_id is not None:
        found = found.filter(object_id=filters.object_id)
    if filters.kind:
        found = found.filter(kind=Kind(filters.kind))
    if filters.date_from is not None:
        found = found.filter(timestamp__gte=_start_of(filters.date_from))
    if filters.date_to is not None:
        found = found.filter(timestamp__lt=_start_of(filters.date_to + timedelta(days=1)))
    return found


def type_name(entry: Entry) -> str:
    """The name of the type of object an entry is about (ContentType's cache: no query once warm)."""
    if entry.content_type_id is None:
        return ""
    content_type = ContentType.objects.get_for_id(entry.content_type_id)
    model = content_type.model_class()
    return next((name for name, known in OBJECT_TYPES.items() if known is model), content_type.model)


@dataclass
class Change:
    field: str
    before: Any
    after: Any


@dataclass
class EntryView:
    """An entry as the page and the API show it."""

    id: int
    at: datetime
    kind: str
    kind_label: str
    actor_id: int | None
    actor: str  # the user's e-mail as it was, or "command line (…)"; "" for nobody signed in
    address: str | None
    object_type: str
    object_id: int | None
    object_label: str
    changes: list[Change] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)
    link: str = ""  # the page of the object, while it exists


def _changes(entry: Entry) -> list[Change]:
    stored = entry.changes if isinstance(entry.changes, dict) else {}
    changes = []
    for name, values in sorted(stored.items()):
        before, after = (values + [None, None])[:2] if isinstance(values, list) else (None, values)
        changes.append(Change(field=name, before=before, after=after))
    return changes


def view_of(entry: Entry) -> EntryView:
    return EntryView(
        id=entry.pk, at=entry.timestamp, kind=entry.kind, kind_label=Kind(entry.kind).label
        if entry.kind in Kind.values else entry.kind,
        actor_id=entry.actor_id, actor=entry.actor_label or entry.actor_email or "",
        address=entry.remote_addr, object_type=type_name(entry), object_id=entry.object_id,
        object_label=entry.object_repr, changes=_changes(entry),
        detail=entry.additional_data if isinstance(entry.additional_data, dict) else {},
    )


def _existing(model: type[Model], ids: Iterable[int]) -> set[int]:
    wanted = {i for i in ids if i is not None}
    return set(model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()


def with_links(views: list[EntryView]) -> list[EntryView]:
    """Links to the objects still stored: one query per type of object on the page, at most four."""
    def ids(*types: str) -> list[int]:
        return [v.object_id for v in views if v.object_type in types and v.object_id is not None]

    candidates = _existing(Candidate, ids("candidate"))
    applications = _existing(Application, ids("application"))
    clients = _existing(Client, ids("client"))
    offers = dict(Offer.objects.filter(pk__in=ids("offer")).values_list("pk", "application_id")) if ids("offer") else {}
    owners: dict[tuple[str, int], int] = {}
    for name, model in (("competing offer", CompetingOffer), ("priorities", Priorities)):
        if ids(name):
            owners.update({(name, pk): candidate_id for pk, candidate_id in
                           model.objects.filter(pk__in=ids(name)).values_list("pk", "candidate_id")})
    for view in views:
        if view.object_id is None:
            continue
        if view.object_type == "candidate" and view.object_id in candidates:
            view.link = reverse("candidate", args=[view.object_id])
        elif view.object_type == "application" and view.object_id in applications:
            view.link = reverse("application", args=[view.object_id])
        elif view.object_type == "client" and view.object_id in clients:
            view.link = reverse("client", args=[view.object_id])
        elif view.object_type == "offer" and view.object_id in offers:
            view.link = reverse("application", args=[offers[view.object_id]])
        elif (view.object_type, view.object_id) in owners:
            view.link = reverse("candidate", args=[owners[(view.object_type, view.object_id)]])
    return views
