"""Helpers for constraint tests: a rule must hold in the database itself and read well in full_clean()."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def database_refuses(queryset, **values) -> None:
    """An UPDATE that bypasses Python validation is refused by the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**values)


def database_refuses_new(model, *objects) -> None:
    """A bulk INSERT that bypasses Python validation is refused by the database."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create(objects)


def clean_errors(obj, **values) -> dict[str, list[str]]:
    """The messages full_clean() gives once `values` are set on `obj` (it must refuse them)."""
    for name, value in values.items():
        setattr(obj, name, value)
    with pytest.raises(ValidationError) as refused:
        obj.full_clean()
    return refused.value.message_dict
