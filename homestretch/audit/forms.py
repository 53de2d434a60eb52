from __future__ import annotations

from typing import Any

from django import forms

from homestretch.accounts.models import User

from .choices import Kind
from .reading import Filters
from .recording import OBJECT_TYPES

MAX_ID = 2**63 - 1


class AuditFilterForm(forms.Form):
    """The audit page's filters, from the query string; bad input is said beside its field."""

    actor = forms.ModelChoiceField(queryset=User.objects.order_by("email"), required=False, label="Person",
                                   empty_label="Anyone")
    object_type = forms.ChoiceField(choices=[("", "Any"), *[(name, name.capitalize()) for name in OBJECT_TYPES]],
                                    required=False, label="Object")
    object_id = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, label="Object id")
    kind = forms.ChoiceField(choices=[("", "Any"), *Kind.choices], required=False, label="What")
    date_from = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_from", "The period starts after it ends: give a 'From' day on or before 'To'.")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        actor = data.get("actor")
        return Filters(actor_id=actor.pk if actor else None, object_type=data.get("object_type") or None,
                       object_id=data.get("object_id"), kind=data.get("kind") or None,
                       date_from=data.get("date_from"), date_to=data.get("date_to"))
