from django import forms
from django.contrib import admin
from django.http import HttpRequest

from homestretch.cadence.models import TeamCadence
from homestretch.cadence.services import delete_team_cadence, save_team_cadence

from .base import HomestretchModelAdmin


@admin.register(TeamCadence)
class TeamCadenceAdmin(HomestretchModelAdmin):
    """Saved and deleted through homestretch.cadence.services: the team's applications are judged by it."""

    list_display = ["team", *[f.name for f in TeamCadence._meta.fields if f.name.endswith("_days")]]
    list_select_related = ["team"]
    autocomplete_fields = ["team"]
    delete_service = staticmethod(delete_team_cadence)

    def save_model(self, request: HttpRequest, obj: TeamCadence, form: forms.ModelForm, change: bool) -> None:
        save_team_cadence(obj)
