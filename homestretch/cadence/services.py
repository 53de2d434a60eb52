"""Setting a team's own cadence: the back office saves and deletes it through here, so that the risk
snapshots of the team's applications are counted as changed in the same transaction (their Today
status and risk read the cadence)."""

from __future__ import annotations

from django.db import transaction

from homestretch.pipeline import changes

from .models import TeamCadence


def save_team_cadence(cadence: TeamCadence) -> TeamCadence:
    """Create or change a team's cadence after checking every rule on it. Moved to another team,
    both teams' applications change."""
    cadence.full_clean()
    with transaction.atomic():
        before = None
        if cadence.pk is not None:
            before = TeamCadence.objects.filter(pk=cadence.pk).values_list("team_id", flat=True).first()
        cadence.save()
        changes.count_change(team_ids=[cadence.team_id, before])
    return cadence


def delete_team_cadence(cadence: TeamCadence) -> None:
    """Back to the defaults for the team."""
    with transaction.atomic():
        cadence.delete()
        changes.count_change(team_ids=[cadence.team_id])
