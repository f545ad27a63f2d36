"""The client's network address, also behind a balancer (HAProxy's ``option forwardfor``).

Behind a balancer every request comes from the balancer, so the per-address limits would
treat a whole stadium as one address. A balancer names the client in ``X-Forwarded-For``,
appending to whatever the request already carried, which the client can write itself. So
the header counts only when the peer is a trusted proxy (``--trust-proxy``), and the
client is the right-most address in it that is not a trusted proxy: everything to its
left came from the client and may be made up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv6Address, ip_address

from aiohttp import web

from server.settings import ProxyNetwork

FORWARDED_FOR = "X-Forwarded-For"


def _address(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, proxies: Sequence[ProxyNetwork]) -> bool:
    return address is not None and any(address in network for network in proxies)


def client_address(peer: str, forwarded_for: Iterable[str], proxies: Sequence[ProxyNetwork]) -> str:
    """The address the limits should count: ``peer``, or whom a trusted ``peer`` names.

    ``forwarded_for`` holds the values of every ``X-Forwarded-For`` header, in order.
    A hop that is not an address (``unknown``, garbage) stops the walk: the proxy to its
    right, the last one trusted, is the best that is known.
    """
    current = _address(peer)
    if not _trusted(current, proxies):
        return peer
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        current = address
        if not _trusted(address, proxies):
            break
    return str(current)


def request_address(request: web.Request, proxies: Sequence[ProxyNetwork]) -> str:
    """The client's address for an aiohttp request (see :func:`client_address`)."""
    peer = request.remote or ""
    if not proxies:
        return peer
    return client_address(peer, request.headers.getall(FORWARDED_FOR, ()), proxies)
