"""The address a request came from: the connection's, or behind a trusted reverse proxy the one that
proxy saw.

X-Forwarded-For is whatever the client wrote, with each proxy's peer appended on the right; only the
entries appended by proxies we trust (settings.TRUSTED_PROXIES, from HOMESTRETCH_TRUSTED_PROXIES) are
facts. So the client is the right-most address that is not a trusted proxy; with no trusted proxy
configured the header is ignored, and a client cannot pick its own address by sending it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parsed(text: str | None) -> Address | None:
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped  # ::ffff:203.0.113.7 is 203.0.113.7
    return address


def client_address(request: HttpRequest) -> Address | None:
    """The client's address, or None when the connection has none (a test request, a Unix socket)."""
    address = _parsed(request.META.get("REMOTE_ADDR"))
    trusted = [ipaddress.ip_network(network) for network in settings.TRUSTED_PROXIES]
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while address is not None and hops and any(address in network for network in trusted):
        forwarded = _parsed(hops.pop())
        if forwarded is None:
            break  # a proxy we trust wrote nothing readable: the proxy's own address is all we know
        address = forwarded
    return address
