"""The REST API under /api/v1/: bearer-token authentication, problem documents for every error,
each app's router mounted. Endpoints live in `<app>/api.py` and call the same services and access
helpers as the pages and the command line.

Every error answers an RFC 9457 problem document (`application/problem+json`) with `type`, `title`,
`status`, `detail` and, for bad input, `errors`: a list of `{field, message}`.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.security import HttpBearer

from homestretch.accounts import idempotency
from homestretch.accounts.tokens import verify_token
from homestretch.lib.problems import Conflict, Problem
from homestretch.lib.refusals import NON_FIELD, field_errors, status_of, with_constraint_fields
from homestretch.lib.request_size import body_limit_in_words

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://homestretch.invalid/problems/"
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Invalid input",
    500: "Server error",
}
# The writes that take an Idempotency-Key (DELETE is idempotent already: a repeat answers 404).
IDEMPOTENT_METHODS = frozenset({"POST", "PUT", "PATCH"})
SLUGS = {
    400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
    409: "conflict", 413: "content-too-large", 422: "invalid-input", 500: "server-error",
}


class BearerToken(HttpBearer):
    """`Authorization: Bearer hs_…`; the token acts with its user's rights and no more."""

    def authenticate(self, request: HttpRequest, token: str):
        # Once a request: a keyed write is authenticated before ninja runs it (run_once_per_key).
        known = getattr(request, "_bearer_token_user", None)
        if known is not None and known[0] == token:
            return known[1]
        user = verify_token(token.strip(), at=timezone.now())
        request._bearer_token_user = (token, user)  # type: ignore[attr-defined]
        if user is None:
            return None
        request.user = user
        return user


def unknown_endpoint(request: HttpRequest, unknown: str = "") -> HttpResponse:
    return problem(request, 404, f"No API endpoint at {request.path}; see /api/v1/docs.")


class JsonObjectParser(Parser):
    """Request bodies are JSON objects: a list, a number or a bare string is refused (400)."""

    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": idempotency.HEADER,
    "required": False,
    "description": "Send the same key again to repeat this request safely: within 24 hours, a repeat by the "
    "same user to the same endpoint gets the first successful response again (with `Idempotent-Replayed: "
    "true`) and writes nothing; 409 while the first is still being processed; 422 when the key was used "
    "with a different body. A refused request keeps no key.",
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY_LENGTH,
               "pattern": "^[!-~]+$"},
}


def operation_id_of(function_name: str) -> str:
    """An endpoint's OpenAPI operation id, camelCase from its function's name: `read_job` -> `readJob`,
    so that generated clients read naturally (`read_job.sync(...)`, `readJob(...)`). Function names are
    unique across the routers; a test keeps them so."""
    first, *rest = function_name.split("_")
    return first + "".join(word.capitalize() for word in rest)


class HomestretchAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return operation_id_of(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any):
        schema = super().get_openapi_schema(*args, **kwargs)
        # Errors are problem documents: say so in the document, under their own media type.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status)[0] in "45" and "application/json" in content:
                        response["content"] = {"application/problem+json": content["application/json"]}
        # Every write takes an Idempotency-Key (run_once_per_key).
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if method.upper() in IDEMPOTENT_METHODS:
                    operation.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY_PARAMETER))
        # The brief also answers Markdown and HTML (?format=md|html), a candidate's export HTML (?format=html).
        text = {"type": "string"}
        also_answered = {
            "/applications/{application_id}/brief": {"text/markdown": {"schema": text}, "text/html": {"schema": text}},
            "/candidates/{candidate_id}/export": {"text/html": {"schema": text}},
        }
        for address, operations in schema.get("paths", {}).items():
            for suffix, content in also_answered.items():
                if address.endswith(suffix) and "get" in operations:
                    operations["get"]["responses"][200]["content"].update(content)
        return schema

    @property
    def urls(self):
        # The API answers 401 problem documents itself: the sign-in redirect of
        # LoginRequiredMiddleware is for pages, not for machines.
        patterns, app_name, namespace = super().urls
        # Any other path under the API is a 404 problem document too, not the site's HTML page.
        patterns = [path("", unknown_endpoint), *patterns, path("<path:unknown>", unknown_endpoint)]
        for pattern in patterns:
            assert isinstance(pattern, URLPattern), "ninja mounts its endpoints flat, with no include()"
            login_not_required(pattern.callback)
        return patterns, app_name, namespace


api = HomestretchAPI(
    title="Homestretch API",
    version="1",
    description="Every record, the agenda, risk and briefs of Homestretch. "
    "Authenticate with a personal token: `Authorization: Bearer hs_…`.",
    auth=BearerToken(),
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api",
    parser=JsonObjectParser(),
)


def problem(request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None, slug: str | None = None) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + (slug or SLUGS.get(status, "error")),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": errors or [],
    }
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def log_failure(request: HttpRequest, exc: Exception) -> None:
    """Where it failed, for the operator: the exception's type, the path and the stack frames, never the
    exception's message or the request's body (either may hold a candidate's personal data)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("%s in the API on %s %s\n%s", type(exc).__name__, request.method, request.path, frames)


def run_once_per_key(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Every write (POST, PUT, PATCH) sent with an `Idempotency-Key` header runs once: a repeat with
    the same key, by the same user, to the same endpoint, within 24 hours, gets the first response
    again (with `Idempotent-Replayed: true`) and writes nothing (homestretch/accounts/idempotency.py).
    Wraps ninja's whole run of an operation, so that the response kept is exactly the one sent."""

    @wraps(run)
    def run_once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(idempotency.HEADER)
        if key is None or request.method not in IDEMPOTENT_METHODS:
            return run(request, *args, **kwargs)
        user = _caller(request)
        if not user:
            return run(request, *args, **kwargs)  # ninja answers 401 itself
        if not idempotency.key_is_valid(key):
            return problem(request, 422, f"The {idempotency.HEADER} header must be {idempotency.KEY_RULE}.",
                           [{"field": idempotency.HEADER, "message": f"Use {idempotency.KEY_RULE}."}])
        try:
            body = request.body
        except RequestDataTooBig:
            return run(request, *args, **kwargs)  # ninja answers 413 itself
        outcome = idempotency.claim(
            user, key, idempotency.endpoint_of(request.method, request.path),
            idempotency.fingerprint(request.META.get("QUERY_STRING", ""), body), at=timezone.now(),
        )
        if isinstance(outcome, idempotency.Replay):
            stored = outcome.response
            replay = HttpResponse(stored.body, status=stored.status, content_type=stored.content_type)
            replay["Idempotent-Replayed"] = "true"
            return replay
        if isinstance(outcome, idempotency.Reused):
            return problem(
                request, 422, f"This {idempotency.HEADER} was already used for a different request to this "
                "endpoint; send a new key with a new request.",
                [{"field": idempotency.HEADER, "message": "Already used with a different body."}],
                slug="idempotency-key-reused",
            )
        if isinstance(outcome, idempotency.InProgress):
            return problem(
                request, 409, f"A request with this {idempotency.HEADER} is still being processed; "
                "send it again once that one has answered.",
                [{"field": idempotency.HEADER, "message": "A request with this key is being processed."}],
                headers={"Retry-After": "1"}, slug="request-in-progress",
            )
        try:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                if not 200 <= response.status_code < 300 or not isinstance(response, HttpResponse):
                    raise _NotKept(response)
                idempotency.keep(outcome, idempotency.StoredResponse(
                    response.status_code, response["Content-Type"], response.content.decode("utf-8"),
                ))
        except _NotKept as refused:
            # A refusal or a failure wrote nothing (its writes are rolled back here): a repeat runs again.
            idempotency.release(outcome)
            return refused.response
        except idempotency.ClaimLost:
            return problem(request, 409, f"Another request with this {idempotency.HEADER} took over while this "
                           "one ran; this one changed nothing.", slug="request-in-progress")
        except BaseException:
            idempotency.release(outcome)
            raise
        return response

    return run_once


def _caller(request: HttpRequest) -> Any:
    """The token's user, before ninja runs the operation (the key is theirs); None when unauthenticated."""
    for authenticate in api.auth if isinstance(api.auth, list | tuple) else [api.auth]:
        user = authenticate(request) if callable(authenticate) else None
        if user:
            return user
    return None


class _NotKept(Exception):  # noqa: N818 - a signal to roll back, not an error
    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


api.add_decorator(run_once_per_key, mode="view")


def _location(loc: Any) -> str:
    # ninja reports ("body", "payload", "stage") or ("query", "on"); the client knows its field by name.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "body"


def django_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    """`errors` of a problem document: each refusal's field (`request` for the whole request)."""
    return [{"field": "request" if field == NON_FIELD else field, "message": message}
            for field, message, _ in field_errors(with_constraint_fields(exc))]


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _location(e.get("loc", ())), "message": str(e.get("msg", "is invalid"))} for e in exc.errors]
    return problem(request, 422, "The request has invalid fields; see errors.", errors)


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """Every rule's refusal (lib/refusals.py): 404 for a record named that does not exist, 409 when its code
    is a conflict with the current state of the records, 422 for bad input; endpoints never check a rule
    again to choose."""
    errors = django_errors(exc)
    detail = errors[0]["message"] if len(errors) == 1 else "The record breaks some rules; see errors."
    return problem(request, status_of(exc), detail, errors)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return problem(request, 409, exc.detail, exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        request, 401, "Send a valid personal API token: 'Authorization: Bearer hs_…'.",
        headers={"WWW-Authenticate": 'Bearer realm="homestretch"'},
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The body must be a JSON object in UTF-8."
    return problem(request, exc.status_code, detail)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    # Django refuses to read a body over DATA_UPLOAD_MAX_MEMORY_SIZE; the client sent too much, nothing failed here.
    return problem(request, 413, f"The request body is larger than {body_limit_in_words()}; send less at a time.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, 404, str(exc) or "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # A service's "no such record (at that moment)": the message names the record, never personal data.
    return problem(request, 404, str(exc) or "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(ProtectedError)
def _protected(request: HttpRequest, exc: ProtectedError) -> HttpResponse:
    return problem(request, 409, "Other records still refer to this one; remove or move them first.")


@api.exception_handler(RestrictedError)
def _restricted(request: HttpRequest, exc: RestrictedError) -> HttpResponse:
    return problem(request, 409, "Other records still refer to this one; remove or move them first.")


@api.exception_handler(IntegrityError)
def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Two requests raced past the same check (e.g. the same candidate twice for one job).
    return problem(request, 409, "The change conflicts with another record; nothing was changed.")


@api.exception_handler(DatabaseError)
def _database(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
    log_failure(request, exc)
    return problem(request, 500, "The database refused the request; nothing was changed.")


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log_failure(request, exc)
    return problem(request, 500, "Something went wrong on our side; nothing was changed.")


class Pong(Schema):
    status: str


@api.get("/ping", response={200: Pong, 401: Problem}, tags=["meta"], summary="Check the API and the token")
def ping(request: HttpRequest) -> dict[str, str]:
    """The cheapest authenticated endpoint: the framework's floor in benchmarks."""
    return {"status": "ok"}


def _mount() -> None:
    from homestretch.accounts.api import router as accounts_router
    from homestretch.agenda.api import router as agenda_router
    from homestretch.briefs.api import router as briefs_router
    from homestretch.offers.api import router as offers_router
    from homestretch.pipeline.api import router as pipeline_router
    from homestretch.risk.api import router as risk_router

    api.add_router("", accounts_router)
    api.add_router("", pipeline_router)
    api.add_router("", offers_router)
    api.add_router("", agenda_router)
    api.add_router("", risk_router)
    api.add_router("", briefs_router)
    api.add_router("", "homestretch.similar.api.router")
    api.add_router("", "homestretch.mailin.api.router")
    api.add_router("", "homestretch.insights.api.router")
    api.add_router("", "homestretch.audit.api.router")
    api.add_router("", "homestretch.privacy.api.router")
    api.add_router("", "homestretch.privacy.export_api.router")


_mount()
