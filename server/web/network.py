"""The address phones should open: the machine's LAN address, never 0.0.0.0."""

from __future__ import annotations

import socket

WILDCARDS = {"", "0.0.0.0", "::", "[::]"}


def lan_address() -> str:
    """This machine's address on its local network, or 127.0.0.1 when it has none.

    Connecting a UDP socket sends nothing on the wire; it only asks the kernel which
    local address would route to that (private) destination.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.254.254.254", 9))
        address = probe.getsockname()[0]
        if address and not address.startswith("0."):
            return str(address)
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if not address.startswith("127."):
                return address
    except OSError:
        pass
    return "127.0.0.1"


def join_url(host: str, port: int, public_url: str | None = None) -> str:
    """The URL the QR code encodes."""
    if public_url:
        return public_url
    shown_host = lan_address() if host in WILDCARDS else host
    if ":" in shown_host:
        shown_host = f"[{shown_host}]"
    return f"http://{shown_host}/" if port == 80 else f"http://{shown_host}:{port}/"
