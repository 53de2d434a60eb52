"""The demo agency: it fills every table with believable, valid data, the same way every time,
and gives the demo recruiter's Today agenda real work. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Q

from homestretch.accounts.choices import Role
from homestretch.accounts.models import Team, User
from homestretch.demo.generator import (
    DEMO_PASSWORD,
    DatabaseNotEmpty,
    database_is_empty,
    demo_login_email,
    demo_tables,
    generate,
)
from homestretch.offers.choices import OPEN_OFFER_STATUSES, CompetingKind, OfferStatus
from homestretch.offers.models import CompetingOffer, Offer, OfferEvent, Priorities
from homestretch.offers.services import OFFER_TRANSITIONS
from homestretch.pipeline import stages
from homestretch.pipeline.choices import CompetitionAnswer, Stage
from homestretch.pipeline.models import Application, Candidate, Job, StageChange, Touchpoint

pytestmark = pytest.mark.django_db
TABLES = demo_tables()


@pytest.fixture
def summary(now):
    return generate("small", 1, now=now)


def dump() -> dict[str, list[tuple]]:
    """Every row of every demo table, in id order, every column."""
    return {
        label: list(
            model._default_manager.order_by("pk").values_list(*[f.attname for f in model._meta.concrete_fields])
        )
        for label, model in TABLES
    }


def wipe() -> None:
    with connection.cursor() as cursor:
        for _, model in reversed(TABLES):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def open_applications():
    return Application.objects.filter(closed_at__isnull=True)


# ---------------------------------------------------------------------------------------------
# Volume and shape


def test_small_scale_fills_every_table(summary):
    for label, model in TABLES:
        assert model.objects.count() == summary.counts[label] > 0, label
    assert summary.counts["applications"] == 300
    assert summary.counts["touchpoints"] == 6_000
    assert 4 <= User.objects.filter(role=Role.RECRUITER).count() <= 6
    assert summary.rows == sum(summary.counts.values())
    assert summary.rows_per_second > 0  # how fast is for benchmarks/demo_generation.py, not for a test


def test_every_stage_is_present(summary):
    present = set(Application.objects.values_list("stage", flat=True).distinct())
    assert present == set(Stage.values)


def test_twelve_months_of_closed_history_with_reasons(summary, now):
    closed = Application.objects.filter(closed_at__isnull=False)
    assert closed.filter(closed_at__lte=now - timedelta(days=270)).exists()
    reasons = set(StageChange.objects.exclude(loss_reason="").values_list("loss_reason", flat=True))
    assert len(reasons) >= 5
    lost = Offer.objects.filter(status__in=[OfferStatus.DECLINED, OfferStatus.RENEGED])
    assert lost.exclude(won_by="").exists()
    assert Job.objects.exclude(lessons="").exists()
    assert Application.objects.exclude(lessons="").exists()


def test_pay_bands_follow_the_city_currency(summary):
    expected = {"Berlin": "EUR", "Amsterdam": "EUR", "Paris": "EUR", "Madrid": "EUR", "London": "GBP",
                "Manchester": "GBP", "New York": "USD", "Austin": "USD", "San Francisco": "USD",
                "Bangalore": "INR", "Pune": "INR"}
    for location, currency in Job.objects.values_list("location", "currency").distinct():
        assert expected[location] == currency
    assert {"EUR", "USD", "GBP", "INR"} <= set(Job.objects.values_list("currency", flat=True))
    assert not Job.objects.filter(base_min__gt=F("base_max")).exists()


def test_accounts_sign_in_with_the_demo_password(summary):
    recruiter = User.objects.get(email=summary.login_email)
    assert recruiter.role == Role.RECRUITER and recruiter.team is not None
    assert recruiter.check_password(DEMO_PASSWORD)
    admin = User.objects.get(email=summary.admin_email)
    assert admin.is_staff and admin.is_superuser and admin.role == Role.ADMIN
    assert User.objects.filter(role=Role.VIEWER, is_staff=False).count() == 1
    assert {a.email for a in summary.accounts} >= {summary.login_email, summary.admin_email}
    assert demo_login_email() == summary.login_email


# ---------------------------------------------------------------------------------------------
# The demo recruiter's day


def test_demo_login_has_contacts_due(summary, now):
    recruiter = User.objects.get(email=summary.login_email)
    mine = open_applications().filter(recruiter=recruiter).annotate(last_contact=Max("touchpoints__at"))
    gaps = [(now - a.last_contact).days for a in mine]
    assert len([g for g in gaps if 3 <= g <= 8]) >= 4
    assert set(mine.values_list("stage", flat=True)) >= set(stages.PROCESS) | {Stage.ON_HOLD}
    never_asked = mine.filter(stage__in=stages.HOME_STRETCH).annotate(
        asked=Count("touchpoints", filter=Q(touchpoints__competition_asked=True))
    ).filter(asked=0)
    assert never_asked.exists()


def test_competing_offers_press_on_open_offers(summary, now):
    today = now.date()
    competing = CompetingOffer.objects.filter(candidate__applications__closed_at__isnull=True)
    assert competing.filter(deadline__gte=today, deadline__lte=today + timedelta(days=3)).exists()
    assert competing.filter(confidential=True).exists()
    assert competing.filter(kind=CompetingKind.COUNTEROFFER).exists()
    paying_more = 0
    for offer in Offer.objects.filter(status__in=OPEN_OFFER_STATUSES).select_related("application"):
        rivals = CompetingOffer.objects.filter(
            candidate_id=offer.application.candidate_id, currency=offer.currency, period=offer.period,
            base__gt=offer.base,
        )
        paying_more += rivals.exists()
    assert paying_more >= 2


# ---------------------------------------------------------------------------------------------
# Same seed, same data


def test_same_seed_and_now_give_identical_data(summary, now):
    first = dump()
    wipe()
    assert database_is_empty()
    generate("small", 1, now=now)
    assert dump() == first


def test_different_seeds_give_different_data(summary, now):
    first = dump()
    wipe()
    generate("small", 2, now=now)
    second = dump()
    assert second["candidates"] != first["candidates"]
    assert second["touchpoints"] != first["touchpoints"]


def test_a_later_now_moves_every_date(summary, now):
    first = Application.objects.order_by("pk").values_list("created_at", flat=True)[:5]
    first = list(first)
    wipe()
    generate("small", 1, now=now + timedelta(days=7))
    later = list(Application.objects.order_by("pk").values_list("created_at", flat=True)[:5])
    assert [b - a for a, b in zip(first, later, strict=True)] == [timedelta(days=7)] * 5


def test_refuses_a_database_that_is_not_empty(now):
    Team.objects.create(name="Already here")
    with pytest.raises(DatabaseNotEmpty, match="1 teams.*flush"):
        generate("small", 1, now=now)
    assert not Application.objects.exists() and not User.objects.exists()


def test_unknown_scale_and_naive_now_are_refused(now):
    with pytest.raises(ValueError, match="scale"):
        generate("medium", 1, now=now)
    with pytest.raises(ValueError, match="aware"):
        generate("small", 1, now=now.replace(tzinfo=None))


def test_progress_is_reported_per_table_up_to_its_total(now):
    seen: dict[str, list[tuple[int, int]]] = defaultdict(list)
    def progress(label: str, done: int, total: int) -> None:
        seen[label].append((done, total))

    summary = generate("small", 1, now=now, progress=progress)
    for label, count in summary.counts.items():
        assert seen[label][-1] == (count, count), label
        assert all(done <= total for done, total in seen[label])


# ---------------------------------------------------------------------------------------------
# Valid rows


def test_a_sample_of_every_model_passes_validation(summary):
    for _, model in TABLES:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
        step = max(1, len(ids) // 40)
        for obj in model.objects.filter(pk__in=ids[::step]):
            obj.full_clean()  # raises ValidationError with the field and the rule on a bad row
    connection.check_constraints()  # deferred foreign keys included


def test_nothing_happens_after_now(summary, now):
    for model, field in ((StageChange, "at"), (Touchpoint, "at"), (Touchpoint, "created_at"),
                         (OfferEvent, "at"), (CompetingOffer, "learned_at"), (Priorities, "as_of"),
                         (Application, "updated_at"), (Candidate, "created_at"), (User, "date_joined")):
        assert model.objects.aggregate(latest=Max(field))["latest"] < now, (model, field)


def test_stage_histories_obey_the_stage_rules(summary):
    changes: dict[int, list[StageChange]] = defaultdict(list)
    for change in StageChange.objects.order_by("at", "id"):
        changes[change.application_id].append(change)
    for application in Application.objects.all():
        history = changes[application.pk]
        assert history[0].from_stage == "" and history[0].at == application.created_at
        rules = stages.StageRules(stage=history[0].to_stage)
        for change in history[1:]:
            assert change.from_stage == rules.stage
            stages.check_transition(rules, change.to_stage, reason=change.reason,
                                    loss_reason=change.loss_reason or None)
            if change.to_stage in stages.CANDIDATE_LOSSES:
                assert change.loss_reason
            if change.to_stage in stages.CLOSED:  # every close says why, a start too
                assert change.reason.strip(), (application.pk, change.to_stage)
            rules = stages.StageRules(
                stage=change.to_stage,
                stage_before_hold=rules.stage if change.to_stage == Stage.ON_HOLD else None,
                was_accepted=rules.was_accepted or change.to_stage == Stage.ACCEPTED,
            )
        last = history[-1]
        assert application.stage == last.to_stage
        assert application.stage_entered_at == last.at
        assert application.closed_at == (last.at if application.is_closed else None)
        accepted = [c.at for c in history if c.to_stage == Stage.ACCEPTED]
        assert application.accepted_at == (accepted[-1] if accepted else None)
        assert application.stage_before_hold == (last.from_stage if last.to_stage == Stage.ON_HOLD else "")


def test_offers_keep_their_revisions_and_audit_trail(summary):
    by_application: dict[int, list[Offer]] = defaultdict(list)
    for offer in Offer.objects.order_by("application_id", "revision"):
        by_application[offer.application_id].append(offer)
    assert any(len(offers) > 1 for offers in by_application.values())
    for offers in by_application.values():
        assert [o.revision for o in offers] == list(range(1, len(offers) + 1))
        assert sum(o.is_open for o in offers) <= 1
        assert all(o.status in (OfferStatus.SUPERSEDED, OfferStatus.EXPIRED) for o in offers[:-1])
    for offer in Offer.objects.prefetch_related("events"):
        events = sorted(offer.events.all(), key=lambda e: (e.at, e.id))
        assert events[0].from_status == ""
        for previous, event in zip(events, events[1:], strict=False):
            assert event.from_status == previous.to_status
            allowed = OFFER_TRANSITIONS.get(previous.to_status, frozenset())
            superseded = (event.to_status == OfferStatus.SUPERSEDED
                          and previous.to_status in OPEN_OFFER_STATUSES)
            assert event.to_status in allowed or superseded, (previous.to_status, event.to_status)
        assert events[-1].to_status == offer.status
        assert offer.created_at == events[0].at
        if offer.sent_at is not None:
            assert offer.expires_on > offer.sent_at.date()


def test_competing_offers_are_learned_in_a_touchpoint(summary):
    for competing in CompetingOffer.objects.select_related("learned_in"):
        touch = competing.learned_in
        assert touch is not None and touch.candidate_id == competing.candidate_id
        assert touch.at == competing.learned_at
        assert touch.competition_asked and touch.competition_answer == CompetitionAnswer.DISCLOSED
        if competing.base is not None:
            assert competing.base > Decimal(0) and competing.currency


def test_priorities_are_dated_and_later_ones_supersede(summary):
    per_candidate = Priorities.objects.values("candidate").annotate(
        n=Count("id"), dates=Count("as_of", distinct=True)
    )
    assert per_candidate.filter(n__gte=2).exists()
    assert not per_candidate.exclude(n=F("dates")).exists()
