"""`quick_init` must build exactly what the dataclass's own `__init__` builds, and refuse what it cannot build."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

import pytest

from homestretch.agenda.today import AgendaItem
from homestretch.cadence.due import Due
from homestretch.cadence.rules import ContactDue
from homestretch.lib.frozen import quick_init
from homestretch.pipeline.touch_summaries import Totals
from homestretch.situation import facts as facts_module

DECORATED = [
    facts_module.OfferFact, facts_module.CompetingFact, facts_module.ContactSummary, facts_module.PrioritiesFact,
    facts_module.JobFact, facts_module.ApplicationFacts, Due, ContactDue, Totals, AgendaItem,
]


def _dataclass_init(cls):
    """The `__init__` that `dataclass` writes for the same fields (a copy of the class without quick_init)."""
    plain = dataclasses.make_dataclass(
        cls.__name__, [(f.name, f.type, f) for f in dataclasses.fields(cls)], frozen=True, slots=True)
    return plain


@pytest.mark.parametrize("cls", DECORATED, ids=lambda cls: cls.__name__)
def test_same_signature_and_defaults_as_the_dataclass(cls):
    ours = inspect.signature(cls.__init__)
    theirs = inspect.signature(_dataclass_init(cls).__init__)
    # A default made by a factory shows as <factory> in both (each with a marker of its own).
    assert [(p.name, p.kind, repr(p.default)) for p in ours.parameters.values()] == [
        (p.name, p.kind, repr(p.default)) for p in theirs.parameters.values()]
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"


def test_builds_what_the_dataclass_builds_frozen_equal_and_hashed():
    moment = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    job = facts_module.JobFact("Backend engineer", "Acme", Decimal("70000"), Decimal("90000"), "EUR", "year",
                               "hybrid", 2)
    contacts = facts_module.ContactSummary(3, moment, None, moment, "disclosed", 4, 5, None)
    priorities = facts_module.PrioritiesFact(Decimal("75000"), None, "EUR", "year", "hybrid", 3, 30,
                                             date(2027, 1, 4), {"pay": 5}, moment, 7)
    built = facts_module.ApplicationFacts(1, "Ada", 2, "Rosa", None, "offer", moment, moment, None, job,
                                          contacts=contacts, priorities=priorities)
    for instance in (job, contacts, priorities, built):
        plain = _dataclass_init(type(instance))(*(getattr(instance, f.name) for f in dataclasses.fields(instance)))
        assert repr(instance).split("(", 1)[1] == repr(plain).split("(", 1)[1]
    assert built.offers == () and built.competing == () and built.candidate_source == ""
    assert built.contacts is contacts and built.stage_before_hold is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, "stage", "accepted")  # noqa: B010 - the assignment itself is what is refused
    assert hash(job) == hash(facts_module.JobFact(*dataclasses.astuple(job)))
    assert job == facts_module.JobFact(*dataclasses.astuple(job))
    # A default factory makes a new value for each instance, as dataclasses does.
    first = facts_module.PrioritiesFact(None, None, "EUR", "year", "", None, None, None)
    second = facts_module.PrioritiesFact(None, None, "EUR", "year", "", None, None, None)
    assert first.importance == {} and first.importance is not second.importance
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'overdue_days'"):
        cast(Any, Due)("contact_due", "Call", date(2026, 12, 1))


def test_refuses_what_it_cannot_build_alike():
    @dataclasses.dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class KeywordOnly:
        a: int
        b: int = dataclasses.field(default=0, kw_only=True)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            if self.a < 0:
                raise ValueError("negative")

    @dataclasses.dataclass(frozen=True)
    class WithoutSlots:
        a: int

    for cls in (NotFrozen, KeywordOnly, Checked, WithoutSlots):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)
