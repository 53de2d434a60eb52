"""Errors where the recruiter looks (issue 17, items 1 to 3): every error beside the field that
caused it, marked for screen readers, including the ones the database constraints give; only errors
about the whole form above it; a summary at the top of the application page linking to each error;
a move refused from the board said on the board, on the card; the amount ceiling in words."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from homestretch.front.tests.pages import application_at, our_offer, pages_at_now  # noqa: F401
from homestretch.front.tests.test_intake_edits import CANDIDATE, JOB
from homestretch.lib.refusals import CONSTRAINT_FIELDS
from homestretch.offers.models import CompetingOffer, Offer, Priorities
from homestretch.pipeline.choices import LossReason
from homestretch.pipeline.models import Application, Candidate, Job

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pages_at_now")]

CEILING = "An amount is at most 9,999,999,999 EUR."
IMPORTANCE = {f"priorities-importance_{k}": "3" for k in ("pay", "remote", "speed", "title", "growth", "stack")}
PRIORITIES = {"priorities-currency": "EUR", "priorities-period": "year", "priorities-remote_preference": "hybrid",
              **IMPORTANCE}
OFFER = {"offer-status": "extended", "offer-base": "93000", "offer-currency": "EUR", "offer-period": "year",
         "offer-remote_policy": "hybrid", "offer-remote_days": "2"}
COMPETING = {"competing-kind": "external", "competing-company": "Globex", "competing-stage": "offer",
             "competing-currency": "EUR", "competing-period": "year", "competing-remote_policy": "hybrid"}


@pytest.fixture
def offered(job, alice, now):
    application = application_at("Priya Nair", job, alice, "offer", entered=now - timedelta(days=6),
                                 last_call=now - timedelta(days=5))
    our_offer(application, alice, now - timedelta(days=5), base=85000)
    return application


def post(client, name, application, data):
    return client.post(reverse(name, kwargs={"application_id": application.pk}), data)


def field_marked(page: str, field_id: str) -> str:
    """The error said beside the field, with the field marked invalid and described by it; or ''."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{field_id}"[^>]*>', page)
    assert tag, f"no input {field_id}"
    if 'aria-invalid="true"' not in tag.group(0) or f"{field_id}_error" not in tag.group(0):
        return ""
    match = re.search(rf'<p class="error" id="{field_id}_error">(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


def top_box(page: str) -> str:
    """The non-field errors of the form's box: its paragraphs, without the links to the fields."""
    match = re.search(r'<div class="error-box"[^>]*>(.*?)<ul class="error-links">', page, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("name", "data", "field_id", "said"), [
    ("record_offer", {**OFFER, "offer-base": "-5"}, "id_offer-base", "Base cannot be negative."),
    ("add_competing", {**COMPETING, "competing-base": "-5"}, "id_competing-base", "Base cannot be negative."),
    ("set_priorities", {**PRIORITIES, "priorities-base_min": "-5"}, "id_priorities-base_min",
     "Base min cannot be negative."),
    ("set_priorities", {**PRIORITIES, "priorities-base_min": "99000", "priorities-base_target": "90000"},
     "id_priorities-base_min", "The minimum base cannot exceed the target base."),
], ids=["offer", "competing", "priorities", "minimum above target"])
def test_a_constraints_refusal_is_said_beside_its_field_not_above_the_form(client, alice, offered,
                                                                             name, data, field_id, said):
    client.force_login(alice)
    page = post(client, name, offered, data).content.decode()
    assert field_marked(page, field_id) == said
    assert said not in top_box(page)
    assert "Nothing was saved: please correct this field." in page
    assert Offer.objects.filter(application=offered).count() == 1
    assert not CompetingOffer.objects.exists() and not Priorities.objects.exists()


def test_the_application_page_sums_up_a_refused_form_at_its_top_linking_to_each_error(client, alice, offered):
    client.force_login(alice)
    page = post(client, "record_offer", offered, {**OFFER, "offer-base": "-5", "offer-remote_days": "9"}
                ).content.decode()
    summary = re.search(r'<nav class="error-summary".*?</nav>', page, re.S)
    assert summary and summary.start() < page.index('id="risk"')  # above everything else on the page
    assert "Our offer was not saved" in summary.group(0)
    assert '<a href="#id_offer-base">Base: Base cannot be negative.</a>' in summary.group(0)
    assert '<a href="#id_offer-remote_days">' in summary.group(0)
    assert "5" in field_marked(page, "id_offer-remote_days")
    # Without script, the page opens at the form: its action ends with the form's anchor.
    assert f'action="/applications/{offered.pk}/offer/#offer"' in page or 'offer/#offer"' in page


def test_no_summary_on_a_page_with_nothing_refused(client, alice, offered):
    client.force_login(alice)
    page = client.get(reverse("application", kwargs={"application_id": offered.pk})).content.decode()
    assert "error-summary" not in page and 'class="error-box"' not in page


def test_every_constraint_about_one_field_names_a_field_of_its_model():
    from django.apps import apps

    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        for constraint in model._meta.constraints:
            if constraint.name in CONSTRAINT_FIELDS:
                assert constraint.violation_error_code == constraint.name
                assert CONSTRAINT_FIELDS[constraint.name] in names, constraint.name
    assert CONSTRAINT_FIELDS["priorities_min_le_target"] == "base_min"


# --- The ceiling in words, the same on every form -----------------------------------------------


def test_the_amount_ceiling_in_a_recruiters_words_on_the_application_pages_forms(client, alice, offered):
    client.force_login(alice)
    huge = "10000000000"
    for name, data, field_id in [
        ("record_offer", {**OFFER, "offer-base": huge}, "id_offer-base"),
        ("add_competing", {**COMPETING, "competing-base": huge}, "id_competing-base"),
        ("set_priorities", {**PRIORITIES, "priorities-base_target": huge}, "id_priorities-base_target"),
        ("log_touch", {"channel": "call", "direction": "outbound", "competition_answer": "disclosed",
                       "competition_asked": "on", "rival_company": "Globex", "rival_base": huge,
                       "rival_currency": "EUR"}, "id_rival_base"),
    ]:
        page = post(client, name, offered, data).content.decode()
        assert field_marked(page, field_id) == CEILING, name
        assert "digits" not in page, name


def test_the_amount_ceiling_in_words_for_a_candidates_pay_and_a_jobs_band(client, alice, job, candidate):
    client.force_login(alice)
    page = client.post(reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}),
                       {**CANDIDATE, "current_base": "123456789012"}).content.decode()
    assert field_marked(page, "id_current_base") == CEILING
    page = client.post(reverse("edit_job", kwargs={"job_id": job.pk}),
                       {**JOB, "base_max": "123456789012"}).content.decode()
    assert field_marked(page, "id_base_max") == CEILING
    assert "digits" not in page
    assert Candidate.objects.get(pk=candidate.pk).current_base != 123456789012
    assert Job.objects.get(pk=job.pk).base_max != 123456789012


def test_a_negative_candidate_pay_and_an_upside_down_band_beside_their_fields(client, alice, job, candidate):
    client.force_login(alice)
    page = client.post(reverse("edit_candidate", kwargs={"candidate_id": candidate.pk}),
                       {**CANDIDATE, "current_base": "-1"}).content.decode()
    assert field_marked(page, "id_current_base") == "Current base cannot be negative."
    page = client.post(reverse("edit_job", kwargs={"job_id": job.pk}), {**JOB, "base_min": "120000"}).content.decode()
    assert field_marked(page, "id_base_min") == "The pay band&#x27;s minimum cannot exceed its maximum."


# --- A move refused from the board ---------------------------------------------------------------


def test_a_move_refused_from_the_board_is_said_on_the_board_on_its_card(client, alice, job, now):
    interviewing = application_at("Ana Müller", job, alice, "interviewing", entered=now - timedelta(days=3))
    client.force_login(alice)
    board = "/pipeline/?recruiter=&client=&job=&early=1"
    response = post(client, "move_stage", interviewing, {"to_stage": "declined", "loss_reason": LossReason.values[0],
                                                         "reason": "She said no", "lessons": "Call sooner",
                                                         "next": board})
    assert response.status_code == 302
    assert response["Location"] == f"{board}#to-{interviewing.pk}"  # at the card's refused input
    assert Application.objects.get(pk=interviewing.pk).stage == "interviewing"
    page = client.get(response["Location"]).content.decode()
    card = re.search(rf'<li class="board-card refused" id="card-{interviewing.pk}".*?</li>', page, re.S)
    assert card, "the refused card is marked"
    card_html = card.group(0)
    assert "<details class=\"card-move\" open>" in card_html
    assert 'value="declined" selected' in card_html  # what was chosen is kept
    assert 'value="She said no"' in card_html and "Call sooner" in card_html
    said = re.findall(r'<p class="error" id="([^"]+)"[^>]*>(.*?)</p>', card_html)
    assert said == [(f"to-{interviewing.pk}_error", "Declined is for turning down an offer; before the offer stage use "
                                                     "Withdrawn.")]
    for error_id, _ in said:
        if error_id.endswith("_error"):
            assert f'aria-describedby="{error_id}"' in card_html
    top = re.search(r'<div class="error-box board-refusal".*?</div>', page, re.S)
    assert top and "Ana Müller was not moved" in top.group(0)
    assert f'href="#to-{interviewing.pk}"' in top.group(0)
    # Said once: the board drawn again is the plain board.
    again = client.get(board).content.decode()
    assert "board-refusal" not in again and "board-card refused" not in again


def test_a_refused_move_without_the_board_stays_on_the_application_page(client, alice, offered):
    client.force_login(alice)
    response = post(client, "move_stage", offered, {"to_stage": "offer", "next": "https://evil.example/pipeline/"})
    assert response.status_code == 200
    assert "already at" in field_marked(response.content.decode(), "id_to_stage")
