"""Re-scoring every open application and building the whole organisation's agenda.

Each figure stands beside the bare SQL that reads the same rows: the very statements our code
sends (captured with Django's execute_wrapper, with their parameters), run again with a plain
cursor and fetchall. The ratio is what our Python costs over the database's own work.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from benchmarks import BenchContext, Figure, capture_statements, median_seconds, register, replay
from benchmarks.runner import DATASET_NOW
from homestretch.agenda.services import agenda
from homestretch.cadence.models import cadence_lookup
from homestretch.risk.engine import assess_many
from homestretch.risk.loader import load_facts

# The benchmark data set is anchored at DATASET_NOW; score it a little later, as on a working morning.
SCORING_MOMENT = DATASET_NOW + timedelta(hours=1)


def rescore_all() -> int:
    facts = load_facts(SCORING_MOMENT)
    risks = assess_many(facts, SCORING_MOMENT, cadence_lookup())
    return len(risks)


def whole_agenda() -> int:
    return len(agenda(SCORING_MOMENT.date(), now=SCORING_MOMENT))


@register("risk_and_agenda")
def risk_and_agenda(ctx: BenchContext) -> list[Figure]:
    figures = []
    scored = rescore_all()
    due = whole_agenda()
    for name, action in ((f"re-score every open application ({scored:,})", rescore_all),
                         (f"the whole organisation's agenda ({due:,} due)", whole_agenda)):
        statements = capture_statements(action)
        ours = median_seconds(action, ctx.repeat)
        bare = median_seconds(partial(replay, statements), ctx.repeat)
        figures.append(Figure(
            benchmark="risk_and_agenda", name=name, value=ours, unit="s",
            reference_name=f"bare SQL, same {len(statements)} statements", reference_value=bare, runs=ctx.repeat,
        ))
    scoring_only_facts = load_facts(SCORING_MOMENT)
    lookup = cadence_lookup()
    arithmetic = median_seconds(lambda: assess_many(scoring_only_facts, SCORING_MOMENT, lookup), ctx.repeat)
    figures.append(Figure(
        benchmark="risk_and_agenda", name=f"scoring arithmetic alone ({len(scoring_only_facts):,})",
        value=arithmetic, unit="s", runs=ctx.repeat,
        notes="assess_many over facts already in memory",
    ))
    return figures
