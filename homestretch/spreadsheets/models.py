"""The stage names of other systems, as a team has taught the import to read them."""

from __future__ import annotations

from django.db import models

from homestretch.history.columns import normalise
from homestretch.lib.refusals import DUPLICATE, MISSING, Refused
from homestretch.pipeline.choices import Stage


class StageName(models.Model):
    """A stage as another ATS or a spreadsheet names it ("Offer Extended"), and the stage it is here.

    The import reads the names of `stage_names.DEFAULT_STAGE_NAMES` and every stage's own name and
    label without a row here; a row adds a name or reads a known one otherwise. Names are compared
    without case, spaces or punctuation, so "Offer-Extended" is "Offer Extended"."""

    name = models.CharField(max_length=100, help_text="As the other system writes it, e.g. Offer Extended")
    normalised = models.CharField(max_length=100, unique=True, editable=False)
    stage = models.CharField(max_length=16, choices=Stage.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.get_stage_display()}"

    def clean_fields(self, exclude=None) -> None:
        self.name = " ".join(self.name.split())
        self.normalised = normalise(self.name)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        if not self.normalised:
            raise Refused("name", "Give the name as the other system writes it.", MISSING)
        same = StageName.objects.filter(normalised=self.normalised).exclude(pk=self.pk).first()
        if same is not None:
            raise Refused("name", f"'{same.name}' is the same name; change that row instead.", DUPLICATE)
