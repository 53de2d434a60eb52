"""The client's address behind the documented proxy set-up: X-Forwarded-For is believed only as far as
it was written by proxies named in HOMESTRETCH_TRUSTED_PROXIES; by default it is ignored."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from homestretch.accounts.sign_in_throttle import address_counted
from homestretch.lib.client_address import client_address


def request(remote: str | None, forwarded: str | None = None):
    made = RequestFactory().get("/login/")
    if remote is not None:
        made.META["REMOTE_ADDR"] = remote
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    if remote is None:
        del made.META["REMOTE_ADDR"]
    return made


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert str(client_address(request("203.0.113.7", "198.51.100.1"))) == "203.0.113.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),  # the proxy appended the client's address
        ("6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a client who wrote the header itself gains nothing
        ("not an address, 203.0.113.7", "203.0.113.7"),
        ("203.0.113.7, 10.0.0.5", "203.0.113.7"),  # two proxies we trust, one behind the other
        ("10.0.0.6, 10.0.0.5", "10.0.0.6"),  # only proxies: the left-most
        ("garbage", "127.0.0.1"),  # a trusted proxy's header we cannot read: the proxy is all we know
        ("", "127.0.0.1"),
    ],
)
def test_behind_a_trusted_proxy_the_client_is_the_right_most_untrusted_hop(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    assert str(client_address(request("127.0.0.1", forwarded))) == expected


def test_a_connection_from_elsewhere_cannot_use_the_header_even_with_proxies_configured(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert str(client_address(request("203.0.113.7", "198.51.100.1"))) == "203.0.113.7"


def test_no_address_at_all(settings):
    assert client_address(request(None)) is None
    assert address_counted(request(None)) is None


def test_ipv4_mapped_addresses_are_ipv4_and_ipv6_clients_count_by_their_64_network(settings):
    settings.TRUSTED_PROXIES = []
    assert address_counted(request("::ffff:203.0.113.7")) == "203.0.113.7"
    assert address_counted(request("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::"
    assert address_counted(request("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::"
