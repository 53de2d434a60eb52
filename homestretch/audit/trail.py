"""The audit trail's interface for the rest of the product (issue 21): record an entry, read the entries
about a candidate, forget a candidate's personal data in them.

Writes of the audited models (candidates, applications, offers, competing offers, priorities, users'
roles and teams, API tokens) are recorded by themselves (homestretch.audit.recording); call `record` or
`record_request` for what is not a write: a sign-in, a view of a brief, an export or a client report, an
erasure, a bulk import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from homestretch.accounts.models import User
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Application, Candidate

from . import context
from .choices import Kind
from .models import Entry
from .recording import OBJECT_TYPES, candidate_of, label_of

ERASED = "erased"
# What an object of the audit is named by, for forget_candidate: a model instance, or (type, id) where
# the type is a model, "app_label.model" or one of OBJECT_TYPES' names ("competing offer").
ObjectRef = models.Model | tuple[type[models.Model] | str, int | str]


def _model_of(object_type: type[models.Model] | str) -> type[models.Model]:
    if isinstance(object_type, type):
        return object_type
    if object_type in OBJECT_TYPES:
        return OBJECT_TYPES[object_type]
    try:
        model = ContentType.objects.get_by_natural_key(*object_type.lower().split(".", 1)).model_class()
    except (ContentType.DoesNotExist, TypeError, ValueError):
        model = None
    if model is None:
        raise ValueError(f"Unknown object type {object_type!r} for the audit: one of {', '.join(OBJECT_TYPES)}.")
    return model


def record(kind: str, *, actor: User | str | None, address: str | None, obj: models.Model | None = None,
           object_type: str = "", object_id: str | int | None = None, label: str = "",
           changes: dict | None = None, detail: dict | None = None) -> None:
    """One append-only entry. `actor` is the user who acted, or a label when no user did ("command line
    (ana)"); None: whoever acts now (the request's user or the command's, see context). `obj`, or
    `object_type` and `object_id`, is what the entry is about; `label` names it without naming anyone
    (by default "candidate 12"). `changes` is {field: [before, after]}; `detail` any other facts
    ({"rows": 120}). Neither may hold a secret; both are shown to admins only."""
    kind = Kind(kind)  # a kind outside the fixed set is a programming error: ValueError
    acting = context.current()
    user: User | None
    if isinstance(actor, User):
        user, actor_label = actor, actor.email
    elif isinstance(actor, str):
        user, actor_label = None, actor
    else:
        user, actor_label = acting.user, acting.label
    if address is None and actor is None:
        address = acting.address
    content_type = None
    candidate_id: int | None = None
    if obj is not None:
        content_type = ContentType.objects.get_for_model(type(obj))
        object_id = obj.pk
        label = label or label_of(obj)
        candidate_id = candidate_of(obj)
    elif object_type:
        model = _model_of(object_type)
        content_type = ContentType.objects.get_for_model(model)
        if object_id is not None:
            candidate_id = _candidate_of_ref(model, object_id)
        label = label or f"{object_type} {object_id if object_id is not None else ''}".strip()
    numeric_id = int(object_id) if object_id is not None and str(object_id).isdigit() else None
    Entry.objects.create(
        kind=kind,
        action=Entry.Action.ACCESS if kind.startswith("viewed") else Entry.Action.UPDATE,
        content_type=content_type,
        object_pk="" if object_id is None else str(object_id),
        object_id=numeric_id,
        object_repr=label,
        candidate_id=candidate_id,
        changes=changes,
        additional_data=detail,
        actor=user,
        actor_email=user.email if user else None,
        actor_label=actor_label,
        remote_addr=address,
    )


def _candidate_of_ref(model: type[models.Model], object_id: str | int) -> int | None:
    """The candidate an object named by its type and id is about (one query), or None."""
    if not str(object_id).isdigit():
        return None
    if model is Candidate:
        return int(object_id)
    if model is Offer:
        return Offer.objects.filter(pk=object_id).values_list("application__candidate_id", flat=True).first()
    if model in (Application, CompetingOffer, Priorities):
        return model._default_manager.filter(pk=object_id).values_list("candidate_id", flat=True).first()
    return None


def record_request(kind: str, request: HttpRequest, obj: models.Model | None = None, **kw: Any) -> None:
    """`record` with the actor and address of a page's or an API endpoint's request."""
    record(kind, actor=context.user_of(request), address=context.address_of(request), obj=obj, **kw)


def _about_candidate(candidate_id: int, object_refs: Iterable[ObjectRef] = ()) -> Q:
    about = Q(candidate_id=candidate_id)
    candidate_type = ContentType.objects.get_for_model(Candidate)
    about |= Q(content_type=candidate_type, object_id=candidate_id)
    ids_by_type: dict[int, list[int]] = {}
    for ref in object_refs:
        model, object_id = (type(ref), ref.pk) if isinstance(ref, models.Model) else (_model_of(ref[0]), ref[1])
        ids_by_type.setdefault(ContentType.objects.get_for_model(model).pk, []).append(int(object_id))
    for type_id, ids in ids_by_type.items():
        about |= Q(content_type_id=type_id, object_id__in=ids)
    return about


def entries_about_candidate(candidate_id: int) -> QuerySet[Entry]:
    """Every entry about the candidate and their applications, offers, competing offers and priorities,
    oldest first. (An entry about one of those records carries the candidate's id; the records of the
    candidate still stored are matched by their ids too, should an entry lack it.) One query."""
    about = _about_candidate(candidate_id)
    owned: list[tuple[type[models.Model], QuerySet[Any]]] = [
        (Application, Application.objects.filter(candidate_id=candidate_id).values("pk")),
        (Offer, Offer.objects.filter(application__candidate_id=candidate_id).values("pk")),
        (CompetingOffer, CompetingOffer.objects.filter(candidate_id=candidate_id).values("pk")),
        (Priorities, Priorities.objects.filter(candidate_id=candidate_id).values("pk")),
    ]
    for model, ids in owned:
        about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return Entry.objects.filter(about).order_by("id")


def _scrubbed(changes: Any) -> Any:
    if not isinstance(changes, Mapping):
        return None
    return {field: [ERASED, ERASED] for field in changes}


def forget_candidate(candidate_id: int, object_refs: Iterable[ObjectRef] = ()) -> int:
    """Blank the personal data in the entries about the candidate and `object_refs` (their applications,
    offers, competing offers, priorities: pass them when they are about to go, or are gone and their ids
    known), keeping that something happened, to what kind of record, when, by whom and from where: each
    changed field's name stays, its values become "erased", the label "erased <type>", the detail goes.

    The one place the product rewrites audit entries, by design: the right to erasure reaches the
    audit too (docs/data-rights.md). Call it after deleting the records, in the same transaction, so that
    the "deleted" entries the deletion writes are scrubbed too. Returns the number of entries scrubbed."""
    with transaction.atomic():
        entries = Entry.objects.filter(_about_candidate(candidate_id, object_refs)).order_by("pk")
        batch: list[Entry] = []
        scrubbed = 0
        for entry_id, type_id, changes in entries.values_list("pk", "content_type_id", "changes").iterator(
                chunk_size=FORGET_BATCH):
            model = ContentType.objects.get_for_id(type_id).model_class() if type_id else None
            type_name = TYPE_NAMES_BY_MODEL.get(model, "record") if model else "record"
            batch.append(Entry(pk=entry_id, changes=_scrubbed(changes), changes_text="", serialized_data=None,
                               additional_data=None, object_repr=f"{ERASED} {type_name}"))
            if len(batch) >= FORGET_BATCH:
                scrubbed += Entry.objects.bulk_update(batch, FORGOTTEN_FIELDS)
                batch = []
        if batch:
            scrubbed += Entry.objects.bulk_update(batch, FORGOTTEN_FIELDS)
        return scrubbed


FORGET_BATCH = 500
FORGOTTEN_FIELDS = ["changes", "changes_text", "serialized_data", "additional_data", "object_repr"]
TYPE_NAMES_BY_MODEL: dict[type[models.Model], str] = {model: name for name, model in OBJECT_TYPES.items()}
