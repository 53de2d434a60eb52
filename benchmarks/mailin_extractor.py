"""The mail-in extractor (homestretch/mailin/extract.py) on the labelled messages of its tests
(homestretch/mailin/tests/labelled.py): precision and recall on company, amount with currency, and
deadline — on the 85 messages the rules were written against, and on 20 held out — and the time to read
one message beside splitting it into sentences alone. Needs no demo data."""

from __future__ import annotations

from benchmarks import BenchContext, Figure, median_seconds, register
from homestretch.mailin.extract import extract, sentences
from homestretch.mailin.scoring import score
from homestretch.mailin.tests.labelled import CURRENT_EMPLOYER, HELD_OUT, LABELLED, OUR_COMPANIES, SAID_AT


def measure(repeat: int = 5) -> list[Figure]:
    figures = []
    for label, labelled in (("tuned-on", LABELLED), ("held-out", HELD_OUT)):
        for field, result in score(labelled, said_at=SAID_AT, current_employer=CURRENT_EMPLOYER,
                                   our_companies=OUR_COMPANIES).items():
            expected = result.true_positives + result.false_negatives
            for name, value in (("precision", result.precision), ("recall", result.recall)):
                figures.append(Figure("mailin_extractor", f"{field} {name}, {len(labelled)} {label} messages",
                                      round(value, 3), "", notes=f"{expected} labelled; target >= "
                                      f"{0.9 if name == 'precision' else 0.8}"))
    texts = [message.text for message in (*LABELLED, *HELD_OUT)]

    def read_all() -> None:
        for text in texts:
            extract(text, said_at=SAID_AT, current_employer=CURRENT_EMPLOYER, our_companies=OUR_COMPANIES)

    def split_all() -> None:
        for text in texts:
            sentences(text)

    per_message = median_seconds(read_all, repeat) / len(texts) * 1000
    split = median_seconds(split_all, repeat) / len(texts) * 1000
    figures.append(Figure("mailin_extractor", "extract one message", round(per_message, 3), "ms",
                          "split it into sentences", round(split, 4), runs=repeat))
    return figures


@register("mailin_extractor")
def mailin_extractor(context: BenchContext) -> list[Figure]:
    return measure(repeat=context.repeat)
