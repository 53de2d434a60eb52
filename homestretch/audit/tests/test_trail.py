"""The trail's interface, as the export and the erasure call it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory

from homestretch.audit import trail
from homestretch.audit.choices import Kind
from homestretch.audit.context import acting, on_the_command_line
from homestretch.audit.models import AppendOnly, Entry
from homestretch.offers.models import CompetingOffer
from homestretch.offers.services import delete_competing_offer, record_competing_offer

pytestmark = pytest.mark.django_db


def _competing(candidate, alice, now) -> CompetingOffer:
    with acting(alice, address="203.0.113.9"):
        return record_competing_offer(
            CompetingOffer(candidate=candidate, company="Initech", stage="offer", base=Decimal("90000"),
                           currency="EUR", confidential=False, learned_at=now), by=alice, at=now)


def test_a_changed_confidential_flag_is_recorded_with_before_and_after(candidate, alice, now):
    competing = _competing(candidate, alice, now)
    competing.confidential = True
    competing.base = Decimal("95000")
    with acting(alice, address="203.0.113.9"):
        record_competing_offer(competing, by=alice, at=now)

    entry = Entry.objects.filter(kind=Kind.CHANGED).get()
    assert entry.changes["confidential"] == [False, True]
    assert entry.changes["base"] == ["90000.00", "95000.00"]  # amounts as stored, whatever was typed
    assert (entry.actor, entry.remote_addr, entry.candidate_id) == (alice, "203.0.113.9", candidate.pk)
    assert entry.object_repr == f"competing offer {competing.pk} (candidate {candidate.pk})"
    assert "updated_at" not in entry.changes


def test_entries_about_a_candidate_and_forgetting_them(candidate, application, alice, now):
    competing = _competing(candidate, alice, now)
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4")
    request.user = alice
    trail.record_request(Kind.VIEWED_BRIEF, request, application)
    other = Entry.objects.count()

    about = list(trail.entries_about_candidate(candidate.pk))
    kinds = [entry.kind for entry in about]
    assert Kind.VIEWED_BRIEF in kinds and kinds.count(Kind.CREATED) >= 3  # candidate, application, competing
    assert all(entry.candidate_id == candidate.pk for entry in about)

    competing_id = competing.pk
    with on_the_command_line():
        delete_competing_offer(competing)
    forgotten = trail.forget_candidate(candidate.pk, [(CompetingOffer, competing_id)])
    assert forgotten == len(about) + 1
    deleted = Entry.objects.get(kind=Kind.DELETED)
    assert deleted.object_repr == "erased competing offer"
    assert set(deleted.changes["company"]) == {"erased"}
    assert deleted.actor_label.startswith("command line (")
    assert Entry.objects.count() == other + 1  # nothing removed: that it happened stays


def test_record_refuses_an_unknown_kind(alice):
    with pytest.raises(ValueError):
        trail.record("looked around", actor=alice, address=None)


def test_an_entry_is_never_changed_or_deleted_through_the_orm(alice):
    trail.record(Kind.IMPORTED, actor="command line (ops)", address=None, object_type="candidate",
                 detail={"rows": 3})
    entry = Entry.objects.get(kind=Kind.IMPORTED)
    assert (entry.actor_label, entry.additional_data) == ("command line (ops)", {"rows": 3})
    entry.object_repr = "rewritten"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
