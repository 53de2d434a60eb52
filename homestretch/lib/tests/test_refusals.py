"""Refusals: a field and a code that every entry point reads, whatever the message says."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from homestretch.lib import refusals
from homestretch.lib.refusals import NON_FIELD, Refused, field_errors, is_conflict, place_on_form


def test_a_refusal_is_a_validation_error_about_one_field_with_its_code():
    refused = Refused("reason", "Say why.", refusals.MISSING)
    assert isinstance(refused, ValidationError)
    assert (refused.field, refused.message, refused.code, str(refused)) == ("reason", "Say why.", "missing",
                                                                             "Say why.")
    assert refused.message_dict == {"reason": ["Say why."]}
    assert [(e.message, e.code) for e in refused.error_dict["reason"]] == [("Say why.", "missing")]
    assert field_errors(refused) == [("reason", "Say why.", "missing")]


@pytest.mark.parametrize(("code", "conflict"), [
    (refusals.TRANSITION, True), (refusals.CLOSED, True), (refusals.DUPLICATE, True), (refusals.BLOCKED, True),
    (refusals.INCOMPLETE, True), ("unique", True), ("unique_together", True),
    (refusals.MISSING, False), ("required", False), (refusals.INVALID, False), (refusals.INVALID_CHOICE, False),
    (refusals.NOT_APPLICABLE, False), ("max_length", False), (None, False),
])
def test_the_code_alone_says_conflict_or_bad_input(code, conflict):
    assert is_conflict(ValidationError({"stage": ValidationError("Whatever it says.", code=code)})) is conflict


def test_one_conflict_among_bad_input_is_a_conflict():
    mixed = ValidationError({"base": ValidationError("Too many digits.", code="max_digits"),
                             NON_FIELD: ValidationError("The application is closed.", code=refusals.CLOSED)})
    assert is_conflict(mixed)


def test_errors_without_a_field_belong_to_the_whole_record():
    assert field_errors(ValidationError(["One.", ValidationError("Two.", code="invalid")])) == [
        (NON_FIELD, "One.", None), (NON_FIELD, "Two.", "invalid")]


class MoveForm(forms.Form):
    to_stage = forms.CharField(required=False)
    reason = forms.CharField(required=False)


@pytest.mark.parametrize("message", ["Say why the application moves to Declined.", "Pourquoi ?", "stage"])
def test_a_form_places_the_error_by_its_field_whatever_it_says(message):
    form = MoveForm({"to_stage": "declined"})
    assert form.is_valid()
    place_on_form(form, Refused("reason", message, refusals.MISSING))
    assert [(e.message, e.code) for e in form.errors.as_data()["reason"]] == [(message, "missing")]
    assert "to_stage" not in form.errors


def test_a_field_the_form_does_not_show_goes_above_the_form():
    form = MoveForm({})
    assert form.is_valid()
    place_on_form(form, Refused("reopen", "There is nothing to reopen.", refusals.TRANSITION))
    place_on_form(form, Refused(NON_FIELD, "The application is closed.", refusals.CLOSED))
    assert [e.code for e in form.non_field_errors().as_data()] == ["transition", "closed"]


def test_the_command_line_prints_field_and_message_and_the_whole_requests_alone(capsys):
    from homestretch.lib.console import refused

    exit_ = refused(ValidationError({"reason": ValidationError("Say why.", code=refusals.MISSING),
                                     NON_FIELD: ValidationError("The application is closed.", code=refusals.CLOSED)}))
    assert exit_.exit_code == 1
    assert capsys.readouterr().err.splitlines() == ["Error: reason: Say why.", "Error: The application is closed."]


@pytest.mark.parametrize(("codes", "status"), [
    ([refusals.NOT_FOUND], 404),
    ([refusals.NOT_FOUND, refusals.NOT_FOUND], 404),
    ([refusals.NOT_FOUND, refusals.INVALID], 422),  # bad input besides: the body is wrong anyway
    ([refusals.DUPLICATE], 409),
    ([refusals.MISSING], 422),
    ([None], 422),
])
def test_the_status_of_a_refusal(codes, status):
    error = ValidationError({f"field{i}": ValidationError("Whatever.", code=code) for i, code in enumerate(codes)})
    assert refusals.status_of(error) == status
