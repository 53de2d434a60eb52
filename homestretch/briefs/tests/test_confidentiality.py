"""Nothing told in confidence, and no private note, reaches the brief shared with the hiring manager."""

from __future__ import annotations

import json

import pytest

from homestretch.briefs.render import as_html, as_json, as_markdown
from homestretch.briefs.services import brief_for

from .conftest import MARKERS, SECRET_PAY

pytestmark = pytest.mark.django_db


def rendered(brief) -> dict[str, str]:
    return {"md": as_markdown(brief), "html": as_html(brief), "json": json.dumps(as_json(brief), ensure_ascii=False)}


def test_no_confidential_or_private_string_reaches_the_client_brief_in_any_format(full_application, now):
    client = rendered(brief_for(full_application.pk, audience="client", now=now))
    for fmt, text in client.items():
        for field, marker in MARKERS.items():
            assert marker.casefold() not in text.casefold(), f"{field} leaked into the client brief as {fmt}"
        for pay in SECRET_PAY:
            assert pay not in text, f"the confidential pay {pay} leaked into the client brief as {fmt}"


def test_the_internal_brief_carries_what_the_client_brief_leaves_out(full_application, now):
    # The same search finds the planted strings where they belong, so the test above can fail.
    internal = rendered(brief_for(full_application.pk, audience="internal", now=now))
    for fmt, text in internal.items():
        for field in ("confidential_company", "confidential_role", "confidential_notes", "counteroffer_company",
                      "open_competing_notes", "candidate_notes"):
            assert MARKERS[field] in text, f"{field} missing from the internal brief as {fmt}"
        assert "104,567" in text or "104567" in text


def test_client_brief_shows_the_confidential_offer_as_above_ours_and_keeps_its_deadline(full_application, now):
    brief = brief_for(full_application.pk, audience="client", now=now)
    by_company = {line.company: line for line in brief.competing_offers}
    hidden = by_company["a company told in confidence (A)"]
    assert (hidden.pay, hidden.base, hidden.total, hidden.notes) == ("above our offer", None, None, "")
    assert str(hidden.deadline) == "2026-11-23"
    counteroffer = by_company["a company told in confidence (B)"]
    assert counteroffer.kind == "counteroffer"
    assert counteroffer.pay == "between 90,000 and 100,000 EUR"
    # The open processes keep their names.
    assert {"Initech", "Umbrella"} <= set(by_company)
    # The levers are the same numbers as the internal brief's.
    internal = brief_for(full_application.pk, audience="internal", now=now)
    assert [(lever.code, lever.amount, lever.on) for lever in brief.levers] == \
        [(lever.code, lever.amount, lever.on) for lever in internal.levers]
    # The risk's pay sentences were rewritten, not dropped.
    assert any(code == "competing_pay_gap" and "told in confidence pays more than ours" in text
               for code, text, _ in brief.risk.reasons)
