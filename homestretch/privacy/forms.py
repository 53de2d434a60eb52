from __future__ import annotations

from django import forms

from .erasure import MAX_REASON


class ErasureForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit after the erasure: say why (\"asked by e-mail on 3 March\"), never the "
                  "candidate's name, e-mail or phone.",
    )
    irreversible = forms.BooleanField(
        label="I understand that this cannot be undone", required=True,
        error_messages={"required": "Tick this to confirm: the erasure cannot be undone."},
    )
