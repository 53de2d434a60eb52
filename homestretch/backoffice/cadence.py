from django.contrib import admin

from homestretch.cadence.models import TeamCadence

from .base import HomestretchModelAdmin


@admin.register(TeamCadence)
class TeamCadenceAdmin(HomestretchModelAdmin):
    list_display = ["team", *[f.name for f in TeamCadence._meta.fields if f.name.endswith("_days")]]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
