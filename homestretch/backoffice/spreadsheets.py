"""The stage names the spreadsheet import reads, editable by admins (Spreadsheet import › Stage names)."""

from __future__ import annotations

from django.contrib import admin

from homestretch.spreadsheets.models import StageName

from .base import HomestretchModelAdmin


@admin.register(StageName)
class StageNameAdmin(HomestretchModelAdmin):
    list_display = ("name", "stage")
    list_editable = ("stage",)
    list_filter = ("stage",)
    search_fields = ("name",)
    fields = ("name", "stage")
