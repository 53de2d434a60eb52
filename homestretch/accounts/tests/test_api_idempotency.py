"""Idempotency-Key on the API's writes: a repeat within 24 hours gets the first response and writes
nothing (issue 15, item 14)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from homestretch.accounts.idempotency import CLAIM_LEASE, KEY_LIFETIME, delete_expired
from homestretch.accounts.models import IdempotencyKey
from homestretch.accounts.tokens import create_token
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.models import Candidate, StageChange, Touchpoint
from homestretch.pipeline.models import Client as ClientRecord
from homestretch.tests.api_client import assert_problem

OFFER = {"base": "85000", "currency": "EUR", "status": "extended"}


class KeyedClient:
    """The API as one user, sending `Idempotency-Key` when told to."""

    def __init__(self, user, now) -> None:
        self.client = Client()
        self.token = create_token(user, name="tests", at=now).secret

    def send(self, method: str, path: str, body: object = None, key: str | None = None, raw: str | None = None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return getattr(self.client, method)("/api/v1" + path, data=data, content_type="application/json",
                                            headers=headers)

    def post(self, path: str, body: object = None, key: str | None = None, raw: str | None = None):
        return self.send("post", path, body, key, raw)


@pytest.fixture
def as_alice(alice, now):
    return KeyedClient(alice, now)


def offers_path(application) -> str:
    return f"/applications/{application.pk}/offers"


def test_twelve_identical_offer_posts_make_one_revision_and_twelve_identical_answers(as_alice, application):
    answers = [as_alice.post(offers_path(application), OFFER, key="offer-7f3a") for _ in range(12)]
    assert Offer.objects.filter(application=application).count() == 1
    assert {a.status_code for a in answers} == {201}
    assert len({a.content for a in answers}) == 1
    assert answers[0].json()["revision"] == 1
    assert "Idempotent-Replayed" not in answers[0]
    assert all(a["Idempotent-Replayed"] == "true" for a in answers[1:])
    assert all(a["Content-Type"] == answers[0]["Content-Type"] for a in answers)


def test_without_the_header_every_post_writes_as_before(as_alice, application):
    for _ in range(3):
        assert as_alice.post(offers_path(application), OFFER).status_code == 201
    assert Offer.objects.filter(application=application).count() == 3
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(as_alice, application):
    assert as_alice.post(offers_path(application), OFFER, key="k1").status_code == 201
    body = assert_problem(as_alice.post(offers_path(application), {**OFFER, "base": "90000"}, key="k1"),
                          422, "Idempotency-Key")
    assert body["type"].endswith("/idempotency-key-reused")
    assert "different request" in body["detail"]
    assert Offer.objects.filter(application=application).count() == 1


def test_key_order_and_spacing_of_the_body_do_not_make_another_request(as_alice, application):
    assert as_alice.post(offers_path(application), key="k1",
                         raw='{"base": "85000", "currency": "EUR", "status": "extended"}').status_code == 201
    again = as_alice.post(offers_path(application), key="k1",
                          raw='{"status":"extended",\n "currency":"EUR","base":"85000"}')
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Offer.objects.filter(application=application).count() == 1


def test_each_user_has_keys_of_their_own(as_alice, bob, application, now):
    as_bob = KeyedClient(bob, now)  # alice's teammate: may make offers on her applications
    assert as_alice.post(offers_path(application), OFFER, key="shared").status_code == 201
    second = as_bob.post(offers_path(application), OFFER, key="shared")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert second.json()["revision"] == 2


def test_a_key_belongs_to_one_endpoint(as_alice, application, now):
    as_alice.post(offers_path(application), OFFER, key="k1")
    touch = as_alice.post(f"/applications/{application.pk}/touchpoints",
                          {"channel": "call", "direction": "outbound", "at": now.isoformat()}, key="k1")
    assert touch.status_code == 201
    assert Offer.objects.count() == 1 and Touchpoint.objects.count() == 1


def test_an_expired_key_is_a_new_key(as_alice, application):
    as_alice.post(offers_path(application), OFFER, key="k1")
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME - timedelta(seconds=1))
    again = as_alice.post(offers_path(application), OFFER, key="k1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["revision"] == 2
    assert IdempotencyKey.objects.count() == 1  # the expired one was replaced
    # ... and a key a moment short of its lifetime still answers its first response.
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_LIFETIME + timedelta(minutes=1))
    assert as_alice.post(offers_path(application), OFFER, key="k1")["Idempotent-Replayed"] == "true"


def test_a_users_expired_keys_are_deleted_when_they_send_a_new_one_and_by_the_worker(as_alice, alice, bob,
                                                                                         application, now):
    long_ago = timezone.now() - KEY_LIFETIME - timedelta(hours=1)
    for user, key in ((alice, "old-a"), (bob, "old-b")):
        IdempotencyKey.objects.create(user=user, key=key, endpoint="POST /api/v1/clients", fingerprint="0" * 64,
                                      created_at=long_ago, claim="c", claimed_at=long_ago, response_status=201)
    as_alice.post(offers_path(application), OFFER, key="new")
    assert sorted(IdempotencyKey.objects.values_list("key", flat=True)) == ["new", "old-b"]
    assert delete_expired(timezone.now()) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_worker_deletes_expired_keys(alice, now):
    from homestretch.integrations.worker import run_worker

    IdempotencyKey.objects.create(user=alice, key="old", endpoint="POST /api/v1/clients", fingerprint="0" * 64,
                                  created_at=now - KEY_LIFETIME, claim="c", claimed_at=now - KEY_LIFETIME)
    run_worker(0, threading.Event(), clock=lambda: now, runs=1)
    assert not IdempotencyKey.objects.exists()


def test_a_refused_request_keeps_no_key_and_may_be_sent_again_corrected(as_alice, application):
    assert_problem(as_alice.post(offers_path(application), {**OFFER, "base": "-1"}, key="k1"), 422, "base")
    assert_problem(as_alice.post(offers_path(application), {**OFFER, "status": "accepted"}, key="k1"), 422)
    assert not IdempotencyKey.objects.exists()
    assert as_alice.post(offers_path(application), OFFER, key="k1").status_code == 201


def test_a_request_refused_by_the_rules_writes_nothing_and_keeps_no_key(as_alice, application):
    as_alice.post(f"/applications/{application.pk}/stage", {"stage": "rejected", "reason": "client said no"})
    for _ in range(2):
        assert_problem(as_alice.post(offers_path(application), OFFER, key="k1"), 409)
    assert not Offer.objects.exists() and not IdempotencyKey.objects.exists()


def test_a_key_still_being_processed_answers_409(as_alice, alice, application):
    as_alice.post(offers_path(application), OFFER, key="k1")
    IdempotencyKey.objects.update(response_status=None, response_body="", claimed_at=timezone.now())
    body = assert_problem(as_alice.post(offers_path(application), OFFER, key="k1"), 409, "Idempotency-Key")
    assert body["type"].endswith("/request-in-progress")
    assert Offer.objects.count() == 1


def test_a_claim_left_by_a_request_that_died_is_taken_over_after_its_lease(as_alice, application):
    # A worker killed mid-request rolled its writes back and left its key claimed, with no response.
    as_alice.post(offers_path(application), OFFER, key="k1")
    Offer.objects.all().delete()
    IdempotencyKey.objects.update(response_status=None, response_body="",
                                  claimed_at=timezone.now() - CLAIM_LEASE - timedelta(seconds=1))
    again = as_alice.post(offers_path(application), OFFER, key="k1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Offer.objects.count() == 1
    assert as_alice.post(offers_path(application), OFFER, key="k1")["Idempotent-Replayed"] == "true"


def test_a_crash_after_the_write_leaves_neither_the_write_nor_the_response(as_alice, application):
    with mock.patch("homestretch.accounts.idempotency.keep", side_effect=RuntimeError("power cut")), \
            pytest.raises(RuntimeError):
        as_alice.post(offers_path(application), OFFER, key="k1")
    assert not Offer.objects.exists()
    assert not IdempotencyKey.objects.exists()
    assert as_alice.post(offers_path(application), OFFER, key="k1").status_code == 201


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "naïve", "tab\there"])
def test_a_bad_key_is_refused_naming_the_header(as_alice, application, key):
    body = assert_problem(as_alice.post(offers_path(application), OFFER, key=key), 422, "Idempotency-Key")
    assert "Idempotency-Key" in body["detail"]
    assert not Offer.objects.exists()


def test_the_longest_key_and_a_quoted_key_are_keys(as_alice, application):
    for key in ("x" * 255, '"8e03978e-40d5-43e8-bc93-6894a57f9324"'):
        assert as_alice.post(offers_path(application), OFFER, key=key).status_code == 201
        assert as_alice.post(offers_path(application), OFFER, key=key)["Idempotent-Replayed"] == "true"
    assert Offer.objects.count() == 2


def test_an_unauthenticated_keyed_request_is_401_and_claims_nothing(application):
    response = Client().post(f"/api/v1{offers_path(application)}", data=json.dumps(OFFER),
                             content_type="application/json", headers={"Idempotency-Key": "k1"})
    assert_problem(response, 401)
    assert not IdempotencyKey.objects.exists()


def test_every_write_endpoint_runs_once_per_key(as_alice, ada, application, now):
    as_ada = KeyedClient(ada, now)
    candidate_id, app_id = application.candidate_id, application.pk
    writes = [
        (as_ada, "post", "/clients", {"name": "Initech"}, lambda: ClientRecord.objects.count()),
        (as_ada, "post", "/candidates", {"name": "Ravi Rao"}, lambda: Candidate.objects.count()),
        (as_alice, "post", f"/applications/{app_id}/touchpoints",
         {"channel": "call", "direction": "outbound", "at": now.isoformat()}, lambda: Touchpoint.objects.count()),
        (as_alice, "post", f"/applications/{app_id}/stage", {"stage": "offer"},
         lambda: StageChange.objects.count()),
        (as_alice, "post", f"/candidates/{candidate_id}/competing-offers",
         {"company": "Globex", "stage": "offer", "base": "90000", "currency": "EUR"},
         lambda: CompetingOffer.objects.count()),
        (as_alice, "put", f"/candidates/{candidate_id}/priorities", {"base_min": "70000", "currency": "EUR"},
         lambda: Priorities.objects.count()),
    ]
    for caller, method, path, body, count in writes:
        before = count()
        first = caller.send(method, path, body, key=f"key-{path}")
        assert first.status_code in (200, 201), (path, first.content)
        again = caller.send(method, path, body, key=f"key-{path}")
        assert (again.status_code, again.content, again["Idempotent-Replayed"]) == \
            (first.status_code, first.content, "true"), path
        assert count() == before + 1, path


def test_the_openapi_document_offers_the_header_on_every_write_and_only_there(as_alice):
    document = Client().get("/api/v1/openapi.json").json()
    writes = reads = 0
    for operations in document["paths"].values():
        for method, operation in operations.items():
            headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
            if method in ("post", "put", "patch"):
                writes += 1
                assert [h["name"] for h in headers] == ["Idempotency-Key"]
                assert headers[0]["schema"]["maxLength"] == 255 and not headers[0]["required"]
                assert {"409", "422"} <= set(map(str, operation["responses"]))
            else:
                reads += 1
                assert headers == []
    assert writes >= 15 and reads >= 15


def _race(paths_and_clients, application) -> list:
    """Send the requests at once, each from its own thread with its own database connection."""
    start = threading.Barrier(len(paths_and_clients))
    answers: list = [None] * len(paths_and_clients)

    def send(i: int, client: KeyedClient) -> None:
        try:
            start.wait()
            answers[i] = client.post(offers_path(application), OFFER, key="race")
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(paths_and_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.postgres  # the SQLite test database is in memory, shared by threads without waiting for locks
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_write_once(alice, application, now):
    """Four threads, each with its own connection, send the same keyed offer at once, three times over:
    one offer, one first response (the others replay it or are told it is in progress)."""
    clients = [KeyedClient(alice, now) for _ in range(4)]
    for _round in range(3):
        Offer.objects.all().delete()
        IdempotencyKey.objects.all().delete()
        answers = _race(clients, application)
        assert Offer.objects.count() == 1
        created = [a for a in answers if a.status_code == 201]
        assert created and len({a.content for a in created}) == 1
        for answer in answers:
            if answer.status_code != 201:
                assert_problem(answer, 409, "Idempotency-Key")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_repeat_while_the_first_is_still_writing_answers_409_then_the_first_response(alice, application, now):
    """On PostgreSQL the first request holds no lock a repeat waits for: the repeat sees the claim."""
    from homestretch.offers import services

    first_client, repeat_client = KeyedClient(alice, now), KeyedClient(alice, now)
    writing, finish = threading.Event(), threading.Event()
    record_offer = services.record_offer
    answers = {}

    def slow_record_offer(*args, **kwargs):
        offer = record_offer(*args, **kwargs)
        writing.set()
        assert finish.wait(timeout=30)
        return offer

    def first() -> None:
        try:
            answers["first"] = first_client.post(offers_path(application), OFFER, key="k1")
        finally:
            connection.close()

    with mock.patch.object(services, "record_offer", slow_record_offer):
        thread = threading.Thread(target=first)
        thread.start()
        assert writing.wait(timeout=30)
        assert_problem(repeat_client.post(offers_path(application), OFFER, key="k1"), 409, "Idempotency-Key")
        finish.set()
        thread.join(timeout=30)
    assert answers["first"].status_code == 201
    replay = repeat_client.post(offers_path(application), OFFER, key="k1")
    assert replay.content == answers["first"].content and replay["Idempotent-Replayed"] == "true"
    assert Offer.objects.count() == 1
