"""The rules between fields of one body, as the OpenAPI document states them, give the API's own verdict.

The fuzz test finds disagreements by chance; these are the rules one by one: for each body, the
document's schema (validated as a client or a generator would, with the validator schemathesis uses)
and the API agree on valid (answered 2xx) or invalid (answered 422).
"""

from __future__ import annotations

import jsonschema_rs
import pytest

from homestretch.api import api
from homestretch.tests.api_client import ApiClient

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")


def document_says_valid(schema_name: str, body: dict) -> bool:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": DOCUMENT["components"]}
    return jsonschema_rs.validator_for(schema).is_valid(body)


CASES = [
    # (schema, path under the application or candidate, body, valid)
    ("StageMoveIn", "stage", {"stage": "withdrawn", "reason": "Took another job"}, False),  # no loss_reason
    ("StageMoveIn", "stage", {"stage": "withdrawn", "loss_reason": "competing_offer"}, False),  # no reason
    ("StageMoveIn", "stage", {"stage": "verification", "loss_reason": "competing_offer"}, False),
    ("StageMoveIn", "stage", {"stage": "verification", "lessons": "Ask earlier"}, False),
    ("StageMoveIn", "stage", {"stage": "verification", "lessons": "   "}, True),
    ("StageMoveIn", "stage", {"stage": "withdrawn", "reason": "Took another job",
                              "loss_reason": "competing_offer", "lessons": "Ask earlier"}, True),
    ("TouchpointIn", "touchpoints", {"channel": "call", "direction": "outbound", "competition_asked": True}, False),
    ("TouchpointIn", "touchpoints", {"channel": "call", "direction": "outbound",
                                     "competition_answer": "none"}, False),
    ("TouchpointIn", "touchpoints", {"channel": "call", "direction": "outbound", "competition_asked": True,
                                     "competition_answer": "none"}, True),
    ("CompetingOfferIn", "competing-offers", {"company": "Globex", "bonus": "5000"}, False),
    ("CompetingOfferIn", "competing-offers", {"company": "Globex", "bonus": "5000", "currency": ""}, False),
    ("CompetingOfferIn", "competing-offers", {"company": "Globex", "bonus": "5000", "currency": "EUR"}, True),
    ("CompetingOfferIn", "competing-offers", {"company": "Globex", "currency": ""}, True),
    ("PrioritiesIn", "priorities", {"base_target": "90000"}, False),
    ("PrioritiesIn", "priorities", {"base_target": "90000", "currency": "EUR"}, True),
]


@pytest.mark.parametrize(("schema_name", "path", "body", "valid"), CASES)
def test_the_document_and_the_api_agree_on_a_rule_between_fields(alice, application, schema_name, path, body,
                                                                  valid):
    assert document_says_valid(schema_name, body) is valid
    client = ApiClient(alice)
    if path in ("stage", "touchpoints"):
        response = client.post(f"/applications/{application.pk}/{path}", body)
    elif path == "priorities":
        response = client.put(f"/candidates/{application.candidate_id}/priorities", body)
    else:
        response = client.post(f"/candidates/{application.candidate_id}/{path}", body)
    assert (200 <= response.status_code < 300) is valid, response.content
    if not valid:
        assert response.status_code == 422, response.content


@pytest.mark.parametrize(("body", "valid"), [
    ({"name": "Ravi", "current_base": "70000"}, False),
    ({"name": "Ravi", "current_base": "70000", "current_currency": "INR"}, True),
    ({"name": "Ravi", "email": "not an address"}, False),
    ({"name": "Ravi", "email": " Ravi@Example.org "}, True),
    ({"name": "Ravi", "email": ""}, True),
])
def test_a_new_candidate_by_the_document_and_by_the_api(alice, body, valid):
    assert document_says_valid("CandidateIn", body) is valid
    response = ApiClient(alice).post("/candidates", body)
    assert response.status_code == (201 if valid else 422), response.content


@pytest.mark.parametrize(("body", "valid"), [
    ({"stage": "withdrawn"}, False),
    ({"stage": "on_hold"}, False),
    ({"stage": "screening", "lessons": "Ask earlier"}, False),
    ({"stage": "screening"}, True),
])
def test_a_new_application_starts_in_the_process_without_lessons(alice, job, body, valid):
    from homestretch.pipeline.models import Candidate

    candidate = Candidate.objects.create(name="Ravi")
    full = {"candidate_id": candidate.pk, "job_id": job.pk, **body}
    assert document_says_valid("ApplicationIn", full) is valid
    response = ApiClient(alice).post("/applications", full)
    assert response.status_code == (201 if valid else 422), response.content


@pytest.mark.parametrize(("body", "valid"), [
    ({"name": "Initech", "website": "javascript:alert(1)"}, False),
    ({"name": "Initech", "website": "ftp://initech.example"}, False),
    ({"name": "Initech", "website": "https://initech.example.com/careers"}, True),
    ({"name": "Initech", "website": ""}, True),
])
def test_a_client_website_is_a_web_address(alice, body, valid):
    assert document_says_valid("ClientIn", body) is valid
    response = ApiClient(alice).post("/clients", body)
    assert response.status_code == (201 if valid else 422), response.content
