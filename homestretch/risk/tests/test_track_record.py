"""The organisation's track record as of a moment: per client, role family and source (issue 22).

The as-of rule: decisions strictly before the start of the moment's local day count; the
application's own outcome (decided on that day or later) and every later one never do.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from homestretch.risk.engine import assess
from homestretch.risk.track_record import (
    CLIENT,
    PRIOR_OUTCOMES,
    ROLE_FAMILY,
    SOURCE,
    PastDecision,
    TrackRecord,
    role_family,
)
from homestretch.risk.weights import EXPERT_WEIGHTS, Weights

from .builders import NOW, facts, job

DAY = timedelta(days=1)


def decision(at: datetime, lost: bool, client: str = "Globex", title: str = "Senior Python Engineer",
             source: str = "referral") -> PastDecision:
    return PastDecision(at, lost, client, role_family(title), source)


def logit(rate: float) -> float:
    return math.log(rate / (1 - rate))


@pytest.mark.parametrize(("title", "family"), [
    ("Senior Security Engineer", "security"), ("Application Security Lead", "security"),
    ("Data Platform Engineer", "data"), ("Machine Learning Engineer", "data"),
    ("Site Reliability Engineer", "devops"), ("iOS Developer", "mobile"), ("QA Automation Engineer", "quality"),
    ("Senior Frontend Engineer (React)", "frontend"), ("Full-stack Developer", "fullstack"),
    ("Backend Engineer, Go", "backend"), ("Senior Python Engineer", "backend"),
    ("Engineering Manager", "management"), ("Office Assistant", "other"),
])
def test_role_family_is_read_from_the_title(title, family):
    assert role_family(title) == family


def test_only_decisions_before_the_start_of_the_day_count():
    today = datetime(2026, 6, 10, 0, 0, tzinfo=UTC)
    history = [
        decision(today - 3 * DAY, lost=True),
        decision(today - 2 * DAY, lost=False),
        decision(today - DAY + timedelta(hours=23), lost=True),  # the evening before: counts
        decision(today + timedelta(hours=8), lost=True),  # earlier the same day: the outcome's own day
        decision(today + timedelta(hours=15), lost=True),  # the application's own outcome
        decision(today + 5 * DAY, lost=True),  # later
    ]
    record = TrackRecord(history, UTC)
    seen = record.as_of(today + timedelta(hours=14, minutes=59), client="Globex", title="Python Engineer",
                        source="referral")
    # 3 decided before the day, 2 lost: the group is everyone, so its rate is the overall one.
    assert seen.values == {CLIENT: pytest.approx(0.0), ROLE_FAMILY: pytest.approx(0.0), SOURCE: pytest.approx(0.0)}
    assert seen.texts[CLIENT] == "Candidates for Globex were lost in 2 of 3 past decisions (67%), against 67% overall"

    # Whatever the day's and later outcomes were, the features are the same.
    flipped = [replace(item, lost=not item.lost) if item.decided_at >= today else item for item in history]
    again = TrackRecord(flipped, UTC).as_of(today + timedelta(hours=14, minutes=59), client="Globex",
                                            title="Python Engineer", source="referral")
    assert again == seen
    # The next day, the day's outcomes count.
    tomorrow = record.as_of(today + DAY, client="Globex", title="Python Engineer", source="referral")
    assert tomorrow.texts[CLIENT].startswith("Candidates for Globex were lost in 4 of 5 past decisions")


def test_a_group_rate_is_shrunk_toward_the_overall_rate():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    history = [decision(start + index * DAY, lost=index % 4 == 0, client="Initech") for index in range(40)]
    history += [decision(start + index * DAY, lost=True, client="Globex") for index in range(5)]
    record = TrackRecord(history, UTC)
    seen = record.as_of(start + 60 * DAY, client="Globex", title="Chef", source="")
    overall = (10 + 5) / 45
    shrunk = (5 + PRIOR_OUTCOMES * overall) / (5 + PRIOR_OUTCOMES)
    assert seen.values[CLIENT] == pytest.approx(logit(shrunk) - logit(overall))
    assert 0 < seen.values[CLIENT] < logit(0.99) - logit(overall)  # five losses of five: not a certainty
    assert seen.values[SOURCE] == 0.0 and SOURCE not in seen.texts  # source unknown: no different from anyone
    unknown = record.as_of(start + 60 * DAY, client="Umbrella", title="Chef", source="")
    assert unknown.values[CLIENT] == 0.0  # a client never decided before


def test_nothing_decided_yet_gives_zeros():
    record = TrackRecord([decision(NOW + DAY, lost=True)], UTC)
    assert set(record.as_of(NOW, client="Globex", title="Python", source="referral").values.values()) == {0.0}


def test_the_engine_weighs_the_track_record_only_for_a_trained_model_that_has_weights_for_it():
    history = [decision(NOW - (index + 2) * DAY, lost=index % 3 != 0) for index in range(30)]
    history += [decision(NOW - (index + 2) * DAY, lost=False, client="Initech") for index in range(30)]
    record = TrackRecord(history, UTC)
    application = facts(job=job(client="Globex"), candidate_source="referral")
    plain = assess(application, NOW)
    # The experts weigh no history: the same risk with the record attached.
    assert assess(application, NOW, weights=replace(EXPERT_WEIGHTS, track_record=record)) == plain
    trained = Weights(EXPERT_WEIGHTS.base_log_odds, EXPERT_WEIGHTS.weights, "model v9",
                      history={CLIENT: 1.5}, track_record=record)
    risk = assess(application, NOW, weights=trained)
    expected = record.as_of(NOW, client="Globex", title=application.job.title, source="referral").values[CLIENT]
    assert expected > 0
    assert risk.features[CLIENT] == pytest.approx(expected)
    assert logit(risk.probability) == pytest.approx(logit(plain.probability) + 1.5 * expected)
    reason = next(reason for reason in risk.reasons if reason.code == CLIENT)
    assert reason.text == "Candidates for Globex were lost in 20 of 30 past decisions (67%), against 33% overall"
    # A client with a better record than average lowers the risk and gives no reason.
    better = assess(replace(application, job=job(client="Initech")), NOW, weights=trained)
    assert better.probability < plain.probability
    assert CLIENT not in {reason.code for reason in better.reasons}


def test_history_weights_change_the_snapshot_key_and_the_experts_key_is_unchanged():
    from homestretch.risk.snapshots import scoring_key

    trained = Weights(EXPERT_WEIGHTS.base_log_odds, EXPERT_WEIGHTS.weights, "model v9", history={CLIENT: 1.5})
    without = Weights(EXPERT_WEIGHTS.base_log_odds, EXPERT_WEIGHTS.weights, "model v9")
    assert scoring_key(trained) != scoring_key(without)
    assert scoring_key(replace(EXPERT_WEIGHTS, track_record=TrackRecord([], UTC))) == scoring_key(EXPERT_WEIGHTS)
