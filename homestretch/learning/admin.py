"""Trained risk models in the back office: read-only, since only `homestretch model train` writes them."""

from __future__ import annotations

from django.contrib import admin

from homestretch.accounts.admin import HistoryAdmin

from .models import TrainedModel


@admin.register(TrainedModel)
class TrainedModelAdmin(HistoryAdmin):
    list_display = ("version", "trained_at", "live", "n_applications", "n_imported", "n_lost", "shrinkage")
    list_filter = ("live",)
    search_fields = ("not_live_because",)
    ordering = ("-version",)
