"""A change to the scoring rules comes with a new RULES_REVISION, or CI fails.

Risk snapshots (homestretch.risk.snapshots) are keyed by RULES_REVISION: rules changed without a new
revision leave yesterday's risk on every page until midnight. So a fixed set of applications, built
here in code, is scored with the pure engine at a fixed moment, the default cadence and the expert
weights, and what a recruiter sees of each (probability, band, due, reasons, actions) is compared
with what the same scenarios gave when the revision was last set, stored beside this file in
rules_revision.json. A difference under the same revision is a rule change nobody declared.

Regenerate the stored results (after bumping the revision, or adding a scenario) with

    HOMESTRETCH_UPDATE_RULES=1 .venv/bin/pytest homestretch/risk/tests/test_rules_revision.py

The scenarios use only the default cadence and the expert weights: these and the fitted weights are
in the snapshot's key already (snapshots.scoring_key), and a team's own cadence counts a change on
its applications, so none of them needs a revision; the rules that read them do.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from homestretch.cadence.due import due_reasons
from homestretch.cadence.rules import DEFAULT_CADENCE
from homestretch.risk import snapshots
from homestretch.risk.engine import assess
from homestretch.risk.loader import SCORED_STAGES
from homestretch.risk.weights import EXPERT_WEIGHTS, FEATURE_NAMES
from homestretch.situation.facts import ApplicationFacts, ContactSummary

from .builders import NOW, competing, contacts, days_ago, facts, in_days, job, offer, priorities

STORED = Path(__file__).with_name("rules_revision.json")
THIS_TEST = "homestretch/risk/tests/test_rules_revision.py"
UPDATE_VARIABLE = "HOMESTRETCH_UPDATE_RULES"
REGENERATE = f"{UPDATE_VARIABLE}=1 pytest {THIS_TEST}"
# How many changed scenarios a failure spells out; the rest are only named.
SHOWN_DIFFS = 5


# --- The scenarios: one application each, as of NOW (a Friday morning), all on the default cadence.

def _before_an_offer(stage: str, **changes: Any) -> ApplicationFacts:
    """An application at `stage`, before any offer of ours, entered three days ago."""
    return facts(**{"stage": stage, "stage_entered_at": days_ago(3), "offers": ()} | changes)


def _accepted(**changes: Any) -> ApplicationFacts:
    """Accepted two days ago (our offer sent four days ago), starting in five weeks, with a 30-day notice."""
    ours = {"status": "accepted", "sent_at": days_ago(4), "responded_at": days_ago(2), "start_date": in_days(35)}
    ours |= changes.pop("offer", {})
    return facts(**{"stage": "accepted", "stage_entered_at": days_ago(2), "accepted_at": days_ago(2),
                    "offers": (offer(**ours),), "priorities": priorities(notice_days=30)} | changes)


def _never_in_touch() -> ContactSummary:
    return contacts(touchpoints=0, last_contact_at=None, last_inbound_at=None, last_competition_asked_at=None,
                    last_competition_answer="", latest_interest=None, previous_interest=None,
                    last_status_update_at=None)


SCENARIOS: dict[str, Callable[[], ApplicationFacts]] = {
    # Each stage of the home stretch, on the cadence and then behind it.
    "offer_extended_nothing_wrong": lambda: facts(),
    "screening_on_cadence": lambda: _before_an_offer("screening"),
    "final_interview_stalled_for_a_month": lambda: _before_an_offer(
        "final_interview", stage_entered_at=days_ago(30), contacts=contacts(last_status_update_at=days_ago(12))),
    "verification_call_due_today": lambda: _before_an_offer(
        "verification", contacts=contacts(last_contact_at=days_ago(2))),
    "offer_stage_a_week_of_silence": lambda: facts(contacts=contacts(
        last_contact_at=days_ago(9), last_competition_asked_at=days_ago(9), last_inbound_at=days_ago(9),
        last_status_update_at=days_ago(9))),
    "on_hold_from_the_final_interview": lambda: facts(
        stage="on_hold", stage_before_hold="final_interview", stage_entered_at=days_ago(12), offers=(),
        contacts=contacts(last_contact_at=days_ago(10))),
    "on_hold_without_the_stage_before": lambda: facts(
        stage="on_hold", stage_entered_at=days_ago(20), offers=(), contacts=contacts(last_contact_at=days_ago(5))),

    # Competing offers: pay known in full, base told alone, nothing told, another currency.
    "competing_offer_better_in_total_deadline_in_two_days": lambda: facts(
        offers=(offer(base=80000),),
        competing=(competing("Acme", total=89600, deadline=in_days(2), learned_at=days_ago(4)),),
        contacts=contacts(last_contact_at=days_ago(4), last_competition_asked_at=days_ago(4),
                          last_inbound_at=days_ago(4), last_status_update_at=days_ago(4))),
    "competing_offer_with_known_bonus_and_equity": lambda: facts(
        competing=(competing("Acme", base=82000, bonus=Decimal(8000), equity=Decimal(10000),
                             deadline=in_days(10)),)),
    "competing_offer_base_told_bonus_unknown": lambda: facts(
        offers=(offer(base=81500, total=96000),), competing=(competing("Acme", base=95000, total=None),)),
    "competing_offer_pay_not_told": lambda: facts(competing=(competing("Acme", base=None, total=None),)),
    "competing_offer_in_another_currency": lambda: facts(
        competing=(competing("Acme", total=110000, currency="USD"),)),
    "competing_offer_lower_than_ours": lambda: facts(competing=(competing("Acme", total=75000),)),
    "confidential_competitor_at_final_and_two_others": lambda: _before_an_offer(
        "interviewing", competing=(competing("Umbrella", stage="final", base=None, total=None, confidential=True),
                                   competing("Hooli", stage="interviewing", base=None, total=None),
                                   competing("Initrode", stage="applied", base=None, total=None))),
    "accepted_an_offer_elsewhere": lambda: facts(
        competing=(competing("Acme", stage="accepted", total=92000, learned_at=days_ago(1)),)),
    "draft_offer_racing_a_deadline": lambda: facts(
        offers=(offer(status="draft", sent_at=None, expires_on=None),),
        competing=(competing("Acme", total=85000, deadline=in_days(5)),)),

    # Counteroffers from the current employer: talked about, made, accepted.
    "counteroffer_talked_about": lambda: facts(
        competing=(competing("Initech", kind="counteroffer", stage="interviewing", base=None, total=None),)),
    "counteroffer_made_pays_more": lambda: facts(
        competing=(competing("Initech", kind="counteroffer", stage="offer", total=86000, deadline=in_days(3)),)),
    "counteroffer_accepted": lambda: facts(
        competing=(competing("Initech", kind="counteroffer", stage="accepted", total=88000),)),

    # The competition asked about: never, long ago, or the candidate would not say.
    "competition_never_asked_and_the_candidate_never_wrote": lambda: facts(
        created_at=days_ago(25), contacts=contacts(last_competition_asked_at=None, last_competition_answer="",
                                                   last_inbound_at=None)),
    "declined_to_say_what_else": lambda: facts(contacts=contacts(last_competition_answer="declined_to_say")),

    # Priorities our offer misses: pay, remote days, start date; and none recorded.
    "our_base_below_the_minimum": lambda: facts(
        offers=(offer(base=76000),), priorities=priorities(base_min=Decimal(82000), base_target=Decimal(90000))),
    "band_midpoint_below_the_minimum_before_an_offer": lambda: _before_an_offer(
        "interviewing", priorities=priorities(base_min=Decimal(95000))),
    "remote_days_the_job_allows_but_we_do_not_offer": lambda: facts(
        job=job(remote_policy="hybrid", remote_days=3), offers=(offer(remote_policy="hybrid", remote_days=1),),
        priorities=priorities(remote_preference="hybrid", remote_days=3)),
    "fully_remote_wanted_for_an_onsite_job": lambda: facts(
        job=job(remote_policy="onsite", remote_days=None), offers=(offer(remote_policy="onsite", remote_days=None),),
        priorities=priorities(remote_preference="remote", importance={"remote": 5})),
    "our_start_a_month_later_than_needed": lambda: facts(
        offers=(offer(start_date=in_days(45)),), priorities=priorities(earliest_start=in_days(12))),
    "our_start_before_the_notice_ends": lambda: facts(
        offers=(offer(start_date=in_days(10)),), priorities=priorities(notice_days=60)),
    "no_priorities_recorded": lambda: facts(priorities=None),

    # Interest.
    "interest_fell_from_four_to_two": lambda: facts(contacts=contacts(latest_interest=2, previous_interest=4)),

    # Our offer: extended and expiring, revised and approved but not sent. After acceptance: notice, wait,
    # pushed start, slow yes, start tomorrow or not set.
    "our_offer_expires_tomorrow": lambda: facts(offers=(offer(expires_on=in_days(1)),)),
    "revised_offer_approved_not_sent_with_a_deadline_elsewhere": lambda: facts(
        offers=(offer(status="superseded", base=78000, created_at=days_ago(8), sent_at=days_ago(8)),
                offer(revision=2, status="approved", base=86000, created_at=days_ago(1), sent_at=None,
                      expires_on=None)),
        competing=(competing("Acme", total=88000, deadline=in_days(4)),)),
    "accepted_with_a_three_month_notice": lambda: _accepted(
        priorities=priorities(notice_days=90), offer={"start_date": in_days(88)}),
    "accepted_waiting_ten_weeks_no_notice_known": lambda: _accepted(
        priorities=priorities(), offer={"start_date": in_days(68)}),
    "accepted_start_pushed_and_a_counteroffer": lambda: _accepted(
        offer={"start_date": in_days(50)}, start_date_at_acceptance=in_days(29),
        competing=(competing("Initech", kind="counteroffer", stage="offer", total=86000, learned_at=days_ago(1)),)),
    "accepted_after_twelve_days": lambda: _accepted(
        offer={"sent_at": days_ago(14)}, contacts=contacts(last_contact_at=days_ago(5))),
    "accepted_starts_tomorrow": lambda: _accepted(
        stage_entered_at=days_ago(30), accepted_at=days_ago(30),
        offer={"start_date": in_days(1), "sent_at": days_ago(32), "responded_at": days_ago(30)}),
    "accepted_without_a_start_date": lambda: _accepted(offer={"start_date": None}),

    # Not scored: too little known, not on the home stretch, closed.
    "thin_data_never_in_touch": lambda: _before_an_offer("screening", priorities=None, contacts=_never_in_touch()),
    "only_sourced": lambda: facts(stage="sourced", offers=()),
    "declined_and_closed": lambda: facts(stage="declined"),
}


# --- What a recruiter sees of each, and what its snapshot stores.

def seen(application: ApplicationFacts) -> dict[str, Any]:
    """The probability (to 4 places), band, due status (as snapshots._recompute stores it: due today or
    not, and the most pressing reason's overdue days), and the reason and action texts in order."""
    risk = assess(application, NOW, DEFAULT_CADENCE, EXPERT_WEIGHTS)
    # The snapshot's day is the local date; NOW's own date keeps the stored file free of the time zone.
    due = due_reasons(application, NOW.date(), DEFAULT_CADENCE) if application.stage in SCORED_STAGES else []
    return {
        "probability": None if risk.probability is None else round(risk.probability, 4),
        "band": risk.band,
        "due": bool(due),
        "overdue_days": due[0].overdue_days if due else None,
        "reasons": [reason.text for reason in risk.reasons],
        "actions": [action.text for action in risk.actions],
    }


def computed() -> dict[str, dict[str, Any]]:
    return {name: seen(build()) for name, build in SCENARIOS.items()}


# --- Telling what changed.

def _scenario_diff(name: str, before: dict[str, Any], now: dict[str, Any]) -> str:
    lines = [f"  {name}:"]
    for key in [*now, *(key for key in before if key not in now)]:
        was, is_ = before.get(key), now.get(key)
        if was == is_:
            continue
        if isinstance(was, list) and isinstance(is_, list):
            lines.append(f"    {key}:")
            lines.extend(f"      {line}" for line in difflib.ndiff(was, is_) if line[:1] in "-+")
        else:
            lines.append(f"    {key}: {was!r} -> {is_!r}")
    return "\n".join(lines)


def describe(stored: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]) -> tuple[list[str], str]:
    """The names of the scenarios whose result changed, and a readable account of every difference
    (the first SHOWN_DIFFS changed scenarios in full, scenarios added or removed by name)."""
    changed = [name for name in now if name in stored and stored[name] != now[name]]
    parts = [_scenario_diff(name, stored[name], now[name]) for name in changed[:SHOWN_DIFFS]]
    if len(changed) > SHOWN_DIFFS:
        parts.append(f"  ... and {len(changed) - SHOWN_DIFFS} more: {', '.join(changed[SHOWN_DIFFS:])}")
    added = [name for name in now if name not in stored]
    removed = [name for name in stored if name not in now]
    if added:
        parts.append(f"  scenarios not stored yet: {', '.join(added)}")
    if removed:
        parts.append(f"  stored scenarios no longer built: {', '.join(removed)}")
    return changed, "\n".join(parts)


def _as_json(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # What json.loads gives back for the same results (tuples as lists), for a like-for-like comparison.
    return json.loads(json.dumps(results))


# --- The tests.

def test_a_rule_change_needs_a_new_revision():
    results = _as_json(computed())
    revision = snapshots.RULES_REVISION
    if os.environ.get(UPDATE_VARIABLE) == "1":
        STORED.write_text(json.dumps({"revision": revision, "scenarios": results}, indent=2, ensure_ascii=False)
                          + "\n", encoding="utf-8")
        return

    stored = json.loads(STORED.read_text(encoding="utf-8"))
    changed, differences = describe(stored["scenarios"], results)
    if changed and stored["revision"] == revision:
        pytest.fail(
            f"{len(changed)} scenario(s) scored differently under RULES_REVISION {revision}:\n{differences}\n"
            f"the scoring rules changed: bump RULES_REVISION in homestretch/risk/snapshots.py and regenerate "
            f"with {REGENERATE}", pytrace=False,
        )
    if stored["revision"] != revision:
        # Regenerated even when no result changed: a file left at the old revision would take the next
        # undeclared rule change for the one already declared.
        changes = f"; the results changed:\n{differences}\n" if differences else "; no result changed. "
        pytest.fail(f"RULES_REVISION is {revision} but {STORED.name} was made under {stored['revision']}{changes}"
                    f"regenerate the stored file with {REGENERATE}", pytrace=False)
    if differences:
        pytest.fail(f"the scenarios changed, not their results:\n{differences}\nregenerate with {REGENERATE}",
                    pytrace=False)


def test_the_scenarios_raise_every_feature_and_cover_the_unscored():
    """A feature no scenario raises could change unseen: a new feature needs a scenario here."""
    raised: set[str] = set()
    not_scored: set[str] = set()
    for build in SCENARIOS.values():
        risk = assess(build(), NOW, DEFAULT_CADENCE, EXPERT_WEIGHTS)
        raised.update(reason.code for reason in risk.reasons)
        if risk.probability is None:
            not_scored.add("closed" if "closed" in risk.missing[0] else "sourced" if "sourced" in risk.missing[0]
                           else "too thin")
    assert [name for name in FEATURE_NAMES if name not in raised] == []
    assert not_scored == {"closed", "sourced", "too thin"}
