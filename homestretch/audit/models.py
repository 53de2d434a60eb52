"""The audit entries: django-auditlog's log entry (one table, changes as JSON before/after) with what the
audit of issue 21 adds: the kind of entry, who acted when no user did (the command line), and the
candidate an entry concerns, so that an export and an erasure reach every entry about a candidate in one
indexed query.

Append-only: `save()` refuses to write an entry twice and `delete()` refuses outright. The one rewrite
is `trail.forget_candidate`, the erasure of a candidate's personal data, by design (docs/data-rights.md).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models

from .choices import Kind


class AppendOnly(Exception):
    """An audit entry was about to be changed or deleted through the ORM."""


class EntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        # auditlog's receivers call this for every registered model's create, update and delete:
        # the kind, a label that names no one, the candidate concerned and who acted are ours.
        from .recording import fill_model_entry  # one module decides what a model entry says

        fill_model_entry(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)


class Entry(AbstractLogEntry):
    # An entry may be about no stored object (a failed sign-in for an unknown account), so the object
    # is optional here, where auditlog's own table requires it.
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="object type",
    )
    object_pk = models.CharField(max_length=255, blank=True, default="", verbose_name="object pk")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # Who acted when the actor is not a user (the command line, the demo), or the user's name as it was.
    actor_label = models.CharField(max_length=200, blank=True)
    candidate_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    objects = EntryManager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["kind", "-id"], name="audit_entry_kind"),
            models.Index(fields=["actor", "-id"], name="audit_entry_actor"),
            models.Index(fields=["content_type", "object_id"], name="audit_entry_object"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("An audit entry is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("An audit entry is never deleted.")
