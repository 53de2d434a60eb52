"""brief_for: loading one application's brief from the database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homestretch.briefs.services import brief_for
from homestretch.pipeline.models import Application

pytestmark = pytest.mark.django_db


def test_unknown_application_raises_does_not_exist(db, now):
    with pytest.raises(Application.DoesNotExist, match="No application with id 987654"):
        brief_for(987654, now=now)


def test_application_created_after_now_does_not_exist_yet(application, now):
    with pytest.raises(Application.DoesNotExist, match="did not exist yet"):
        brief_for(application.pk, now=now - timedelta(days=1))


def test_bad_audience_is_refused_before_any_query(application, now, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ValueError, match="^audience must be internal or client$"):
        brief_for(application.pk, audience="hiring-manager", now=now)


def test_full_application_levers_to_the_unit(full_application, now):
    brief = brief_for(full_application.pk, now=now)
    levers = {lever.code: lever for lever in brief.levers}
    # Our offer: base 85,000 + bonus 5,000 = 90,000. The floors: the confidential offer's base
    # 101,234 x 1.03 = 104,271.02; its total (both known) 104,567 x 1.03 - 5,000 = 102,704.01; the
    # counteroffer's base (its total not known) 90,000 x 1.03 = 92,700; the minimum 85,000. The highest,
    # 104,271.02 -> 105,000, above the band's top of 95,000. (It was 103,000 when only the total counted:
    # an ask may not fall below a competing base x 1.03.)
    assert levers["base"].amount == Decimal(105000)
    assert levers["base"].flag == "above_band"
    assert "Zyxwo Secretcorp's offer pays a base of 101,234 EUR (beaten by 3 %)" in levers["base"].text
    assert levers["offer_by"].flag == "offer_already_out"
    assert levers["remote_days"].days == 3  # wants 5 (remote), the job allows 3, our offer has 1
    assert str(levers["start_date"].on) == "2026-12-21"
    assert brief.application.hiring_manager == "Hannah Hill"
    assert "Python, a path to staff" in [line.wanted for line in brief.priorities]
    umbrella = next(line for line in brief.competing_offers if line.company == "Umbrella")
    assert not umbrella.compared
    assert any(text.startswith("Umbrella's offer is in USD per year, ours in EUR per year") for text in brief.missing)


def test_closed_application_is_briefed_as_it_stood_and_says_it_is_closed(full_application, alice, now):
    from homestretch.pipeline import services

    move = services.StageMove(to_stage="withdrawn", reason="took another offer", loss_reason="competing_offer")
    services.move_stage(full_application.pk, move, by=alice, at=now + timedelta(hours=1))
    brief = brief_for(full_application.pk, now=now + timedelta(hours=2))
    assert brief.application.closed
    assert brief.application.stage == "withdrawn"
    assert brief.missing[0] == ("This application is closed (withdrawn on 2026-11-20): "
                                "the brief shows what was known, no levers apply")
    assert brief.levers == ()
    assert len(brief.competing_offers) == 4


def test_queries_do_not_grow_with_the_data(application, alice, now):
    from homestretch.briefs.tests.conftest import make_full_application
    from homestretch.offers import services as offers
    from homestretch.offers.models import CompetingOffer

    with CaptureQueriesContext(connection) as thin:
        brief_for(application.pk, now=now)
    make_full_application(application, alice, now)
    for n in range(10):
        offers.record_competing_offer(CompetingOffer(
            candidate=application.candidate, company=f"Company {n}", stage="interviewing",
            learned_at=now - timedelta(hours=n + 1)), by=alice)
    with CaptureQueriesContext(connection) as full:
        brief = brief_for(application.pk, now=now)
    assert len(brief.competing_offers) == 14
    assert len(full.captured_queries) <= len(thin.captured_queries) + 1  # +1: the offer-status history
    assert len(full.captured_queries) <= 16
