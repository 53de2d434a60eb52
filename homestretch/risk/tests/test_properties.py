"""Properties of the risk engine over any application hypothesis can think of."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from homestretch.risk.engine import assess
from homestretch.risk.weights import FEATURE_NAMES
from homestretch.situation.build import build_situation
from homestretch.situation.facts import ApplicationFacts, CompetingFact, ContactSummary, OfferFact, PrioritiesFact

from .builders import NOW, TODAY, facts, job

STAGES = ["sourced", "screening", "interviewing", "final_interview", "verification", "offer", "accepted", "on_hold",
          "started", "declined", "reneged", "withdrawn", "rejected"]
CURRENCIES = ["EUR", "EUR", "EUR", "USD"]
PERIODS = ["year", "year", "year", "month"]

hours_ago = st.integers(min_value=0, max_value=24 * 120).map(lambda hours: NOW - timedelta(hours=hours))
maybe_hours_ago = st.none() | hours_ago
dates_around = st.integers(min_value=-30, max_value=150).map(lambda days: TODAY + timedelta(days=days))
amounts = st.integers(min_value=1_000, max_value=300_000).map(Decimal)


@st.composite
def offers(draw, revision: int = 1) -> OfferFact:
    base = draw(amounts)
    return OfferFact(
        revision=revision,
        status=draw(st.sampled_from(["draft", "approved", "extended", "accepted", "declined", "expired"])),
        base=base, total=base + draw(st.integers(min_value=0, max_value=50_000)),
        currency=draw(st.sampled_from(CURRENCIES)), period=draw(st.sampled_from(PERIODS)),
        remote_policy=draw(st.sampled_from(["onsite", "hybrid", "remote"])),
        remote_days=draw(st.none() | st.integers(min_value=0, max_value=5)),
        start_date=draw(st.none() | dates_around), sent_at=draw(maybe_hours_ago),
        expires_on=draw(st.none() | dates_around), responded_at=draw(maybe_hours_ago), created_at=draw(hours_ago),
    )


# A competing offer's bonus or equity: not known (None), none (0) or an amount.
extras = st.none() | st.just(Decimal(0)) | st.integers(min_value=1, max_value=50_000).map(Decimal)


@st.composite
def competing_offers(draw) -> CompetingFact:
    base = draw(st.none() | amounts)
    return CompetingFact(
        company=draw(st.sampled_from(["Acme", "Initech", "Hooli"])),
        kind=draw(st.sampled_from(["external", "external", "counteroffer"])),
        stage=draw(st.sampled_from(["applied", "interviewing", "final", "offer", "accepted", "closed"])),
        base=base, bonus=None if base is None else draw(extras), equity=None if base is None else draw(extras),
        currency=draw(st.sampled_from(CURRENCIES)), period=draw(st.sampled_from(PERIODS)),
        remote_policy=draw(st.sampled_from(["", "onsite", "hybrid", "remote"])),
        deadline=draw(st.none() | dates_around), learned_at=draw(hours_ago), confidential=draw(st.booleans()),
    )


interest = st.none() | st.integers(min_value=1, max_value=5)


@st.composite
def contact_summaries(draw) -> ContactSummary:
    touchpoints = draw(st.integers(min_value=0, max_value=30))
    return ContactSummary(
        touchpoints=touchpoints,
        last_contact_at=draw(hours_ago) if touchpoints else None,
        last_inbound_at=draw(maybe_hours_ago), last_competition_asked_at=draw(maybe_hours_ago),
        last_competition_answer=draw(st.sampled_from(["", "disclosed", "none", "declined_to_say"])),
        latest_interest=draw(interest), previous_interest=draw(interest),
        last_status_update_at=draw(maybe_hours_ago),
    )


@st.composite
def priorities(draw) -> PrioritiesFact:
    base_min = draw(st.none() | amounts)
    return PrioritiesFact(
        base_min=base_min, base_target=None if base_min is None else base_min + 5000,
        currency=draw(st.sampled_from(CURRENCIES)), period=draw(st.sampled_from(PERIODS)),
        remote_preference=draw(st.sampled_from(["any", "onsite", "hybrid", "remote"])),
        remote_days=draw(st.none() | st.integers(min_value=0, max_value=5)),
        notice_days=draw(st.none() | st.integers(min_value=0, max_value=200)),
        earliest_start=draw(st.none() | dates_around),
        importance={"remote": draw(st.integers(min_value=1, max_value=5))},
    )


@st.composite
def applications(draw) -> ApplicationFacts:
    stage = draw(st.sampled_from(STAGES))
    created = NOW - timedelta(hours=draw(st.integers(min_value=0, max_value=24 * 200)))
    entered = created + (NOW - created) * draw(st.floats(min_value=0, max_value=1))
    revisions = draw(st.lists(offers(), max_size=2))
    return facts(
        stage=stage,
        stage_before_hold=draw(st.none() | st.sampled_from(STAGES[:7])) if stage == "on_hold" else None,
        created_at=created, stage_entered_at=entered,
        accepted_at=draw(maybe_hours_ago),
        job=job(remote_policy=draw(st.sampled_from(["onsite", "hybrid", "remote"])),
                currency=draw(st.sampled_from(CURRENCIES))),
        offers=tuple(replace(offer, revision=i + 1) for i, offer in enumerate(revisions)),
        competing=tuple(draw(st.lists(competing_offers(), max_size=3))),
        contacts=draw(contact_summaries()),
        priorities=draw(st.none() | priorities()),
        start_date_at_acceptance=draw(st.none() | dates_around),
    )


@given(applications())
def test_the_score_stays_within_0_and_100_and_agrees_with_the_band(application):
    risk = assess(application, NOW)
    if risk.probability is None:
        assert risk.score is None and risk.band is None and risk.missing
        return
    assert 0 <= risk.probability <= 1
    assert 0 <= risk.score <= 100
    assert risk.band in ("low", "medium", "high")
    assert all(value >= 0 for value in risk.features.values())
    assert tuple(risk.features) == FEATURE_NAMES
    if risk.reasons:
        assert abs(sum(reason.share for reason in risk.reasons) - 1) < 1e-9
    risk.as_dict()  # every sentence can be written


@given(applications(), st.integers(min_value=0, max_value=2), st.integers(min_value=1, max_value=100_000))
def test_the_score_never_falls_when_a_competing_offer_rises(application, which, raise_by):
    assume(application.competing)
    index = which % len(application.competing)
    rival = application.competing[index]
    assume(rival.base is not None)
    raised = replace(rival, base=rival.base + raise_by)  # the total, when known, rises as much
    better_rival = replace(application, competing=(*application.competing[:index], raised,
                                                   *application.competing[index + 1:]))
    before, after = assess(application, NOW), assess(better_rival, NOW)
    if before.probability is None:
        return
    assert after.probability >= before.probability
    assert after.score >= before.score


@given(applications(), st.integers(min_value=1, max_value=24 * 60))
def test_the_score_never_falls_when_the_contact_gap_grows(application, hours_earlier):
    last_contact = application.contacts.last_contact_at
    assume(last_contact is not None)
    quieter = replace(application, contacts=replace(application.contacts,
                                                     last_contact_at=last_contact - timedelta(hours=hours_earlier)))
    before, after = assess(application, NOW), assess(quieter, NOW)
    if before.probability is None:
        return
    assert after.probability >= before.probability
    assert after.score >= before.score


@given(applications(), competing_offers(), st.data())
def test_the_score_never_falls_when_a_competing_process_moves_on(application, rival, data):
    # The rival and its later stage are drawn directly (not filtered out of random draws), so that
    # Hypothesis never gives up for lack of valid examples.
    order = ["applied", "interviewing", "final", "offer", "accepted"]
    assume(rival.stage in order[:-1])
    further = data.draw(st.sampled_from(order[order.index(rival.stage) + 1:]), label="further")
    application = replace(application, competing=(rival, *application.competing))
    moved = replace(rival, stage=further)
    before = assess(application, NOW)
    after = assess(replace(application, competing=(moved, *application.competing[1:])), NOW)
    if before.probability is None:
        return
    assert after.probability >= before.probability


def our_pay(application: ApplicationFacts) -> tuple[Decimal, str, str]:
    """Our base, currency and period: the current offer's at NOW, else the middle of the job's band."""
    for offer in reversed(application.offers):
        if offer.status != "superseded" and offer.created_at <= NOW:
            return offer.base, offer.currency, offer.period
    midpoint = application.job.band_midpoint
    assert midpoint is not None  # the builders' job always has a band
    return midpoint, application.job.currency, application.job.period


@st.composite
def pay_races(draw) -> ApplicationFacts:
    """Applications where pay is at stake: our offer (or the band) and the competing offers in one currency
    and period, so that asks are common rather than one draw in twenty."""
    application = draw(applications())
    currency, period = "EUR", "year"
    revisions = tuple(replace(offer, currency=currency, period=period, created_at=NOW - timedelta(days=1))
                      for offer in application.offers)
    rivals = tuple(replace(rival, currency=currency, period=period,
                           stage=draw(st.sampled_from(["offer", "offer", "accepted", "final", "closed"])))
                   for rival in draw(st.lists(competing_offers(), min_size=1, max_size=3)))
    wanted = application.priorities
    if wanted is not None:
        wanted = replace(wanted, currency=currency, period=period)
    return replace(application, stage="offer", job=job(currency=currency, period=period), offers=revisions,
                   competing=rivals, priorities=wanted)


@given(applications() | pay_races())
def test_an_ask_beats_our_base_and_is_never_below_a_competing_base_or_the_minimum(application):
    ask = build_situation(application, NOW).ask
    if ask is None:
        return
    ours, currency, period = our_pay(application)
    assert ask.amount > ours
    assert (ask.currency, ask.period) == (currency, period)
    for rival in application.competing:
        if (rival.stage in ("offer", "accepted") and rival.learned_at <= NOW and rival.base is not None
                and (rival.currency, rival.period) == (currency, period)):
            assert ask.amount >= rival.base
    wanted = application.priorities
    if wanted is not None and wanted.base_min is not None and (wanted.currency, wanted.period) == (currency, period):
        assert ask.amount >= wanted.base_min
