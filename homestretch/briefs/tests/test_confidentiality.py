"""Nothing told in confidence, and no private note, reaches the brief shared with the hiring manager."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from homestretch.briefs.render import as_html, as_json, as_markdown
from homestretch.briefs.services import brief_for
from homestretch.situation.redact import label_for

from .conftest import MARKERS, SECRET_PAY
from .leaks import near, numbers_near

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


def test_client_brief_shows_the_confidential_offer_as_a_band_above_ours_and_keeps_its_deadline(full_application, now):
    brief = brief_for(full_application.pk, audience="client", now=now)
    by_company = {line.company: line for line in brief.competing_offers}
    hidden = by_company[label_for(0)]
    # Every band keeps more than 2.5 % from every confidential figure of the application: 101,234, 3,333
    # and 104,567 (this offer; its equity is 0) and 90,000 (the counteroffer's base). 101,234 is above our
    # base of 85,000, so the band lies at or above 85,000. Width max(10,000, 101,234 x 0.11 = 11,135.74 up
    # to a 5,000 step) = 15,000; placements holding 101,234: 90,000-105,000 (middle 97,500, 3,734 off),
    # 95,000-110,000 (102,500, 1,266 off), 100,000-115,000 (107,500, 6,266 off). 95,000-110,000 is the
    # most central: 95,000 is 6,234 from 101,234 (> 2,530.85), 9,567 from 104,567 (> 2,614.18) and 5,000
    # from 90,000 (> 2,250); 110,000 is 8,766, 5,433 and 20,000 from them. "above our offer".
    assert (hidden.pay, hidden.comparison) == ("base between 95,000 and 110,000 EUR", "above our offer")
    assert (hidden.band_low, hidden.band_high, hidden.base, hidden.total, hidden.notes) == (
        Decimal(95000), Decimal(110000), None, None, "")
    assert str(hidden.deadline) == "2026-11-23"
    counteroffer = by_company[label_for(1)]
    assert counteroffer.kind == "counteroffer"
    # 90,000, above our base of 85,000 (its total is not known): at or above 85,000. Width max(10,000,
    # 90,000 x 0.11 = 9,900 up to a 5,000 step) = 10,000 (a tenth of a top of 100,000 at most);
    # 85,000-95,000 (middle 90,000) before 90,000-100,000 (95,000). 85,000 and 95,000 are 5,000 from
    # 90,000 (> 2,250), 16,234 and 6,234 from 101,234 (> 2,530.85), 19,567 and 9,567 from 104,567: it
    # lies wholly above our base, "above our offer".
    assert (counteroffer.pay, counteroffer.comparison) == ("base between 85,000 and 95,000 EUR", "above our offer")
    assert (counteroffer.band_low, counteroffer.band_high) == (Decimal(85000), Decimal(95000))
    # The open processes keep their names.
    assert {"Initech", "Umbrella"} <= set(by_company)
    # The levers that say no pay are the internal brief's; the base ask is the redacted situation's own.
    internal = brief_for(full_application.pk, audience="internal", now=now)
    assert [(lever.code, lever.amount, lever.on, lever.days, lever.flag) for lever in brief.levers
            if lever.code != "base"] == \
        [(lever.code, lever.amount, lever.on, lever.days, lever.flag) for lever in internal.levers
         if lever.code != "base"]
    client_base = next(lever for lever in brief.levers if lever.code == "base")
    internal_base = next(lever for lever in internal.levers if lever.code == "base")
    # Internal: 101,234 x 1.03 = 104,271.02 -> 105,000. Client: max(the bands' tops 110,000 and 95,000, the
    # minimum 85,000) = 110,000, the top of the band above ours.
    assert (internal_base.amount, client_base.amount) == (Decimal(105000), Decimal(110000))
    assert client_base.amount >= hidden.band_high
    secrets = [Decimal(101234), Decimal(3333), Decimal(104567), Decimal(90000)]
    assert numbers_near(client_base.text, secrets) == []
    assert not any(near(client_base.amount, secret) for secret in secrets)
    # No risk in the client brief: not its reasons rewritten, none at all.
    assert (brief.risk.probability, brief.risk.score, brief.risk.reasons, brief.risk.actions) == (None, None, (), ())
    assert as_json(brief)["risk"] is None
    assert internal.risk.reasons and any(code == "competing_pay_gap" for code, _, _ in internal.risk.reasons)
