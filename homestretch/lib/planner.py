"""Hints for SQLite's query planner, which keeps no statistics (nothing runs ANALYZE): it picks an index by
the shape of a condition alone, and sometimes walks the wrong one. PostgreSQL weighs its indexes by their
statistics and gets the column as it is."""

from __future__ import annotations

from typing import Any

from django.db.models import Field, Func


class ComparedAsAValue(Func):
    """A column compared as a plain value: on SQLite `+column`, the way SQLite documents to keep the planner
    off that column's index (the value, its type and the comparison are unchanged); elsewhere the column.

        Application.objects.alias(open_stage=ComparedAsAValue("stage", CharField())).filter(open_stage__in=…)
    """

    template = "%(expressions)s"

    def __init__(self, column: str, output_field: Field, **extra: Any) -> None:
        super().__init__(column, output_field=output_field, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)
