"""The number of candidates, exact and cheap to read on PostgreSQL.

Counting the candidates for each page of the API's list cost PostgreSQL about 1.3 ms of CPU at 43,000
candidates (an index-only scan of every entry), growing with the table; the list served 0.38-0.40x the
API's floor, and 0.57-0.60x reading the number kept here (benchmarks/README.md, Seventh pass). A count kept
in one row would make every writer of candidates wait on that row; an estimate from the planner's
statistics would change what the list's `count` means.

So the number is kept as parts (`CandidateCountPart`): statement-level triggers on the candidates' table add
a part with the number of rows each INSERT (or COPY) added and each DELETE removed, read from the
statement's transition table, in the writer's own transaction. A writer adds its own row and waits on no
other, a rolled-back write takes its part with it, and a reader sees exactly the parts of the transactions
it sees the candidates of: the sum is the count, whoever wrote (the ORM, raw SQL, a bulk load). A TRUNCATE
empties the parts. The worker folds the parts into one every run (`fold`), so that the sum stays a few rows.

SQLite counts the rows (one writer at a time, and its count is cheap at this size): `kept_total` is None there.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet

from homestretch.lib.bulk_python import KeptTotal

from .models import Candidate

# The triggers are created by migration pipeline 0011_candidate_count (on PostgreSQL), which also counts
# the candidates already stored.

# The parts made one, when there are several: the rows deleted and their sum inserted in one statement, so
# that a part committed meanwhile stays as it is and a fold running at the same time (a second worker) never
# sums a part twice: its DELETE skips the rows this one deleted.
FOLD_SQL = """
WITH folded AS (
    DELETE FROM pipeline_candidate_count_part
    WHERE (SELECT count(*) FROM pipeline_candidate_count_part) > 1
    RETURNING delta
)
INSERT INTO pipeline_candidate_count_part (delta) SELECT sum(delta) FROM folded HAVING sum(delta) <> 0
"""
# A sum of bigints is a numeric in PostgreSQL: read back as an integer, as a count is.
SUM_SQL = "SELECT COALESCE(SUM(delta), 0)::bigint FROM pipeline_candidate_count_part"


def kept_total(candidates: QuerySet[Candidate]) -> KeptTotal | None:
    """The number of `candidates` as PostgreSQL keeps it, when they are every candidate (no filter, no
    distinct, no slice, the default database), to read with their page; else None: count them."""
    query = candidates.query
    every_one = (candidates.model is Candidate and not query.has_filters() and not query.distinct
                 and not query.is_sliced and not query.combinator and candidates.db == DEFAULT_DB_ALIAS)
    return KeptTotal(SUM_SQL) if every_one and connections[candidates.db].vendor == "postgresql" else None


def number_of_candidates(connection: BaseDatabaseWrapper = default_connection) -> int:
    """How many candidates there are: the parts' sum on PostgreSQL, the rows counted elsewhere."""
    if connection.vendor != "postgresql":
        return Candidate.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(SUM_SQL)
        return int(cursor.fetchone()[0])


def fold(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Fold the parts into one (PostgreSQL; the worker, every run). Only shortens what a reader sums."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(FOLD_SQL)


def recount(connection: BaseDatabaseWrapper = default_connection) -> None:
    """Make the parts the candidates counted (PostgreSQL), in the caller's transaction or one of its own,
    under a lock that lets readers on and holds writers of candidates back until it ends: for a table written
    with the triggers disabled (a data-only restore with `--disable-triggers`, `session_replication_role =
    replica`). `changes.everything_changed` calls it."""
    if connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
            cursor.execute("LOCK TABLE pipeline_candidate IN SHARE MODE")
            cursor.execute("DELETE FROM pipeline_candidate_count_part")
            cursor.execute("INSERT INTO pipeline_candidate_count_part (delta) SELECT count(*) FROM pipeline_candidate "
                           "HAVING count(*) > 0")
