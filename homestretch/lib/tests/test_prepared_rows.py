"""`prepared_rows` compiles a read query once per shape and runs it again with fresh values bound as
parameters: its rows must be exactly the queryset's own, whatever the values (issue 18, Speed)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection, connections
from django.db.models import Exists, F, Q
from django.test.utils import CaptureQueriesContext

from homestretch.lib.prepared import _CACHE, prepared_many, prepared_rows
from homestretch.pipeline import services
from homestretch.pipeline.models import Application, Candidate, StageChange, Touchpoint


def _applications(at, ids, recruiter_id):
    scope = Application.objects.filter(created_at__lte=at, pk__in=ids)
    if recruiter_id is not None:
        scope = scope.filter(recruiter_id=recruiter_id)
    return (scope.annotate(moved=Exists(StageChange.objects.filter(application_id=1, at__gt=at)))
            .order_by("-id").values_list("id", "created_at", "stage", "candidate__name", "moved"))


def _open_many(job, recruiter, now, count: int) -> list[Application]:
    return [
        services.open_application(candidate=Candidate.objects.create(name=f"Person {i}"), job=job,
                                  recruiter=recruiter, by=recruiter, at=now - timedelta(days=i), stage="interviewing")
        for i in range(count)
    ]


def test_the_rows_are_the_querysets_own_whatever_the_values_of_one_shape(job, alice, bob, now):
    apps = _open_many(job, alice, now, 4) + _open_many(job, bob, now, 2)
    ids = [app.pk for app in apps]
    cases = [
        # the same shape (three ids, a moment, a recruiter) with other values each time
        (now, ids[:3], alice.pk), (now - timedelta(days=1, hours=12), ids[1:4], alice.pk),
        (now, ids[3:], bob.pk), (now - timedelta(days=30), ids[:3], alice.pk),
        # other shapes: another number of ids, no recruiter
        (now, ids, None), (now - timedelta(days=2), ids[2:], None), (now, ids[:1], alice.pk),
    ]
    for at, named, recruiter_id in cases:
        expected = list(_applications(at, named, recruiter_id))
        assert prepared_rows("test.applications", _applications, at, named, recruiter_id) == expected
    assert len(prepared_rows("test.applications", _applications, now, ids[:3], alice.pk)) == 3  # not only empty ones


def test_a_prepared_shape_runs_one_statement_with_the_values_bound_not_formatted_in(job, alice, now):
    ids = [app.pk for app in _open_many(job, alice, now, 6)]
    prepared_rows("test.applications", _applications, now, ids[:3], alice.pk)
    with CaptureQueriesContext(connection) as first:
        prepared_rows("test.applications", _applications, now, ids[:3], alice.pk)
    with CaptureQueriesContext(connection) as second:
        rows = prepared_rows("test.applications", _applications, now - timedelta(days=4, hours=12), ids[3:],
                             alice.pk)
    assert len(first) == len(second) == 1
    assert [row[0] for row in rows] == [ids[5]]  # of the three named, only the one opened five days ago existed
    # The statement kept holds a placeholder for each value, none of the values it was compiled with.
    kept = _CACHE[connections["default"]][("test.applications", (datetime, 4, int))]  # 3 ids, filled up to 4
    assert kept is not None and kept.sql.count("%s") == len(kept.sources)
    # The moment twice (the subquery's too), each of four ids, the recruiter; the subquery's 1 stays 1.
    assert sorted(position for position, _ in kept.sources if position is not None) == [0, 0, 1, 1, 1, 1, 2]
    assert (None, 1) in kept.sources
    assert "1987" not in kept.sql and "1901" not in kept.sql


def test_lists_of_ids_share_a_statement_per_power_of_two_and_read_only_the_ids_named(job, alice, now):
    """A long-running process is asked for every number of ids up to a few thousand: it must not keep a
    statement for each number."""
    ids = [app.pk for app in _open_many(job, alice, now, 9)]
    known = _CACHE.setdefault(connections["default"], {})
    before = {shape for shape in known if shape[0] == "test.applications"}
    for count in range(1, 10):
        expected = list(_applications(now, ids[:count], alice.pk))
        assert prepared_rows("test.applications", _applications, now, ids[:count], alice.pk) == expected
        assert len(expected) == count
    shapes = {shape for shape in known if shape[0] == "test.applications"} - before
    assert sorted(shape[1][1] for shape in shapes) == [1, 2, 4, 8, 16]


def test_a_value_transformed_on_its_way_to_the_sql_is_never_cached_wrongly(application, alice, now):
    """A datetime compared by its date is adapted as a date, not as the moment given: that shape cannot be
    prepared, and runs through the ORM every time, still right."""
    Touchpoint.objects.create(application=application, candidate=application.candidate, recruiter=alice, at=now,
                              channel="call", direction="inbound")

    def on_day(at):
        return Touchpoint.objects.filter(at__date=at).values_list("id")

    assert prepared_rows("test.on_day", on_day, now) == list(on_day(now))
    assert prepared_rows("test.on_day", on_day, now - timedelta(days=3)) == []
    assert prepared_rows("test.on_day", on_day, now + timedelta(minutes=5)) == list(on_day(now))


def test_an_empty_list_or_a_queryset_runs_through_the_orm(application, now):
    assert prepared_rows("test.applications", _applications, now, [], None) == []
    subquery = Application.objects.values("id")
    assert prepared_rows("test.applications", _applications, now, subquery, None) == list(
        _applications(now, subquery, None))


def _candidates_named(ids):
    return Candidate.objects.filter(pk__in=ids).order_by("name").values_list("name", "id")


def test_several_prepared_queries_send_one_statement_on_postgresql(job, alice, bob, application, now):
    """prepared_many: each query's rows exactly its own queryset's, in the order asked; on PostgreSQL the
    prepared ones go in one round trip (one statement's text, one result set each), elsewhere one each.
    A query that runs through the ORM (a queryset argument, a transformed value) runs alone."""
    apps = _open_many(job, alice, now, 3) + _open_many(job, bob, now, 2)
    ids = [app.pk for app in apps]
    candidate_ids = [app.candidate_id for app in apps]

    def on_day(at):
        return Touchpoint.objects.filter(at__date=at).values_list("id")

    def queries(at):
        return [
            ("test.applications", _applications, at, ids[:3], alice.pk),
            ("test.candidates", _candidates_named, candidate_ids),
            ("test.on_day", on_day, at),
            ("test.applications", _applications, at, Application.objects.values("id"), None),
            ("test.applications", _applications, at, ids[3:], bob.pk),
        ]

    def expected(at):
        return [list(build(*arguments)) for _, build, *arguments in queries(at)]

    prepared_many(*queries(now))  # compiled once
    for at in (now, now - timedelta(days=1, hours=3)):
        with CaptureQueriesContext(connection) as captured:
            rows = prepared_many(*queries(at))
        assert rows == expected(at)
        # The two ORM queries alone; the three prepared together on PostgreSQL, one each elsewhere.
        assert len(captured) == (2 + 1 if connection.vendor == "postgresql" else 2 + 3)
        if at == now:  # not only empty results
            assert len(rows[0]) == 3 and len(rows[4]) == 2 and rows[3]
            # The moments (read by psycopg's C loader on PostgreSQL) in the ORM's type and zone, not only equal.
            orm = expected(at)[0]
            assert [(type(row[1]), row[1].tzinfo) for row in rows[0]] == [(type(row[1]), row[1].tzinfo) for row in orm]
            assert sorted(row[1] for row in rows[1]) == sorted(candidate_ids)



def _awkward(at, ids, recruiter_id):
    """Constants that need quoting or escaping beside the values (a quote, a percent sign, a backslash),
    and a percent sign in the text itself (`LIKE … || '%%'`)."""
    return (Application.objects.filter(created_at__lte=at, pk__in=ids, recruiter_id=recruiter_id)
            .filter(Q(lessons__contains="50% o'clock \\ done") | Q(stage__startswith=F("stage_before_hold"))
                    | Q(closed_at__isnull=True))
            .order_by("id").values_list("id", "stage"))


@pytest.mark.skipif(connections["default"].vendor != "postgresql", reason="binding on the client is PostgreSQL's")
def test_the_values_are_written_in_exactly_as_psycopg_writes_them(job, alice, now):
    from psycopg.adapt import Transformer

    from homestretch.lib.prepared import _adapt, _bound, _prepare

    ids = [app.pk for app in _open_many(job, alice, now, 70)]  # past the 50 parameters psycopg keeps a parse for
    cases = ((_awkward, (now, ids, alice.pk)), (_applications, (now - timedelta(days=3), ids[:5], None)))
    for build, arguments in cases:
        assert prepared_rows(f"test.{build.__name__}", build, *arguments) == list(build(*arguments))
        prepared = _prepare(build, arguments, connection)
        assert prepared is not None
        params = [constant if position is None else _adapt(
                      connection.ops, arguments[position] if constant is None else arguments[position][constant])
                  for position, constant in prepared.sources]
        with connection.cursor() as cursor:
            literals = Transformer.from_context(cursor.cursor)
            bound = _bound(prepared, params, literals, cursor.cursor.connection.info.encoding)
            assert bound == cursor.cursor.mogrify(prepared.sql, params)
    assert "'%%'" in _prepare(_awkward, (now, ids, alice.pk), connection).sql  # the text's own percent sign, tested
