"""The sign-in throttle (django-axes, homestretch.accounts.sign_in_throttle): 5 failed sign-ins for one
account, or 20 from one address, pause sign-in for 15 minutes, the right password included; the
counts live in the database, where every app server and worker process reads them; admins see them
in the back office and lift a pause there or with `axes_reset_username`; the page says what happened.

Times: axes stamps each failure with the real clock; the tests move the stored failures back in time
instead of waiting."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse

PASSWORD = "correct horse battery"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def sign_in(client: Client, email: str, password: str, address: str = HOME, **headers: str):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address,
                       headers=headers)


def fail(client: Client, email: str, times: int, address: str = HOME) -> None:
    for _ in range(times):
        response = sign_in(client, email, "not the password", address)
        assert response.status_code == 200, "refused before the limit"


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def paused(response) -> bool:
    return response.status_code == 429


def move_failures_back(minutes: float) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_limits_are_five_for_an_account_and_twenty_for_an_address_over_fifteen_minutes():
    from homestretch.accounts import sign_in_throttle

    assert settings.AXES_FAILURE_LIMIT == sign_in_throttle.ACCOUNT_LIMIT == 5
    assert sign_in_throttle.ADDRESS_LIMIT == 20
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


# --- One account ----------------------------------------------------------------------------------


def test_five_wrong_passwords_pause_the_account_even_for_the_right_password(client, alice):
    fail(client, alice.email, 4)
    assert paused(sign_in(client, alice.email, "still not it"))  # the fifth failure pauses at once
    assert paused(sign_in(client, alice.email, PASSWORD))
    assert client.get("/").status_code == 302  # not signed in


def test_an_account_pause_holds_from_every_address_and_browser(client, alice):
    fail(client, alice.email, 4)
    assert paused(sign_in(Client(), alice.email, "wrong", address=ELSEWHERE))  # the fifth from somewhere else
    other_browser = Client()
    assert paused(sign_in(other_browser, alice.email, PASSWORD, "192.0.2.44", **{"User-Agent": "Firefox"}))


def test_the_email_in_another_case_is_the_same_account(client, alice):
    for typed in ("alice@example.com", "Alice@Example.com", "ALICE@EXAMPLE.COM", " alice@example.com",
                  "aLiCe@example.com"):
        sign_in(client, typed, "wrong")
    assert paused(sign_in(client, alice.email, PASSWORD))


def test_other_accounts_from_the_same_address_still_sign_in(client, alice, bob):
    fail(client, alice.email, 4)
    assert paused(sign_in(client, alice.email, "wrong"))
    assert signed_in(sign_in(Client(), bob.email, PASSWORD))


def test_four_failures_then_the_right_password_signs_in(client, alice):
    fail(client, alice.email, 4)
    assert signed_in(sign_in(client, alice.email, PASSWORD))


# --- One address ----------------------------------------------------------------------------------


def test_twenty_failures_from_one_address_over_different_accounts_pause_that_address(client, bob):
    for i in range(19):
        fail(client, f"guess{i}@example.com", 1)
    assert paused(sign_in(client, "guess19@example.com", "wrong"))
    assert paused(sign_in(Client(), bob.email, PASSWORD))  # bob, from that address, with his right password
    assert signed_in(sign_in(Client(), bob.email, PASSWORD, address=ELSEWHERE))  # bob from elsewhere


def test_an_address_is_not_paused_by_nineteen_failures(client, bob):
    for i in range(19):
        fail(client, f"guess{i}@example.com", 1)
    assert signed_in(sign_in(client, bob.email, PASSWORD))


def test_behind_the_trusted_proxy_each_client_has_its_own_address(client, bob, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]  # HOMESTRETCH_TRUSTED_PROXIES=127.0.0.1 (docs/operations.md)
    for i in range(20):
        sign_in(client, f"guess{i}@example.com", "wrong", "127.0.0.1", **{"X-Forwarded-For": HOME})
    assert AccessAttempt.objects.filter(ip_address=HOME).count() == 20
    assert paused(sign_in(Client(), bob.email, PASSWORD, "127.0.0.1", **{"X-Forwarded-For": HOME}))
    assert signed_in(sign_in(Client(), bob.email, PASSWORD, "127.0.0.1", **{"X-Forwarded-For": ELSEWHERE}))


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(client, bob, settings):
    settings.TRUSTED_PROXIES = []
    for i in range(20):
        sign_in(client, f"guess{i}@example.com", "wrong", HOME, **{"X-Forwarded-For": f"192.0.2.{i}"})
    assert paused(sign_in(Client(), bob.email, PASSWORD, HOME, **{"X-Forwarded-For": "192.0.2.99"}))


# --- Fifteen minutes ------------------------------------------------------------------------------


def test_the_pause_ends_fifteen_minutes_after_the_failure_that_started_it(client, alice):
    fail(client, alice.email, 4)
    assert paused(sign_in(client, alice.email, "wrong"))
    move_failures_back(14)
    assert paused(sign_in(client, alice.email, PASSWORD))  # tries during the pause do not lengthen it
    move_failures_back(1.05)
    assert signed_in(sign_in(client, alice.email, PASSWORD))


def test_failures_older_than_fifteen_minutes_no_longer_count(client, alice):
    fail(client, alice.email, 4)
    move_failures_back(16)
    fail(client, alice.email, 4)  # four new ones: still under the limit
    assert signed_in(sign_in(client, alice.email, PASSWORD))


def test_an_address_pause_ends_after_fifteen_minutes_too(client, bob):
    for i in range(20):
        sign_in(client, f"guess{i}@example.com", "wrong")
    assert paused(sign_in(client, bob.email, PASSWORD))
    move_failures_back(15.05)
    assert signed_in(sign_in(client, bob.email, PASSWORD))


# --- Shared by every process: the database ------------------------------------------------------


def test_the_pause_lives_in_the_database_and_a_fresh_process_sees_it(client, alice):
    assert issubclass(AxesProxyHandler.get_implementation().__class__, AxesDatabaseHandler)
    fail(client, alice.email, 4)
    sign_in(client, alice.email, "wrong")
    stored = AccessAttempt.objects.get(username=alice.email)
    assert (stored.ip_address, stored.failures_since_start) == (HOME, 5)
    # Another worker process: a handler made afresh, another browser, nothing shared but the database.
    AxesProxyHandler.get_implementation(force=True)
    assert paused(sign_in(Client(), alice.email, PASSWORD))
    # And once the rows go (an admin lifting the pause), every process lets her in.
    AccessAttempt.objects.all().delete()
    AxesProxyHandler.get_implementation(force=True)
    assert signed_in(sign_in(Client(), alice.email, PASSWORD))


def test_axes_reset_username_lifts_an_account_pause(client, alice):
    fail(client, alice.email, 4)
    sign_in(client, alice.email, "wrong")
    call_command("axes_reset_username", alice.email)
    assert signed_in(sign_in(client, alice.email, PASSWORD))


# --- What the user reads --------------------------------------------------------------------------


def test_the_account_pause_page_says_what_happened_how_long_and_what_to_do(client, alice):
    fail(client, alice.email, 4)
    response = sign_in(client, alice.email, "wrong")
    assert response.status_code == 429
    assert 840 < int(response["Retry-After"]) <= 900
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "<h1>Sign-in paused</h1>" in page
    assert "5 failed sign-ins for this account" in page
    assert "paused for 15 minutes" in page
    assert re.search(r"until \d\d:\d\d", page)
    assert "Even the right password is refused until then" in page
    assert "ask an admin" in page.lower()
    assert '<a class="brand"' in page  # the app's own page


def test_the_address_pause_page_names_the_network_not_the_account(client, bob):
    for i in range(19):
        fail(client, f"guess{i}@example.com", 1)
    assert signed_in(sign_in(Client(), bob.email, PASSWORD))  # 19: not yet
    page = re.sub(r"\s+", " ", sign_in(client, "guess19@example.com", "wrong").content.decode())
    assert "20 failed sign-ins from your network" in page
    assert "for this account" not in page


def test_the_pause_page_reads_the_same_for_an_account_that_does_not_exist(client, db):
    fail(client, "nobody@example.com", 4)
    page = re.sub(r"\s+", " ", sign_in(client, "nobody@example.com", "wrong").content.decode())
    assert "5 failed sign-ins for this account" in page  # no telling which e-mails have accounts


# --- What is logged, what admins see --------------------------------------------------------------


def test_failures_and_the_pause_are_logged_with_the_user_id_and_address_never_the_typed_email(client, alice, caplog):
    with caplog.at_level(logging.INFO):
        fail(client, alice.email, 4)
        sign_in(client, alice.email, "wrong")
        sign_in(client, alice.email, PASSWORD)
        sign_in(client, "Password123!", "oops")  # a password typed into the e-mail field
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"user {alice.pk}" in logged and HOME in logged
    assert "Locking out" in logged
    assert "Sign-in refused during a pause" in logged
    assert alice.email not in logged and "Password123!" not in logged and PASSWORD not in logged


def test_every_failure_and_every_refusal_is_kept_for_admins(client, alice):
    fail(client, alice.email, 4)
    sign_in(client, alice.email, "wrong")
    sign_in(client, alice.email, PASSWORD)
    failures = AccessFailureLog.objects.filter(username=alice.email).order_by("attempt_time", "pk")
    assert [f.locked_out for f in failures] == [False] * 4 + [True, True]
    assert not AccessLog.objects.filter(username=alice.email).exists()


def test_a_successful_sign_in_is_kept_too(client, alice):
    assert signed_in(sign_in(client, alice.email, PASSWORD))
    assert AccessLog.objects.get(username=alice.email).ip_address == HOME


@pytest.fixture
def ada_client(ada):
    browser = Client()
    browser.force_login(ada)
    return browser


def test_an_admin_sees_the_paused_account_in_the_back_office_and_lifts_the_pause(client, alice, ada_client):
    fail(client, alice.email, 4)
    sign_in(client, alice.email, "wrong", address=ELSEWHERE)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = ada_client.get(changelist)
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.content.decode())
    assert alice.email in text and HOME in text and ELSEWHERE in text
    assert "5 of 5" in text  # the account's failures against its limit
    rows = page.context["cl"].result_list
    assert all(row.account_failures == 5 for row in rows)
    response = ada_client.post(changelist, {"action": "unlock_accounts", "_selected_action": [rows[0].pk]})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()  # every row of the account, from both addresses
    assert signed_in(sign_in(client, alice.email, PASSWORD))


def test_an_admin_unlocks_an_address(client, bob, ada_client):
    for i in range(20):
        sign_in(client, f"guess{i}@example.com", "wrong")
    changelist = reverse("admin:axes_accessattempt_changelist")
    text = ada_client.get(changelist).content.decode()
    assert "20 of 20" in text
    row = AccessAttempt.objects.first()
    ada_client.post(changelist, {"action": "unlock_addresses", "_selected_action": [row.pk]})
    assert signed_in(sign_in(client, bob.email, PASSWORD))


def test_an_admin_sees_every_failure_and_sign_in_in_the_back_office(client, alice, bob, ada_client):
    fail(client, alice.email, 2)
    sign_in(Client(), bob.email, PASSWORD)
    failures = ada_client.get(reverse("admin:axes_accessfailurelog_changelist"))
    assert failures.status_code == 200 and failures.context["cl"].result_count == 2
    sign_ins = ada_client.get(reverse("admin:axes_accesslog_changelist"))
    assert sign_ins.status_code == 200 and bob.email in sign_ins.content.decode()


def test_a_recruiter_sees_none_of_it(client, alice):
    client.force_login(alice)
    assert client.get(reverse("admin:axes_accessattempt_changelist"), follow=True).status_code == 403
