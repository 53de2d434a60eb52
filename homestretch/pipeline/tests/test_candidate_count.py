"""The number of candidates PostgreSQL keeps (pipeline/candidate_count.py): exact after every kind of write,
without one writer waiting on another, and read by the API's list of every candidate instead of a count."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from homestretch.integrations.worker import run_worker
from homestretch.pipeline import candidate_count
from homestretch.pipeline.candidate_count import fold, kept_total, number_of_candidates, recount
from homestretch.pipeline.changes import everything_changed
from homestretch.pipeline.models import Candidate, CandidateCountPart
from homestretch.tests.api_client import ApiClient

WAIT = 30  # seconds; only reached when something is broken


COLUMNS = ("name, email, phone, location, current_employer, current_title, current_currency, current_period, "
           "skills, source, notes, consent_to_contact, legal_basis, basis_obtained_how, objection_note, search_text, "
           "created_at, updated_at")


def _insert_raw(cursor, *names: str) -> None:
    cursor.execute(
        f"INSERT INTO pipeline_candidate ({COLUMNS}) "  # noqa: S608 - the test's own column names
        "SELECT n, '', '', '', '', '', '', 'year', '', '', '', false, '', '', '', lower(n), now(), now() "
        "FROM unnest(%s::text[]) AS n", [list(names)])


def _holds() -> None:
    assert number_of_candidates() == Candidate.objects.count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_number_kept_is_the_count_after_every_kind_of_write():
    _holds()
    Candidate.objects.create(name="Ada")
    Candidate.objects.bulk_create([Candidate(name=f"Bulk {n}") for n in range(5)])
    with connection.cursor() as cursor:
        _insert_raw(cursor, "Raw 1", "Raw 2", "Raw 3")
        # COPY, as the demo's bulk loader writes on PostgreSQL.
        with cursor.cursor.copy(f"COPY pipeline_candidate ({COLUMNS}) FROM STDIN") as copy:
            for name in ("Copied 1", "Copied 2"):
                copy.write_row((name, "", "", "", "", "", "", "year", "", "", "", False, "", "", "", name.lower(),
                                "2026-11-30 10:00+00", "2026-11-30 10:00+00"))
    _holds()
    assert number_of_candidates() == 11

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        Candidate.objects.create(name="Rolled back")
        assert number_of_candidates() == 12  # the writer sees its own part
        raise Undone
    assert number_of_candidates() == 11

    Candidate.objects.filter(name__startswith="Bulk").update(notes="updated")  # no count change
    Candidate.objects.get(name="Ada").delete()
    Candidate.objects.filter(name__in=["Bulk 0", "Bulk 1"]).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pipeline_candidate WHERE name = 'Raw 1'")
        cursor.execute("DELETE FROM pipeline_candidate WHERE name = 'nobody'")  # no part for no row
    _holds()
    assert number_of_candidates() == 7
    assert CandidateCountPart.objects.count() == 7  # one part per statement that wrote candidates

    fold()
    assert list(CandidateCountPart.objects.values_list("delta", flat=True)) == [7]
    fold()  # nothing to fold: the one part stays as it is
    assert list(CandidateCountPart.objects.values_list("delta", flat=True)) == [7]

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pipeline_candidate CASCADE")
    assert number_of_candidates() == 0 and not CandidateCountPart.objects.exists()
    Candidate.objects.create(name="After")
    _holds()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_wait_on_no_one_and_readers_see_only_committed_parts():
    """One writer holds its transaction open after adding a candidate; another adds one and folds the parts
    meanwhile, with a lock timeout that would fail it if it waited."""
    Candidate.objects.create(name="Before")
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def slow_writer():
        try:
            with transaction.atomic():
                Candidate.objects.create(name="Slow")
                holding.set()
                release.wait(WAIT)
            outcome["slow"] = "committed"
        except Exception as error:  # reported by the assertions below
            outcome["slow"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert holding.wait(WAIT)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            Candidate.objects.create(name="Quick")
            fold()
        assert number_of_candidates() == 2 == Candidate.objects.count()  # the slow one's part is not seen yet
    finally:
        release.set()
        thread.join(WAIT)
    assert outcome["slow"] == "committed"
    assert number_of_candidates() == 3 == Candidate.objects.count()
    fold()
    assert list(CandidateCountPart.objects.values_list("delta", flat=True)) == [3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_recount_and_the_worker_set_the_parts_right():
    Candidate.objects.bulk_create([Candidate(name=f"C {n}") for n in range(4)])
    CandidateCountPart.objects.create(delta=100)  # as after a restore with the triggers disabled
    assert number_of_candidates() == 104
    recount()
    _holds()
    CandidateCountPart.objects.create(delta=-3)
    everything_changed()
    _holds()
    Candidate.objects.create(name="One more")
    assert CandidateCountPart.objects.count() == 2
    run_worker(0, threading.Event(), runs=1)
    assert list(CandidateCountPart.objects.values_list("delta", flat=True)) == [5]


@pytest.mark.django_db
def test_only_every_candidate_on_postgresql_is_read_from_the_parts():
    every = Candidate.objects.order_by("name", "id")
    on_postgresql = connection.vendor == "postgresql"
    assert (kept_total(every) is not None) == on_postgresql
    for some in (every.filter(name__icontains="a"), every.distinct(), every[:10], every.union(every),
                 Candidate.objects.none()):
        assert kept_total(some) is None


@pytest.mark.django_db
def test_the_list_of_every_candidate_reads_its_count_from_the_parts_with_its_page(ada):
    Candidate.objects.bulk_create([Candidate(name=f"Candidate {n:02}") for n in range(12)])
    api = ApiClient(ada)
    with CaptureQueriesContext(connection) as page_queries:
        body = api.get("/candidates", limit=5, offset=5).json()
    assert body["count"] == 12 and [item["name"] for item in body["items"]] == [
        f"Candidate {n:02}" for n in range(5, 10)]
    read = [query["sql"] for query in page_queries.captured_queries if "pipeline_candidate" in query["sql"]]
    if connection.vendor == "postgresql":
        assert len(read) == 1 and candidate_count.SUM_SQL in read[0] and "COUNT(*)" not in read[0]
    else:
        assert not any("pipeline_candidate_count_part" in sql for sql in read)

    with CaptureQueriesContext(connection) as filtered_queries:
        filtered = api.get("/candidates", limit=2, q="Candidate 1").json()
    assert filtered["count"] == 2 and len(filtered["items"]) == 2
    assert not any("pipeline_candidate_count_part" in query["sql"] for query in filtered_queries.captured_queries)

