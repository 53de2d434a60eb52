"""What the audit records of the models' own writes, through django-auditlog's registry: which models
and fields, the kind of each entry, a label that names no one, the candidate it concerns.

auditlog listens to the registered models' saves and deletes (the one exception to "never connect a
signal", docs/architecture.md: the audit must see every write, whoever makes it, and it derives nothing
the product reads). Bulk writes (`bulk_create`, `QuerySet.update`, raw SQL) send no signal and are not
seen; the loaders that use them record one entry with counts instead (docs/data-rights.md).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import AbstractLogEntry
from auditlog.registry import auditlog
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest

from homestretch.accounts.models import ApiToken, User
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Application, Candidate, Client

from . import context
from .choices import Kind

# The names the page and the API use for the types of object an entry is about.
OBJECT_TYPES: dict[str, type[models.Model]] = {
    "candidate": Candidate,
    "application": Application,
    "offer": Offer,
    "competing offer": CompetingOffer,
    "priorities": Priorities,
    "user": User,
    "api token": ApiToken,
    "client": Client,
}
TYPE_NAMES: dict[type[models.Model], str] = {model: name for name, model in OBJECT_TYPES.items()}

# Noise: kept by the database or derived from the other fields.
NOISE = ["updated_at", "search_text", "generation"]
# A user's entries say their role, team and whether they may sign in: never the password hash, the
# last sign-in (a sign-in has its own entry) or the names.
USER_FIELDS = ["role", "team", "is_active", "is_superuser", "is_staff"]
# A token's entries say its name, prefix, owner and revocation: never its hash, nor every use.
TOKEN_FIELDS = ["user", "name", "prefix", "revoked_at"]


def register() -> None:
    """Called once, from the app's ready()."""
    for model in (Candidate, Application, Offer, CompetingOffer, Priorities):
        auditlog.register(model, exclude_fields=[*NOISE, *_reverse_relations(model)])
    auditlog.register(User, include_fields=list(USER_FIELDS), m2m_fields=set())
    auditlog.register(ApiToken, include_fields=list(TOKEN_FIELDS))
    user_logged_in.connect(_signed_in, dispatch_uid="audit-sign-in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit-sign-in-failed")


def _reverse_relations(model: type[models.Model]) -> list[str]:
    """The other records that point at this one (a competing offer's changes, a candidate's applications):
    auditlog would write each related manager's name into a creation's or deletion's changes."""
    return [field.name for field in model._meta.get_fields() if field.auto_created and not field.concrete]


def candidate_of(instance: models.Model) -> int | None:
    """The candidate an object is about, without a query where the object knows it."""
    if isinstance(instance, Candidate):
        return instance.pk
    if isinstance(instance, Application | CompetingOffer | Priorities):
        return instance.candidate_id
    if isinstance(instance, Offer):
        application = instance._state.fields_cache.get("application")
        if isinstance(application, Application):
            return application.candidate_id
        return Application.objects.filter(pk=instance.application_id).values_list("candidate_id", flat=True).first()
    return None


def label_of(instance: models.Model) -> str:
    """A label that names no one: the type and the id, and the candidate or application it belongs to."""
    name = TYPE_NAMES.get(type(instance), instance._meta.verbose_name)
    if isinstance(instance, Offer):
        return f"offer {instance.pk}, revision {instance.revision} (application {instance.application_id})"
    if isinstance(instance, Application | CompetingOffer | Priorities):
        return f"{name} {instance.pk} (candidate {instance.candidate_id})"
    if isinstance(instance, ApiToken):
        return f"api token {instance.pk} ({instance.prefix}…, user {instance.user_id})"
    return f"{name} {instance.pk}"


def kind_of(instance: models.Model, action: int, changes: dict | None) -> Kind:
    changed = changes or {}
    if isinstance(instance, ApiToken):
        if action == AbstractLogEntry.Action.CREATE:
            return Kind.TOKEN_CREATED
        if action == AbstractLogEntry.Action.UPDATE and "revoked_at" in changed:
            return Kind.TOKEN_REVOKED
    if isinstance(instance, User) and action == AbstractLogEntry.Action.UPDATE:
        if "role" in changed or "is_superuser" in changed:
            return Kind.ROLE_CHANGED
        if "team" in changed:
            return Kind.TEAM_CHANGED
    return {
        AbstractLogEntry.Action.CREATE: Kind.CREATED,
        AbstractLogEntry.Action.DELETE: Kind.DELETED,
    }.get(action, Kind.CHANGED)


def _as_stored(field: models.DecimalField, value: Any) -> Any:
    """An amount as the database keeps it ("95000.00"), whether it came from the database or a form ("95000")."""
    try:
        return f"{Decimal(value):.{field.decimal_places}f}" if value is not None else None
    except (InvalidOperation, TypeError, ValueError):
        return value


def _normalised(instance: models.Model, changes: dict | None) -> dict | None:
    if not changes:
        return changes
    for name, values in changes.items():
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.DecimalField) and isinstance(values, list | tuple):
            changes[name] = [_as_stored(field, value) for value in values]
    return changes


def fill_model_entry(instance: models.Model, fields: dict[str, Any]) -> None:
    """Complete the fields auditlog gives for an entry about `instance` (see EntryManager.log_create)."""
    fields["changes"] = _normalised(instance, fields.get("changes"))
    fields.setdefault("kind", kind_of(instance, fields.get("action", AbstractLogEntry.Action.UPDATE),
                                      fields.get("changes")))
    fields.setdefault("object_repr", label_of(instance))
    fields.setdefault("candidate_id", candidate_of(instance))
    acting = context.current()
    fields.setdefault("actor", acting.user)
    fields.setdefault("actor_email", acting.user.email if acting.user else None)
    fields.setdefault("actor_label", acting.label)
    fields.setdefault("remote_addr", acting.address)


def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    from .trail import record

    record(Kind.SIGN_IN, actor=user, address=context.address_of(request) if request is not None else None, obj=user)


def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    from .trail import record

    # The account typed, never the password (Django has masked it already; it is not read here anyway).
    typed = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "")[:254]
    account = User.objects.filter(email__iexact=typed.strip()).first() if typed.strip() else None
    record(Kind.SIGN_IN_FAILED, actor=None, address=context.address_of(request) if request is not None else None,
           obj=account, detail={"account typed": typed})
