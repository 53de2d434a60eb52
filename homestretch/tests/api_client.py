"""Calling the API in tests as a user with a real personal token (no session, no mocks)."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from conftest import CURRENT_TIME
from homestretch.accounts.tokens import create_token


class ApiClient:
    """A Django test client that sends `Authorization: Bearer …` for one user, JSON in and out."""

    def __init__(self, user=None, raw_token: str | None = None) -> None:
        self.client = Client()
        self.token = raw_token if raw_token is not None else (
            create_token(user, name="tests", at=CURRENT_TIME).secret if user is not None else None
        )

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, body: Any = None, **query: Any):
        url = "/api/v1" + path
        if method == "get":
            return self.client.get(url, query, headers=self._headers())
        data = body if isinstance(body, (str, bytes)) else json.dumps(body if body is not None else {})
        return getattr(self.client, method)(url, data=data, content_type="application/json", headers=self._headers())

    def get(self, path: str, **query: Any):
        return self.request("get", path, **query)

    def post(self, path: str, body: Any = None):
        return self.request("post", path, body)

    def put(self, path: str, body: Any = None):
        return self.request("put", path, body)

    def patch(self, path: str, body: Any = None):
        return self.request("patch", path, body)

    def delete(self, path: str):
        return self.request("delete", path)


def assert_problem(response, status: int, field: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem document with this status (and an error on `field`)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://") and body["title"] and body["detail"]
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body
