"""Text folded for searching: without accents, case or extra spaces, the same on every database.

"Ana Müller", "ANA MULLER" and "ana  muller" all fold to "ana muller". SQLite's LIKE folds ASCII
only and PostgreSQL's ILIKE keeps accents, so a search that ignores accents compares folded text
with folded text: the records keep a folded copy of what is searched (pipeline.Candidate.search_text,
written with the record), and the query is folded the same way, here.
"""

from __future__ import annotations

import unicodedata

# Letters that carry no combining accent to drop, as a reader would spell them without it.
_PLAIN = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "æ": "ae",
                        "œ": "oe", "þ": "th"})


def fold(text: str) -> str:
    """`text` without accents or case, its runs of spaces as one: 'Zoë  Ødegård' -> 'zoe odegard'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).translate(_PLAIN)
    return " ".join(plain.split())


def folded_words(query: str) -> list[str]:
    """The words of a search, folded, each to be found somewhere: 'Ana Müller' -> ['ana', 'muller']."""
    return fold(query).split()
