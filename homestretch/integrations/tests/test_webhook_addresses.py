"""The chat webhook reaches only the public internet: https only (http when a setting allows it for local
testing), no loopback, private, link-local or reserved address when saved nor when sent (resolved once,
every address checked, connected to the checked address), no redirect followed, no response read past
its status.

The local chat server listens on 127.0.0.1, which the rule refuses. The tests that must reach it allow
exactly that network with the operator's own setting (`WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]`)
and plain http with `WEBHOOK_ALLOW_HTTP`, so the real check runs on every post. Names under .test
(which never resolve) are given addresses by replacing `outbound.resolve`, the one place that asks DNS.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from homestretch.integrations import outbound
from homestretch.integrations.models import DigestDelivery, NotificationSettings, TeamWebhook
from homestretch.integrations.services import remind
from homestretch.integrations.webhook import WebhookError, WebhookTransport

from .chat_server import ChatServer
from .factories import application_at

PUBLIC = "93.184.215.14"  # a public address, given as a literal so that nothing needs DNS


@pytest.fixture
def local_chat_allowed(settings):
    """What an operator testing against a chat server on this machine sets: http, and 127.0.0.1."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]


class Resolver:
    """Stands in for DNS: each name's addresses, and every lookup made."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        return list(self.answers[host])


def refusal_on_save(url: str, team) -> str:
    with pytest.raises(ValidationError) as refused:
        TeamWebhook(team=team, url=url).full_clean()
    return " ".join(refused.value.message_dict["url"])


# --- When saved


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "reason"), [
    ("https://127.0.0.1/hook", "127.0.0.1 is a loopback address"),
    ("https://localhost:8080/hook", "localhost resolves to 127.0.0.1, a loopback address"),
    ("https://[::1]/hook", "::1 is a loopback address"),
    ("https://[::ffff:127.0.0.1]/hook", "a loopback address"),
    ("https://10.0.0.8/hook", "10.0.0.8 is a private address"),
    ("https://192.168.1.20/hook", "a private address"),
    ("https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"),
    ("https://[fe80::1]/hook", "a link-local address"),
    ("https://0.0.0.0/hook", "a reserved address"),
    ("https://100.64.0.1/hook", "a reserved address"),
    ("https://240.0.0.1/hook", "a reserved address"),
    ("https://224.0.0.1/hook", "a reserved address"),
])
def test_a_host_on_an_internal_address_is_refused_when_saved(teams, url, reason):
    message = refusal_on_save(url, teams["north"])
    assert reason in message and "only public internet addresses" in message


@pytest.mark.django_db
def test_only_https_is_accepted_unless_plain_http_is_allowed_for_local_testing(teams, settings):
    assert "must start with https://" in refusal_on_save(f"http://{PUBLIC}/hook", teams["north"])
    assert "must start with https://" in refusal_on_save(f"ftp://{PUBLIC}/hook", teams["north"])
    assert "user name or password" in refusal_on_save(f"https://me:pw@{PUBLIC}/hook", teams["north"])
    TeamWebhook(team=teams["north"], url=f"https://{PUBLIC}/services/T/B/x").full_clean()

    settings.WEBHOOK_ALLOW_HTTP = True
    TeamWebhook(team=teams["north"], url=f"http://{PUBLIC}/services/T/B/x").full_clean()
    assert "https:// or http://" in refusal_on_save(f"ftp://{PUBLIC}/hook", teams["north"])
    assert "loopback" in refusal_on_save("http://127.0.0.1:8065/hooks/x", teams["north"])  # http only, not inside


@pytest.mark.django_db
def test_a_name_with_one_private_address_among_public_ones_is_refused(teams, monkeypatch):
    monkeypatch.setattr(outbound, "resolve", Resolver({"chat.example.test": [PUBLIC, "10.1.2.3"]}))
    assert "chat.example.test resolves to 10.1.2.3, a private address" in refusal_on_save(
        "https://chat.example.test/hook", teams["north"])


@pytest.mark.django_db
def test_the_back_office_says_why_a_webhook_url_is_refused(client, ada, teams):
    client.force_login(ada)
    response = client.post(reverse("admin:integrations_teamwebhook_add"),
                           {"team": teams["north"].pk, "url": "https://169.254.169.254/latest", "enabled": "on"})
    assert response.status_code == 200
    assert "169.254.169.254 is a link-local address" in response.content.decode()
    assert not TeamWebhook.objects.exists()


# --- When sent


def test_a_loopback_chat_server_is_refused_at_send_time_and_gets_nothing(settings):
    settings.WEBHOOK_ALLOW_HTTP = True  # the scheme is allowed; the address is not
    with ChatServer([200]) as chat, pytest.raises(WebhookError, match="127.0.0.1 is a loopback address"):
        WebhookTransport(chat.url).post({"text": "hello"})
    assert chat.bodies == []


def test_a_name_is_resolved_once_and_the_post_goes_to_the_checked_address(local_chat_allowed, monkeypatch):
    resolver = Resolver({"chat.example.test": ["127.0.0.1"]})
    monkeypatch.setattr(outbound, "resolve", resolver)
    with ChatServer([200]) as chat:
        # chat.example.test has no address in any real DNS: the post can only have gone to the checked one.
        WebhookTransport(chat.url_for("chat.example.test")).post({"text": "hello"})
    assert chat.bodies == [{"text": "hello"}]
    assert chat.headers[0]["Host"] == f"chat.example.test:{chat.port}"
    assert resolver.lookups == ["chat.example.test"]


@pytest.mark.django_db
def test_a_name_that_was_public_when_saved_and_points_inside_when_sent_gets_nothing(
    job, alice, teams, now, settings, monkeypatch,
):
    settings.WEBHOOK_ALLOW_HTTP = True
    application_at("Lena Late", job, alice, "final_interview", now - timedelta(days=10), now - timedelta(days=4))
    NotificationSettings.objects.create(user=alice, by_chat=True)
    with ChatServer([200]) as chat:
        monkeypatch.setattr(outbound, "resolve", Resolver({"chat.example.test": [PUBLIC]}))
        webhook = TeamWebhook(team=teams["north"], url=chat.url_for("chat.example.test"))
        webhook.full_clean()
        webhook.save()
        monkeypatch.setattr(outbound, "resolve", Resolver({"chat.example.test": ["127.0.0.1"]}))  # rebound
        report = remind(now)
    assert (report.emails, report.posts, report.failed) == (1, 0, 1)
    assert chat.bodies == []
    row = DigestDelivery.objects.get(recruiter=alice, channel="chat")
    assert "chat.example.test resolves to 127.0.0.1, a loopback address" in row.last_error


@pytest.mark.parametrize("location", ["http://127.0.0.1:{other}/elsewhere", "ftp://127.0.0.1:{other}/x"])
def test_a_redirect_is_not_followed(local_chat_allowed, location):
    with ChatServer([]) as elsewhere:
        redirect = ("redirect", location.format(other=elsewhere.port))
        with ChatServer([redirect]) as chat, pytest.raises(WebhookError, match="HTTP 302"):
            WebhookTransport(chat.url).post({"text": "hello"})
    assert len(chat.bodies) == 1 and elsewhere.bodies == []


def test_the_response_is_not_read_beyond_its_status(local_chat_allowed):
    # A 200 whose body never ends: a client reading it would wait for the timeout and report a failure.
    with ChatServer(["endless"]) as chat:
        WebhookTransport(chat.url, timeout=2).post({"text": "hello"})
    assert chat.bodies == [{"text": "hello"}]


# --- HTTPS: the connection goes to the checked address, the certificate is checked against the URL's host


@pytest.fixture
def certificate(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=chat.example.test", "-addext", "subjectAltName=DNS:chat.example.test"],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, str(cert)


def test_an_https_post_to_a_pinned_address_checks_the_certificate_of_the_urls_host(
    local_chat_allowed, monkeypatch, certificate,
):
    context, ca_file = certificate
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    monkeypatch.setattr(outbound, "resolve", Resolver({"chat.example.test": ["127.0.0.1"],
                                                       "other.example.test": ["127.0.0.1"]}))
    with ChatServer([200], tls=context) as chat:
        WebhookTransport(chat.url_for("chat.example.test"), ca_certs=ca_file).post({"text": "hello"})
        with pytest.raises(WebhookError):  # the same server under another name: its certificate does not match
            WebhookTransport(chat.url_for("other.example.test"), ca_certs=ca_file).post({"text": "x"})
    assert chat.bodies == [{"text": "hello"}]
    assert names[0] == "chat.example.test"
