"""Template helpers of the pages that bring work in (front/intake.py): a field's input tied to its
error and help text for screen readers, and whether the user may see the edit controls."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from homestretch.accounts.access import can_edit_shared_records

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    """The field's input with aria-describedby naming its error and help text (aria-invalid is
    Django's own on a field with errors)."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)


@register.filter
def can_edit_shared(user) -> bool:
    """Recruiters and admins add and correct candidates, jobs and clients; viewers read only."""
    return bool(getattr(user, "is_authenticated", False)) and can_edit_shared_records(user)
