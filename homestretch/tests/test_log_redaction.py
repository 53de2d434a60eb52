"""No log line holds a calendar feed's token or an API token: Django's request warnings, runserver's
lines and gunicorn's access log show the path with the token replaced. (gunicorn as `homestretch run`
starts it is in test_cli_run.py.)"""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest

from conftest import CURRENT_TIME
from homestretch.accounts.tokens import create_token
from homestretch.integrations.services import create_feed, revoke_feed
from homestretch.lib.logs import redact


@pytest.mark.django_db
def test_feed_and_api_requests_leave_no_token_in_djangos_logs(client, alice, caplog):
    feed = create_feed(alice)
    api_token = create_token(alice, name="sync", at=CURRENT_TIME).secret
    wrong = "Wr0ng-" + feed.token[:20]
    with caplog.at_level(logging.DEBUG):
        assert client.get(feed.get_absolute_url()).status_code == 200
        assert client.get(f"/calendar/{wrong}.ics").status_code == 404
        assert client.get(f"/calendar/{wrong}").status_code == 404  # not even a feed's address
        revoke_feed(alice, CURRENT_TIME)
        assert client.get(feed.get_absolute_url()).status_code == 404
        bearer = {"Authorization": f"Bearer {api_token}"}
        assert client.get("/api/v1/applications", headers=bearer).status_code == 200
        assert client.get("/api/v1/applications", headers={"Authorization": "Bearer hs_0badc0de_x"}).status_code == 401
        assert client.get(f"/api/v1/no-such-thing/{api_token}", headers=bearer).status_code == 404
    logged = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    assert "Not Found: /calendar/[redacted].ics" in logged  # the path stays readable
    for secret in (feed.token, wrong, api_token, api_token.split("_", 2)[2]):
        assert secret not in logged


def test_what_is_redacted_and_what_is_kept():
    token = "hs_1a2b3c4d_" + "S3cr3t-_" * 5
    assert redact('GET /calendar/Abc-_123.ics HTTP/1.1" 200') == 'GET /calendar/[redacted].ics HTTP/1.1" 200'
    assert redact("https://hs.example.com/calendar/a.b.c.ics?x=1") == "https://hs.example.com/calendar/[redacted].ics?x=1"
    assert redact("Not Found: /calendar/whatever") == "Not Found: /calendar/[redacted]"
    assert redact("/settings/notifications/calendar/") == "/settings/notifications/calendar/"
    assert redact(f"GET /api/v1/jobs?token={token}&x=1") == "GET /api/v1/jobs?token=[redacted]&x=1"
    assert redact(f"Authorization: Bearer {token}") == "Authorization: Bearer [redacted]"
    assert redact(f"used {token} here") == "used hs_1a2b3c4d_[redacted] here"  # the prefix tells tokens apart


def test_runserver_lines_are_redacted(caplog):
    with caplog.at_level(logging.INFO, logger="django.server"):
        logging.getLogger("django.server").info('"%s" %s %s', "GET /calendar/Secret123.ics HTTP/1.1", "404", "179")
    assert "Secret123" not in caplog.text and "/calendar/[redacted].ics" in caplog.text


def test_gunicorns_access_log_is_redacted_whatever_its_format():
    from gunicorn.config import Config

    from homestretch.lib.gunicorn_logger import RedactingLogger

    token = "hs_1a2b3c4d_" + "S3cr3t" * 6
    config = Config()
    config.set("accesslog", "-")
    # A format an operator might choose: the request line, the referrer and the Authorization header.
    config.set("access_log_format", '%(r)s %(U)s %(q)s "%(f)s" %({authorization}i)s')
    logger = RedactingLogger(config)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger.access_log.addHandler(handler)
    try:
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/calendar/FeedS3cret.ics?token=" + token,
                   "PATH_INFO": "/calendar/FeedS3cret.ics", "QUERY_STRING": "token=" + token,
                   "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_REFERER": "https://hs.example.com/calendar/FeedS3cret.ics"}
        request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {token}")])
        response = SimpleNamespace(status="404 Not Found", headers=[], sent=0)
        logger.access(response, request, environ, timedelta(milliseconds=3))
    finally:
        logger.access_log.removeHandler(handler)
    line = out.getvalue()
    assert "FeedS3cret" not in line and "S3cr3t" not in line
    assert line.startswith("GET /calendar/[redacted].ics?token=[redacted] HTTP/1.1 /calendar/[redacted].ics")
    assert "Bearer [redacted]" in line
