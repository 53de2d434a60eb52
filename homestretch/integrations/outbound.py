"""Requests to an address somebody typed (a team's chat webhook): to the public internet only.

A URL is checked twice: when it is saved (the back office refuses it, with the reason) and when it is
used. At send time its host is resolved once, every address it resolves to is checked, and the
connection goes to the checked address itself (the transport pins it, homestretch.integrations.webhook):
a name that is public when saved and points to 127.0.0.1 or 169.254.169.254 at send time (DNS
rebinding) reaches nothing inside.

Two settings loosen it, for a chat server on the local network or a test on this machine:
`WEBHOOK_ALLOW_HTTP` (HOMESTRETCH_WEBHOOK_ALLOW_HTTP=1) allows plain http://, and
`WEBHOOK_ALLOWED_NETWORKS` (HOMESTRETCH_WEBHOOK_ALLOWED_NETWORKS=10.1.2.0/24,…) names the networks
that are allowed although not public. Both are off by default.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedURL(ValueError):
    """The URL may not be used; the message says why in words, for the form and the outbox."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a checked URL points: scheme, host, port, the Host header and the path with its query."""

    scheme: str
    host: str
    port: int
    host_header: str
    path: str


def parse(url: str) -> Target:
    """The parts of a webhook URL, refusing a scheme other than https (http when allowed) and credentials."""
    allow_http = settings.WEBHOOK_ALLOW_HTTP
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise RefusedURL("This is not a valid URL.") from exc
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme.lower() not in schemes:
        raise RefusedURL("The webhook URL must start with https://." if not allow_http
                         else "The webhook URL must start with https:// or http://.")
    if not parts.hostname:
        raise RefusedURL("The webhook URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise RefusedURL("The webhook URL may not carry a user name or password.")
    scheme = parts.scheme.lower()
    host = parts.hostname
    shown = f"[{host}]" if ":" in host else host
    return Target(scheme=scheme, host=host, port=port or (443 if scheme == "https" else 80),
                  host_header=f"{shown}:{port}" if port else shown,
                  path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""))


def _unwrapped(address: IPAddress) -> IPAddress:
    # An IPv6 address can carry an IPv4 one (::ffff:127.0.0.1, 6to4, Teredo): judge what it carries.
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return address


def refusal(address: str) -> str | None:
    """Why this address may not be reached ("a loopback address"), or None when it may."""
    parsed = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone (fe80::1%eth0)
    for network in settings.WEBHOOK_ALLOWED_NETWORKS:
        if parsed in ipaddress.ip_network(network, strict=False):
            return None
    inner = _unwrapped(parsed)
    if inner.is_loopback:
        return "a loopback address"
    if inner.is_link_local:
        return "a link-local address"
    if inner.is_unspecified or inner.is_multicast or inner.is_reserved:
        return "a reserved address"
    if inner.is_private:
        return "a private address"
    if not inner.is_global or not parsed.is_global or parsed.is_reserved:
        return "a reserved address"  # shared (100.64.0.0/10), documentation, NAT64 and the like
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address the host resolves to, in the resolver's order (a literal address is itself)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def _same_address(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:  # a name, not an address
        return False


def public_addresses(target: Target) -> list[str]:
    """The addresses to connect to for `target`, each checked; refuses when any one is not public.

    Raises RefusedURL when the host resolves to a loopback, private, link-local or reserved address (a
    name with one public and one private address is refused: the resolver could hand out either), and
    OSError when it does not resolve at all.
    """
    addresses = resolve(target.host, target.port)
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            where = f"{address} is" if _same_address(target.host, address) else f"{target.host} resolves to {address},"
            raise RefusedURL(f"{where} {reason}: the chat webhook may reach only public internet addresses.")
    if not addresses:
        raise OSError(f"{target.host} has no address")
    return addresses


def check_url(url: str) -> Target:
    """The whole check, as the back office runs it on save: scheme, host, and every address now."""
    target = parse(url)
    try:
        public_addresses(target)
    except OSError as exc:
        raise RefusedURL(f"{target.host} could not be found ({type(exc).__name__}); check the address.") from exc
    return target
