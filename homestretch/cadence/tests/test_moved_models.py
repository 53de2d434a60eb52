"""TeamCadence moved from agenda to cadence, and TrainedModel from learning to risk
(docs/architecture.md): an installation upgraded across the move keeps every row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE_THE_MOVE = [
    ("agenda", "0001_initial"),
    ("learning", "0001_initial"),
    ("cadence", None),
    ("risk", "0001_risk_snapshot"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    # The state after those migrations: an app migrated to zero (None) is simply not in it.
    nodes = [target for target in targets if target[1] is not None]
    return executor.loader.project_state([*nodes, ("contenttypes", "0002_remove_content_type_name")]).apps


@pytest.mark.django_db(transaction=True)
def test_a_team_cadence_and_trained_models_survive_the_move():
    old = _migrate(BEFORE_THE_MOVE)
    try:
        team = old.get_model("accounts", "Team").objects.create(name="Platform")
        old.get_model("agenda", "TeamCadence").objects.create(team_id=team.pk, offer_days=1, competition_ask_days=3)
        moment = timezone.now()
        old.get_model("learning", "TrainedModel").objects.create(
            version=4, trained_at=moment, as_of=moment, n_applications=300, n_imported=0, n_lost=70,
            base_log_odds=-1.5, weights={"overdue_days": 0.2}, shrinkage=0.4, live=True)
        ContentType = old.get_model("contenttypes", "ContentType")
        ContentType.objects.get_or_create(app_label="agenda", model="teamcadence")
    finally:
        executor = MigrationExecutor(connection)
        new = _migrate(executor.loader.graph.leaf_nodes())

    cadence = new.get_model("cadence", "TeamCadence").objects.get(team__name="Platform")
    assert (cadence.offer_days, cadence.competition_ask_days) == (1, 3)
    trained = new.get_model("risk", "TrainedModel").objects.get(version=4)
    assert trained.live and trained.weights == {"overdue_days": 0.2}
    tables = connection.introspection.table_names()
    assert {"cadence_teamcadence", "risk_trainedmodel"} <= set(tables)
    assert not {"agenda_teamcadence", "learning_trainedmodel"} & set(tables)
    # The back office's history and permissions follow the model to its new app.
    labels = set(new.get_model("contenttypes", "ContentType").objects.filter(model="teamcadence")
                 .values_list("app_label", flat=True))
    assert labels == {"cadence"}
