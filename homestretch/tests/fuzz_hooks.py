"""Schemathesis hooks for the fuzz test: what the OpenAPI document cannot state, told to the generator.

JSON Schema states a field's own bounds and the rules between fields of one body (the document does,
lib/api_fields.py); it cannot state a bound relative to the moment of the request, nor compare two
fields. The API has three such rules, said in the fields' descriptions and in docs/api.md:

- a touch is dated at most a day ahead of now (lib/limits.py `TOUCH_AHEAD`);
- the dates of a live record (an offer's start and expiry, a competing deadline, an earliest start)
  lie between 2 years back and 3 years ahead of the write (`LIVE_YEARS_BACK`, `LIVE_YEARS_AHEAD`);
- a pay band's or a wish's minimum is at most its maximum or target;
- the body of `POST /mail` is an e-mail (the document can only say "bytes");
- a candidate's legal basis is renewed after the day it was obtained (`basis_renew_by` after
  `basis_obtained_at`, or after the day of the write when the basis is dated by it: pipeline/consent.py);
- a period in a query starts on or before it ends (`from` and `to` of `GET /audit`).

For requests the generator means to be valid (positive mode) this hook moves such values inside those
rules, as a client that read the document would send them; schemathesis then checks the request
against the document again. Requests meant to be invalid are sent as generated. Every request's
`Idempotency-Key` is made unique, as clients make theirs: a key drawn twice would replay the first
answer by design (tested in accounts/tests/test_idempotency.py), which is not what a fuzzer asks.

One check is schemathesis' own told what the API documents: `created_resource_available` runs its
`ensure_resource_availability` (ST302, "a record just created answers 404"; the test excludes the bare
one) and accepts two 404s the check cannot tell from a lost record (docs/api.md, "Errors"): a 404 that
names a field of the body (`recruiter_id` of no active recruiter: the record in the path is there), and
a record whose candidate the run deleted (deleting a candidate deletes their applications, and with them
their touches and offers).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import schemathesis
from schemathesis.openapi.checks import EnsureResourceAvailability
from schemathesis.specs.openapi.checks import ensure_resource_availability

LIVE_DATES = ("start_date", "expires_on", "deadline", "earliest_start")
# The moment a live record's dates are measured from, when the body gives it.
WRITE_MOMENTS = ("at", "learned_at", "as_of")
MINIMUM_AT_MOST = (("base_min", "base_max"), ("base_min", "base_target"))


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    if case.headers and "Idempotency-Key" in case.headers:
        case.headers["Idempotency-Key"] = uuid.uuid4().hex
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.path.endswith("/mail") and case.method.upper() == "POST":
        # The body is any bytes to the document (format: binary); a valid one is an e-mail (docs/mail-in.md).
        case.body = (f"From: someone@example.net\r\nTo: alice@example.com\r\nSubject: Hello\r\n"
                     f"Message-ID: <{uuid.uuid4().hex}@fuzz>\r\n\r\nHello\r\n").encode()
        return
    first, last = _day((case.query or {}).get("from")), _day((case.query or {}).get("to"))
    if first is not None and last is not None and first > last:
        case.query["from"], case.query["to"] = case.query["to"], case.query["from"]
    if not isinstance(case.body, dict):
        return
    body = case.body
    now = datetime.now(UTC)
    if any(body.get(name) for name in LIVE_DATES):
        for name in WRITE_MOMENTS:
            if body.get(name):
                body[name] = now.isoformat()
        for name in LIVE_DATES:
            day = _day(body.get(name))
            if day is not None:
                # Anywhere from about 700 days back to 800 ahead: inside 2 years back, 3 ahead.
                body[name] = (now.date() + timedelta(days=day.toordinal() % 1500 - 700)).isoformat()
    if case.path.endswith("/touchpoints") and case.method.upper() == "POST":
        at = _moment(body.get("at"))
        if at is not None and at > now:
            body["at"] = (now - (at - now) % timedelta(days=3000)).isoformat()
    if "/candidates" in case.path:
        _renewed_after_obtained(body, now)
    for low, high in MINIMUM_AT_MOST:
        low_value, high_value = _number(body.get(low)), _number(body.get(high))
        if low_value is not None and high_value is not None and low_value > high_value:
            body[low], body[high] = body[high], body[low]


@schemathesis.check
def created_resource_available(ctx: Any, response: Any, case: Any) -> bool | None:
    """ensure_resource_availability, failing only where the record in the path is really missing."""
    try:
        return ensure_resource_availability(ctx, response, case)
    except EnsureResourceAvailability:
        if names_a_field_of_the_body(_json_of(response)):
            return None
        recorder = ctx.internals.recorder
        parent = ctx.internals.find_parent(case_id=case.id)
        created = _json_of(ctx.internals.find_response(case_id=parent.id)) if parent is not None else None
        if recorder is not None:
            deleted, applications = _what_the_run_did(recorder)
            if went_with_its_candidate(created, case.path_parameters or {}, applications, deleted):
                return None
        raise


def names_a_field_of_the_body(problem: Any) -> bool:
    """A 404 about a record the body names (its problem's `errors` name the field), not the one in the path."""
    return isinstance(problem, dict) and any(
        isinstance(error, dict) and error.get("field") for error in problem.get("errors") or ())


def went_with_its_candidate(created: Any, path_parameters: dict[str, Any], applications: dict[str, str],
                            deleted: set[str]) -> bool:
    """The record created (or the one its path names) belonged to a candidate deleted since, and went with
    them: its own `candidate_id`, the path's, or that of its application (`applications`: the candidate of
    each application the run saw, by id)."""
    created = created if isinstance(created, dict) else {}
    owners = {
        created.get("candidate_id"), path_parameters.get("candidate_id"),
        applications.get(str(created.get("application_id"))),
        applications.get(str(path_parameters.get("application_id"))),
    }
    return any(str(owner) in deleted for owner in owners if owner is not None)


def _what_the_run_did(recorder: Any) -> tuple[set[str], dict[str, str]]:
    """The candidates the run deleted (`DELETE /candidates/{candidate_id}` answered 2xx), and the candidate of
    every application an answer showed (a body with `job_id` and `candidate_id`), by the application's id."""
    deleted, applications = set(), {}
    for prior in recorder.find_all_cases():
        answer = recorder.find_response(case_id=prior.id)
        if answer is None or not 200 <= answer.status_code < 300:
            continue
        operation = prior.operation
        if operation.method.upper() == "DELETE" and operation.path.endswith("/candidates/{candidate_id}"):
            deleted.add(str(prior.path_parameters.get("candidate_id")))
        shown = _json_of(answer)
        for record in shown if isinstance(shown, list) else [shown]:
            if isinstance(record, dict) and "job_id" in record and "candidate_id" in record:
                applications[str(record.get("id"))] = str(record["candidate_id"])
    return deleted, applications


def _json_of(response: Any) -> Any:
    try:
        return response.json() if response is not None else None
    except ValueError:
        return None


def _renewed_after_obtained(body: dict, now: datetime) -> None:
    """A renew-by day after the day the basis was obtained (the body's, else the day of the write)."""
    renew_by = _day(body.get("basis_renew_by"))
    if renew_by is None:
        return
    obtained = _moment(body.get("basis_obtained_at"))
    if obtained is not None and obtained.year >= 2099:  # no renewal day left within the API's years
        body["basis_obtained_at"], obtained = now.isoformat(), now
    latest_start = max(obtained.astimezone(UTC).date() if obtained is not None else now.date(), now.date())
    if renew_by <= latest_start + timedelta(days=1):
        body["basis_renew_by"] = (latest_start + timedelta(days=2 + renew_by.toordinal() % 700)).isoformat()


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None
