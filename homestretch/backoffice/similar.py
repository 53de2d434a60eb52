"""The rate table of similar past searches: kept by an admin, read when pay seen in another currency is
converted (homestretch.similar.rates)."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from homestretch.similar.models import ExchangeRate

from .base import HomestretchModelAdmin


@admin.register(ExchangeRate)
class ExchangeRateAdmin(HomestretchModelAdmin):
    """A dated rate per currency pair: similar past searches convert pay at the newest one on or before
    the day it was seen, never at a rate nobody stated."""

    list_display = ["from_currency", "to_currency", "rate", "valid_from", "source", "entered_by", "entered_at"]
    list_filter = ["from_currency", "to_currency"]
    date_hierarchy = "valid_from"
    readonly_fields = ["entered_by", "entered_at"]
    list_select_related = ["entered_by"]

    def save_model(self, request: HttpRequest, obj: ExchangeRate, form: forms.ModelForm, change: bool) -> None:
        obj.entered_by = request.user  # type: ignore[assignment]  # the signed-in admin
        obj.save()
