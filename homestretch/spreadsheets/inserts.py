"""New rows inserted as `QuerySet.bulk_create` inserts them, without its cost per value.

On SQLite `bulk_create` compiles every value of every row into SQL on its own (a placeholder, a cast, a
check whether it is an expression): for the import's 100,000 candidates, applications and stage
changes that compiling took about a third of the import's CPU. `insert_new` writes the same
columns with the same values — every field's own `pre_save` (`auto_now`, the candidates' folded
search text) then its own `get_db_prep_save` (the database's form of a date, an amount), the
related records' ids taken as `bulk_create` takes them — in multi-row `INSERT … RETURNING`
statements of the size the database allows (`bulk_batch_size`), and sets each instance's id as
`bulk_create` does. No model rule is checked here: the import checks each row by the models' rules
before it writes.

On PostgreSQL `bulk_create` itself is used: it sends one `INSERT … SELECT … FROM UNNEST(…)` with
a column of values each, which costs less there than rows of placeholders.

A field's database form is a function of the value alone: text is written as it is (a text field's
`get_db_prep_save` returns a string unchanged), and any other value (a moment, an amount, an id) is
converted once per insert and remembered, since thousands of rows share the same few days and ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, router
from django.db.models import CharField, Field, Model, TextField


def insert_new(objs: Sequence[Model]) -> None:
    """Insert unsaved instances of one model (with no id yet) and give each its id."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "sqlite":
        # PostgreSQL's bulk_create sends one INSERT … SELECT FROM UNNEST(column arrays): cheaper there than
        # rows of placeholders (measured: benchmarks/README.md, issue 16).
        model._default_manager.bulk_create(objs)
        return
    fields = [field for field in meta.concrete_fields if field is not meta.pk and not field.generated]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    returning = f" RETURNING {quote(str(meta.pk.column))}"
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    converters = [_converter(field, connection) for field in fields]
    pairs = list(zip(fields, converters, strict=True))
    for start in range(0, len(objs), size):
        batch = objs[start:start + size]
        params: list[Any] = []
        for obj in batch:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]  # as bulk_create
            params.extend(convert(field.pre_save(obj, True)) for field, convert in pairs)
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([one_row] * len(batch))}{returning}"  # noqa: S608 - names from the model, values bound
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) != len(batch):
            raise RuntimeError(f"{len(batch)} rows inserted into {meta.db_table}, {len(ids)} ids returned")
        for obj, pk in zip(batch, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using


def _converter(field: Field, connection: Any) -> Callable[[object], object]:
    """`field.get_db_prep_save(value, connection)`, quicker: strings of a plain text field as they
    are, every other value converted once and remembered (by its type and value)."""
    kind = type(field)
    plain_text = (isinstance(field, CharField | TextField) and kind.get_db_prep_save is Field.get_db_prep_save
                  and kind.get_db_prep_value is Field.get_db_prep_value
                  and kind.get_prep_value in (CharField.get_prep_value, TextField.get_prep_value))
    known: dict[tuple[type, object], object] = {}

    def convert(value: object) -> object:
        if plain_text and type(value) is str:
            return value
        try:
            key = (type(value), value)
            return known[key]
        except TypeError:  # not hashable
            return field.get_db_prep_save(value, connection)
        except KeyError:
            known[key] = converted = field.get_db_prep_save(value, connection)
            return converted

    return convert
