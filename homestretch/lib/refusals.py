"""Refusals: a rule's "no", with the field it is about and a code that says what kind of no.

A refusal is a Django `ValidationError` whose `error_dict` maps the field to an error with a code,
so that every entry point places it without reading its words:

- a form: `place_on_form(form, refusal)`, beside the field it names (above the form when the form
  has no such field, or when it is about the whole request: `NON_FIELD`);
- the API: `is_conflict(refusal)` chooses 409 or 422, `field_errors(refusal)` fills `errors`;
- the command line: `field_errors(refusal)`, printed as `field: message`.

A message can be reworded freely; moving an error to another field means changing its `field`.

The codes: Django's own where they fit, and nine of ours.

A record named in the body that does not exist (404, the field named in `errors`):
  not_found       `candidate_id` of no candidate the caller may see: like a path naming nothing

Bad input in a field (the API answers 422):
  invalid, invalid_choice
                  the value is wrong: an unknown stage, another candidate's touchpoint (Django's)
  missing         the rule needs this field here: a reason on a close, the answer when competition
                  was asked about. Not Django's `required`, which means "always required": a
                  ModelForm replaces the words of a `required` error with "This field is required."
  not_applicable  the rule gives this field no place: lessons on an application still in the
                  process, a loss reason on a move that loses nobody
  out_of_range    the value lies outside the limits of lib/limits.py: a touch dated years ahead,
                  an offer of nothing, a notice of 100,000 days. Not Django's `invalid`, whose
                  words a ModelForm replaces with its field's own ("Enter a number.")

A conflict with the current state of the records (409):
  transition      the stage or status the record is at does not allow this move
  closed          the record, or the one it belongs to, is closed: an offer on a closed
                  application, a job closed again
  duplicate       it exists already: the same candidate twice for one job
  blocked         other records stand in the way: a job with applications still open, or filled
                  with nobody hired
  incomplete      a change that the record as it stands cannot take: amounts sent to a record that
                  has no currency, the currency cleared while amounts are kept (send both together)
  unique, unique_together
                  Django's own, from a unique field: a client's name taken

Any other code, or none (Django's field validation, most constraints), is bad input: 422. A rule
the request's body alone breaks is bad input, and the OpenAPI document states it (lib/api_fields.py);
a rule that only the records' current state breaks is a conflict, which no document can state.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

NON_FIELD = NON_FIELD_ERRORS

INVALID = "invalid"
INVALID_CHOICE = "invalid_choice"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
OUT_OF_RANGE = "out_of_range"
TRANSITION = "transition"
CLOSED = "closed"
DUPLICATE = "duplicate"
BLOCKED = "blocked"
INCOMPLETE = "incomplete"
NOT_FOUND = "not_found"

# A conflict with the current state of the records (409); every other code is bad input (422).
CONFLICTS: frozenset[str] = frozenset({TRANSITION, CLOSED, DUPLICATE, BLOCKED, INCOMPLETE, "unique", "unique_together"})


# Database constraints whose violation is about one field: the constraint's name, which is also its
# `violation_error_code`, to that field. Django reports a CheckConstraint above the form; this table,
# filled beside the constraints themselves (`on_field`, lib/money.py `money_constraints`), puts it
# beside its field on every form (`place_on_form`, `ConstraintsOnFields` in front/forms.py).
CONSTRAINT_FIELDS: dict[str, str] = {}


def on_field(field: str, constraint: Any) -> Any:
    """Mark a constraint as being about `field`: its violation's code is its name, placed on `field`."""
    constraint.violation_error_code = constraint.name
    CONSTRAINT_FIELDS[constraint.name] = field
    return constraint


def with_constraint_fields(error: ValidationError, fields: Any = None) -> ValidationError:
    """The same errors, each violation of a constraint about one field moved beside that field (when
    it is among `fields`, or always when `fields` is None); the rest unchanged."""
    groups = error.error_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD, error.error_list)]
    placed: dict[str, list[ValidationError]] = {}
    for field, items in groups:
        for item in items:
            target = CONSTRAINT_FIELDS.get(item.code or "", field) if field == NON_FIELD else field
            if fields is not None and target != NON_FIELD and target not in fields:
                target = field
            placed.setdefault(target, []).append(item)
    return ValidationError(placed)


class Refused(ValidationError):
    """One rule's refusal: `Refused(field, message, code)`.

    A `ValidationError` like any other (`error_dict == {field: [error with code]}`), so that forms,
    `full_clean` and the API's handler take it as they take Django's own; `field`, `message` and
    `code` are also attributes, and `str()` is the message.
    """

    field: str
    message: str
    code: str

    def __init__(self, field: str, message: str, code: str) -> None:
        super().__init__({field: ValidationError(message, code=code)})
        self.field = field
        self.message = message
        self.code = code
        self.params = None

    def __str__(self) -> str:
        return self.message


def field_errors(error: ValidationError) -> list[tuple[str, str, str | None]]:
    """Every error of a ValidationError as (field, message, code); `NON_FIELD` for the whole record."""
    if hasattr(error, "error_dict"):
        return [
            (field, message, item.code)
            for field, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [(NON_FIELD, message, item.code) for item in error.error_list for message in item.messages]


def is_conflict(error: ValidationError) -> bool:
    """Whether the current state of the records refuses the request (409), rather than its input (422)."""
    return any(code in CONFLICTS for _, _, code in field_errors(error))


def is_not_found(error: ValidationError) -> bool:
    """Whether every error names a record that does not exist (404)."""
    codes = [code for _, _, code in field_errors(error)]
    return bool(codes) and all(code == NOT_FOUND for code in codes)


def status_of(error: ValidationError) -> int:
    """The HTTP status of a refusal: 404 for records named that do not exist, 409 for a conflict with the
    records' current state, 422 for bad input."""
    if is_not_found(error):
        return 404
    return 409 if is_conflict(error) else 422


def place_on_form(form: Any, error: ValidationError) -> None:
    """Put each error beside the field it names, by its field and never by its words; errors about a
    field the form does not show, or about the whole request, go above the form. A database
    constraint's violation goes beside the field it is about (`CONSTRAINT_FIELDS`)."""
    error = with_constraint_fields(error, form.fields)
    for field, items in error.error_dict.items():
        form.add_error(field if field in form.fields else None, items)
