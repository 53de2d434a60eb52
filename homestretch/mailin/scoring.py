"""Precision and recall of the extractor on a labelled set: company, amount with its currency, and
deadline, each counted per message as sets (a rival found twice counts once). Used by the extractor's
test and by the benchmarks, which print the figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from .extract import extract


class LabelledRival(Protocol):
    @property
    def company(self) -> str: ...
    @property
    def amount(self) -> int | None: ...
    @property
    def currency(self) -> str: ...
    @property
    def deadline(self) -> date | None: ...


class LabelledMessage(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def rivals(self) -> tuple[LabelledRival, ...]: ...


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    def add(self, found: set, expected: set) -> None:
        self.true_positives += len(found & expected)
        self.false_positives += len(found - expected)
        self.false_negatives += len(expected - found)


def score(labelled: Iterable[LabelledMessage], *, said_at: datetime, current_employer: str = "",
          our_companies: tuple[str, ...] = ()) -> dict[str, Score]:
    scores = {"company": Score(), "amount": Score(), "deadline": Score()}
    for message in labelled:
        findings = extract(message.text, said_at=said_at, current_employer=current_employer,
                           our_companies=our_companies)
        scores["company"].add({f.company.lower() for f in findings.competing},
                              {r.company.lower() for r in message.rivals})
        scores["amount"].add({(f.amount, f.currency) for f in findings.competing if f.amount and f.currency},
                             {(Decimal(r.amount).quantize(Decimal("0.01")), r.currency) for r in message.rivals
                              if r.amount and r.currency})
        scores["deadline"].add({f.deadline for f in findings.competing if f.deadline},
                               {r.deadline for r in message.rivals if r.deadline})
    return scores
