"""What a client brief must never hold, as checks the brief's tests share: the three renderings, and
every number in them that comes near a confidential amount."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal

from homestretch.briefs.render import as_html, as_json, as_markdown

# ISO dates and moments (2026-11-20, 2026-11-20T09:30:00+00:00) and clock times (09:30): not amounts.
_DATES = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
                    r"|\b\d{2}:\d{2}\b")
# 101,234 or 101234 or 101234.5: a run of digits, with or without thousands separators.
_NUMBERS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d,.])\d+(?:\.\d+)?(?![\d,])")
NEAR = Decimal("0.02")
# Headings and markers of the parts only the internal brief has, in the Markdown and the HTML.
INTERNAL_MARKERS = ("Risk (internal)", 'id="brief-risk"', "Talking points", "Missing (internal)",
                    'id="brief-missing"', "Internal only", "brief-internal-parts", "Notes on", "## Levers",
                    ">Levers<", "probability of losing")


def rendered(brief) -> dict[str, str]:
    """The brief as Markdown, HTML and JSON text."""
    return {"md": as_markdown(brief), "html": as_html(brief),
            "json": json.dumps(as_json(brief), ensure_ascii=False)}


def numbers_in(text: str, *, at_least: int = 1000) -> list[Decimal]:
    """Every number of at least `at_least` in `text` once ISO dates and times are taken out."""
    text = _DATES.sub(" ", text)
    found = (Decimal(match.replace(",", "")) for match in _NUMBERS.findall(text))
    return [number for number in found if number >= at_least]


def near(number: Decimal, secret: Decimal, share: Decimal = NEAR) -> bool:
    """Within `share` of `secret` (2 % by default)."""
    return abs(number - secret) <= share * secret


def numbers_near(text: str, secrets: Iterable[Decimal]) -> list[tuple[Decimal, Decimal]]:
    """(number, secret) for every number of `text` within 2 % of one of `secrets`."""
    secrets = [secret for secret in secrets if secret is not None and secret > 0]
    return [(number, secret) for number in numbers_in(text) for secret in secrets if near(number, secret)]
