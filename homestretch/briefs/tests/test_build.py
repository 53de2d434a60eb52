"""Scenario tests of the brief's arithmetic on hand-built applications: levers to the unit, no database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from homestretch.briefs.build import BriefInputs, CompetingDetail, build_brief
from homestretch.risk.actions import PAY_MARGIN
from homestretch.situation.redact import label_for

from .factories import NOW, TODAY, competing, facts, job, offer, priorities
from .leaks import near, numbers_near


def brief_of(application_facts, audience="internal", **inputs):
    return build_brief(BriefInputs(facts=application_facts, **inputs), audience=audience, now=NOW)


def levers_by_code(brief):
    return {lever.code: lever for lever in brief.levers}


def test_higher_competing_offer_with_near_deadline_gives_base_and_offer_date_to_the_unit():
    brief = brief_of(facts())  # no offer yet: band 80,000-95,000, midpoint 87,500; Initech base 90,000
    levers = levers_by_code(brief)
    base = levers["base"]
    # 90,000 x 1.03 = 92,700, rounded up to the next 1,000. Before an offer our side is a base only
    # (the band's middle), so Initech's base is what compares. The target of 92,000 is below the ask
    # and no longer folded into it, so the sentence leaves it out.
    assert base.amount == Decimal(93000)
    assert (base.currency, base.period, base.flag) == ("EUR", "year", "")
    assert base.text == ("Base of at least 93,000 EUR: Initech's offer pays a base of 90,000 EUR (beaten by 3 %). "
                         "Within the job's band (80,000–95,000 EUR).")
    offer_by = levers["offer_by"]
    # Initech's deadline is 2026-11-24; our offer must be out two days before.
    assert offer_by.on == date(2026, 11, 22)
    assert offer_by.days == 2
    assert "Initech expects an answer by 2026-11-24" in offer_by.text


def test_margin_is_the_risk_engines_own():
    assert Decimal("1.03") == PAY_MARGIN
    brief = brief_of(facts(competing=(competing(base=Decimal(100000), bonus=Decimal(0), equity=Decimal(0)),)))
    # 100,000 x PAY_MARGIN = 103,000 exactly: no rounding needed, and above the band's top of 95,000.
    base = levers_by_code(brief)["base"]
    assert base.amount == Decimal(103000)
    assert base.flag == "above_band"
    assert "8,000 EUR above the top of the job's band" in base.text


def test_base_with_an_offer_beats_the_competing_total_and_is_flagged_above_the_band():
    application = facts(offers=(offer(),), competing=(competing(base=Decimal(95000), bonus=Decimal(5000),
                                                               equity=Decimal(0)),))
    base = levers_by_code(brief_of(application))["base"]
    # Both totals are known (ours 90,000 on a base of 85,000; theirs 100,000): the total must reach
    # 103,000, so the base 103,000 - 5,000 = 98,000, above their base x 1.03 = 97,850.
    assert base.amount == Decimal(98000)
    assert "Initech's offer pays 100,000 EUR in total (beaten by 3 %, keeping our bonus and equity)" in base.text
    assert base.flag == "above_band"
    assert "13,000 EUR more than our offer's base of 85,000 EUR" in base.text
    assert "3,000 EUR above the top of the job's band (80,000–95,000 EUR)" in base.text


def test_target_above_the_competition_is_told_but_not_folded_into_the_ask():
    application = facts(competing=(competing(base=Decimal(88000), bonus=Decimal(0), equity=Decimal(0)),),
                        priorities=priorities(base_target=Decimal(94500)))
    base = levers_by_code(brief_of(application))["base"]
    # 88,000 x 1.03 = 90,640 -> 91,000; the minimum (85,000) is lower. The target of 94,500 is not an
    # ask's floor any more: the sentence says the candidate hopes for it.
    assert base.amount == Decimal(91000)
    assert base.text == ("Base of at least 91,000 EUR: Initech's offer pays a base of 88,000 EUR (beaten by 3 %); "
                         "the candidate hopes for 94,500 EUR. Within the job's band (80,000–95,000 EUR).")


def test_offer_already_out_is_dated_against_the_deadline():
    application = facts(offers=(offer(),))
    offer_by = levers_by_code(brief_of(application))["offer_by"]
    assert offer_by.flag == "offer_already_out"
    assert offer_by.on == date(2026, 11, 18)
    assert offer_by.days == 6  # sent 2026-11-18, Initech's deadline 2026-11-24


def test_deadline_tomorrow_means_today():
    application = facts(competing=(competing(deadline=TODAY + timedelta(days=1)),))
    offer_by = levers_by_code(brief_of(application))["offer_by"]
    assert (offer_by.on, offer_by.days, offer_by.flag) == (TODAY, 0, "tight")


def test_remote_first_candidate_and_on_site_job_is_flagged_not_invented():
    application = facts(job=job(remote_policy="onsite", remote_days=None),
                        priorities=priorities(remote_preference="remote", remote_days=None,
                                              importance={"remote": 5}))
    brief = brief_of(application)
    remote = levers_by_code(brief)["remote_days"]
    assert remote.days == 0
    assert remote.flag == "policy_does_not_allow"
    assert "allows 0 remote days a week and the candidate wants 5" in remote.text
    line = next(line for line in brief.priorities if line.topic == "remote_days")
    assert (line.status, line.gap_days) == ("missed", 5)


def test_remote_days_offered_up_to_what_the_policy_allows():
    application = facts(offers=(offer(remote_days=1),),
                        priorities=priorities(remote_preference="remote", remote_days=None))
    remote = levers_by_code(brief_of(application))["remote_days"]
    # Wants 5, the job allows 3, our offer has 1.
    assert remote.days == 3
    assert remote.flag == ""
    assert "the last 2 would need an exception" in remote.text


def test_remote_lever_left_out_when_remote_hardly_matters():
    application = facts(offers=(offer(remote_days=1),),
                        priorities=priorities(remote_preference="remote", importance={"remote": 1}))
    assert "remote_days" not in levers_by_code(brief_of(application))


def test_start_date_fits_the_notice_period_on_a_monday():
    brief = brief_of(facts())
    start = levers_by_code(brief)["start_date"]
    # 30 days of notice from Friday 2026-11-20 end on Sunday 2026-12-20: start Monday 2026-12-21.
    assert start.on == date(2026, 12, 21)
    assert start.days == 31


def test_offer_start_before_the_notice_ends_is_flagged():
    application = facts(offers=(offer(start_date=date(2026, 12, 7)),))
    brief = brief_of(application)
    start = levers_by_code(brief)["start_date"]
    assert start.flag == "before_notice_ends"
    # 30 days of notice from 2026-11-20 end on 2026-12-20; our start of 2026-12-07 is 13 days before.
    assert "our offer's start of 2026-12-07 comes 13 days before the candidate can start (2026-12-20)" in start.text
    line = next(line for line in brief.priorities if line.topic == "start_date")
    assert (line.status, line.gap_days) == ("missed", 13)


def test_no_offer_yet_compares_priorities_with_the_middle_of_the_band():
    brief = brief_of(facts(priorities=priorities(base_min=Decimal(85000), base_target=Decimal(98000))))
    assert brief.our_offer.source == "band"
    lines = {line.topic: line for line in brief.priorities}
    # The same "ours" as the risk engine: the band's middle, (80,000 + 95,000) / 2 = 87,500, not its top.
    # The minimum of 85,000 is met; the target of 98,000 is 98,000 - 87,500 = 10,500 short.
    assert lines["minimum_base"].status == "met"
    assert lines["minimum_base"].ours == "87,500 EUR (the middle of the job's band)"
    assert (lines["target_base"].status, lines["target_base"].gap_amount) == ("missed", Decimal(10500))
    assert lines["target_base"].gap == "10,500 EUR short"


def test_no_offer_and_no_band_names_what_is_missing():
    application = facts(job=job(base_min=None, base_max=None), competing=())
    brief = brief_of(application)
    assert brief.our_offer.source == "none"
    assert "base" not in levers_by_code(brief)
    assert "no offer and no pay band on the job — the base lever cannot be computed" in brief.missing
    assert "no competing process or offer recorded — ask at the next call" in brief.missing


def test_competing_offer_in_another_currency_is_listed_not_compared():
    application = facts(competing=(competing("Umbrella", currency="USD", base=Decimal(120000),
                                             bonus=Decimal(0), equity=Decimal(0)),))
    brief = brief_of(application)
    (line,) = brief.competing_offers
    assert (line.company, line.compared, line.pay) == ("Umbrella", False, "base 120,000 USD")
    assert any("Umbrella's offer is in USD per year, ours in EUR per year" in text for text in brief.missing)
    base = levers_by_code(brief)["base"]
    # No ask (nothing comparable pays more, the band's middle of 87,500 reaches the minimum of 85,000):
    # the lever is the target, 92,000 EUR, never 120,000 USD x 1.03.
    assert (base.amount, base.flag) == (Decimal(92000), "meets_target")
    assert "Umbrella" not in base.text


def test_priorities_in_another_currency_are_not_compared():
    brief = brief_of(facts(priorities=priorities(currency="GBP")))
    lines = {line.topic: line for line in brief.priorities}
    assert lines["minimum_base"].status == "unknown"
    assert any("minimum is in GBP per year, ours in EUR per year" in text for text in brief.missing)


def test_no_priorities_and_competition_never_asked_are_named():
    application = facts(priorities=None, competing=(), contacts=facts().contacts.__class__(touchpoints=1,
                        last_contact_at=NOW - timedelta(days=1)))
    brief = brief_of(application)
    assert brief.priorities == ()
    assert "no priorities recorded — ask what matters most: pay, remote days, start date" in brief.missing
    assert any(text.startswith("competition never asked about") for text in brief.missing)
    assert any(point.startswith("Ask which other processes and offers") for point in brief.talking_points)


def test_closed_application_says_so_and_has_no_levers():
    brief = brief_of(facts(), closed_stage="declined", closed_at=NOW - timedelta(days=2))
    assert brief.application.closed
    assert brief.application.stage == "declined"
    assert brief.levers == ()
    assert brief.talking_points == ()
    assert brief.risk.score is None
    assert brief.missing[0].startswith("This application is closed (declined on 2026-11-18)")


def test_risk_section_comes_from_the_risk_engine():
    from homestretch.risk.engine import assess

    application = facts()
    brief = brief_of(application)
    risk = assess(application, NOW)
    assert brief.risk.score == risk.score
    assert [code for code, _, _ in brief.risk.reasons] == [reason.code for reason in risk.reasons]
    assert [text for _, text in brief.risk.actions] == [action.text for action in risk.actions]


def test_bad_audience_is_refused():
    with pytest.raises(ValueError, match="audience must be internal or client"):
        build_brief(BriefInputs(facts=facts()), audience="everyone", now=NOW)


def test_client_brief_hides_a_confidential_competitor_and_keeps_the_other_levers():
    secret = competing("Hooli", confidential=True, base=Decimal(91234), bonus=Decimal(0), equity=Decimal(0))
    application = facts(competing=(secret,))
    details = (CompetingDetail(role="Staff engineer at Hooli", notes="told me over coffee"),)
    internal = brief_of(application, competing_details=details)
    client = brief_of(application, audience="client", competing_details=details)
    # The levers that say no pay (the offer date, the start) are the same; the base is the redacted
    # situation's own (see the two tests below).
    assert [(lever.code, lever.on, lever.days, lever.flag) for lever in client.levers if lever.code != "base"] == \
        [(lever.code, lever.on, lever.days, lever.flag) for lever in internal.levers if lever.code != "base"]
    assert [lever.code for lever in client.levers] == [lever.code for lever in internal.levers]
    (line,) = client.competing_offers
    assert line.company == label_for(0)
    assert (line.base, line.total, line.notes, line.role) == (None, None, "", "")
    # Its base of 91,234 is above the band's middle of 87,500 (base against base), so a band must lie
    # wholly at or above 87,500 and hold 91,234: its low end would be 90,000, the only multiple of 5,000
    # between, and 90,000 is 1,234 from 91,234 (2.5 % is 2,280.85). No band fits: the pay is not shared,
    # only its side of ours is said.
    assert (line.band_low, line.band_high) == (None, None)
    assert line.pay == "not shared"
    assert line.comparison == "above the middle of our band"
    # The client brief has no risk at all.
    assert (client.risk.probability, client.risk.score, client.risk.band) == (None, None, None)
    assert (client.risk.reasons, client.risk.actions, client.talking_points, client.missing) == ((), (), (), ())
    assert internal.risk.score is not None
    # Sentences that now open on the alias still read as sentences.
    opening = label_for(0)[:1].upper() + label_for(0)[1:]
    assert f"{opening} expects an answer" in [step.text for step in client.application.next_steps]
    text = repr(client)
    assert "Hooli" not in text and "91,234" not in text and "91234" not in text and "coffee" not in text


def test_client_brief_asks_for_the_top_of_a_confidential_band_above_ours():
    secret = competing("Hooli", confidential=True, base=Decimal(101234), bonus=Decimal(0), equity=Decimal(0))
    application = facts(competing=(secret,))
    internal = levers_by_code(brief_of(application))["base"]
    client_brief = brief_of(application, audience="client")
    client = levers_by_code(client_brief)["base"]
    # Internal: 101,234 x 1.03 = 104,271.02 -> 105,000.
    assert internal.amount == Decimal(105000)
    # Client: 101,234 is above the band's middle of 87,500, so the band lies at or above 87,500. Width
    # max(10,000, 101,234 x 0.11 = 11,135.74 up to a 5,000 step) = 15,000; placements holding 101,234:
    # 90,000-105,000 (middle 97,500, 3,734 off), 95,000-110,000 (102,500, 1,266 off), 100,000-115,000
    # (107,500, 6,266 off). 95,000-110,000 is the most central; its ends are 6,234 and 8,766 from 101,234
    # (2.5 % is 2,530.85). It pays more, and the ask is the band's top: 110,000.
    (line,) = client_brief.competing_offers
    assert (line.band_low, line.band_high, line.comparison) == (Decimal(95000), Decimal(110000),
                                                                 "above the middle of our band")
    assert client.amount == Decimal(110000) >= line.band_high
    assert client.text == (f"Base of at least 110,000 EUR: the offer of {label_for(0)} pays a base "
                           "of up to 110,000 EUR. That is 15,000 EUR above the top of the job's band "
                           "(80,000–95,000 EUR): the hiring manager must approve an exception.")
    assert numbers_near(client.text, [Decimal(101234)]) == []
    assert not near(client.amount, Decimal(101234))


def test_client_brief_asks_for_no_figure_when_no_band_fits_above_ours():
    secret = competing("Hooli", confidential=True, base=Decimal(91234), bonus=Decimal(0), equity=Decimal(0))
    # No target: the minimum of 85,000 is the only figure besides Hooli's.
    application = facts(competing=(secret,), priorities=priorities(base_target=None))
    internal = levers_by_code(brief_of(application))["base"]
    client_brief = brief_of(application, audience="client")
    client = levers_by_code(client_brief)["base"]
    # Internal: max(91,234 x 1.03 = 93,971.02, 85,000) -> 94,000, driven by Hooli, which pays more than 87,500.
    assert internal.amount == Decimal(94000)
    # Client: no band fits at or above 87,500 (see above), so the line says only "above the middle of our
    # band", and the ask has no figure left: the minimum of 85,000 is below 87,500.
    (line,) = client_brief.competing_offers
    assert (line.band_low, line.band_high, line.pay, line.comparison) == (
        None, None, "not shared", "above the middle of our band")
    assert (client.amount, client.flag) == (None, "raise_needed")
    assert client.text == (f"Raise the middle of the job's band, 87,500 EUR: the offer of {label_for(0)} pays a "
                           "higher base, and its figures were told in confidence.")
    # The internal lever says the client brief asks for no figure.
    assert internal.text.endswith(" The client brief asks for no figure: what drives this one was told in "
                                  "confidence and can be shared only as a band or as above our offer.")
    assert numbers_near(client.text, [Decimal(91234)]) == []


def test_client_brief_does_not_say_no_offer_pays_more_when_a_confidential_one_is_above_ours():
    secret = competing("Hooli", confidential=True, base=Decimal(91234), bonus=Decimal(0), equity=Decimal(0))
    # A target of 96,000 (more than 2 % from 91,234), so that any figure near the secret is a leak.
    application = facts(competing=(secret,), priorities=priorities(base_target=Decimal(96000)))
    internal = levers_by_code(brief_of(application))["base"]
    client_brief = brief_of(application, audience="client")
    client = levers_by_code(client_brief)["base"]
    # Internal: 91,234 x 1.03 = 93,971.02 -> 94,000, driven by Hooli, which pays more than 87,500.
    assert internal.amount == Decimal(94000)
    (line,) = client_brief.competing_offers
    # No band fits at or above 87,500 (see above): only the side is said.
    assert (line.band_low, line.band_high, line.comparison) == (None, None, "above the middle of our band")
    assert numbers_near(client.text, [Decimal(91234)]) == []
    # The offer pays more: the client brief does not say otherwise, and asks for no figure (the ask has
    # none left: the minimum of 85,000 is below 87,500), as the internal lever says.
    assert "no competing offer pays more" not in client.text
    assert client.flag != "meets_target"
    assert internal.text.endswith(" The client brief asks for no figure: what drives this one was told in "
                                  "confidence and can be shared only as a band or as above our offer.")
    assert (client.amount, client.flag) == (None, "raise_needed")


def test_offer_start_later_than_the_stated_earliest_start_is_missed_by_the_days():
    application = facts(offers=(offer(start_date=date(2027, 1, 4)),),
                        priorities=priorities(notice_days=None, earliest_start=date(2026, 12, 14)))
    brief = brief_of(application)
    line = next(line for line in brief.priorities if line.topic == "start_date")
    # Measured against the proposed start, the first Monday on or after 2026-12-14 (itself a Monday):
    # 2027-01-04 - 2026-12-14 = 21 days.
    assert (line.status, line.gap_days, line.gap) == (
        "missed", 21, "21 days later than 2026-12-14, the first Monday the candidate is free")
    start = levers_by_code(brief)["start_date"]
    assert (start.on, start.flag) == (date(2026, 12, 14), "later_than_needed")
