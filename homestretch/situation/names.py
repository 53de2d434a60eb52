"""Finding a company's name in free text, whatever the case, accents or punctuation, and replacing it.

Free text a recruiter typed (a candidate's must-haves, notes) may name a competitor the candidate
told us about in confidence: "Pay at least matching Zalando", "zalando's offer", "ZALANDO SE".
Before such text reaches anyone outside the team it goes through `replace_names`.

A name matches on whole words, comparing letters and digits only: accents are dropped, case is
folded, and any run of punctuation or spaces between the name's words matches any other run
("Müller-Lüdenscheid" matches "muller ludenscheid"; "Acme" does not match "Acmeworks").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def _fold_char(char: str) -> str:
    # NFKD splits "ü" into "u" and a combining mark, which is dropped; casefold turns "ß" into "ss".
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of the character of `text` it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W_]+", _folded(name)[0])


def name_pattern(name: str) -> re.Pattern[str] | None:
    """A pattern matching `name` in folded text; None for a name with no letters or digits."""
    words = _words(name)
    if not words:
        return None
    return re.compile(r"(?<![^\W_])" + r"[\W_]*".join(re.escape(word) for word in words) + r"(?![^\W_])")


def mentions(text: str, name: str) -> bool:
    pattern = name_pattern(name)
    return pattern is not None and pattern.search(_folded(text)[0]) is not None


@dataclass(frozen=True, slots=True)
class Replacement:
    """What was replaced in which text: shown to the recruiter before the text is shared."""

    where: str
    found: str  # the words as they were written
    replaced_by: str


def replace_names(text: str, names: dict[str, str], *, where: str) -> tuple[str, tuple[Replacement, ...]]:
    """`text` with every mention of each name replaced by its label, and the list of what was replaced."""
    replacements: list[Replacement] = []
    for name, label in names.items():
        pattern = name_pattern(name)
        if pattern is None:
            continue
        folded, origin = _folded(text)
        spans = [(origin[match.start()], origin[match.end() - 1] + 1) for match in pattern.finditer(folded)]
        for start, end in reversed(spans):
            replacements.append(Replacement(where, text[start:end], label))
            text = text[:start] + label + text[end:]
    replacements.reverse()
    return text, tuple(replacements)
