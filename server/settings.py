"""Settings shared by every command that runs the core."""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path

from server.models import Prize


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``count`` messages per ``seconds`` for one sender."""

    count: int
    seconds: float

    @classmethod
    def parse(cls, spec: str, option: str = "--rate") -> RateLimit | None:
        """Parse ``N/S`` (e.g. ``1/3``); ``off`` gives None (no limit).

        Raises:
            ValueError: when the spec is neither ``off`` nor two positive numbers; the
                message names ``option``.
        """
        if spec.strip().lower() == "off":
            return None
        try:
            count_text, seconds_text = spec.split("/")
            count, seconds = int(count_text), float(seconds_text)
        except ValueError:
            raise ValueError(f"{option} expects N/S (e.g. 1/3) or off, not {spec!r}") from None
        if count < 1 or seconds <= 0:
            raise ValueError(f"{option} needs N >= 1 and S > 0, not {spec!r}")
        return cls(count, seconds)


ProxyNetwork = IPv4Network | IPv6Network


def parse_proxy(spec: str) -> ProxyNetwork:
    """Parse a ``--trust-proxy`` value: an address (``10.0.0.5``) or a network (``10.0.0.0/24``).

    Raises:
        ValueError: when it is neither.
    """
    try:
        return ip_network(spec.strip(), strict=False)
    except ValueError:
        raise ValueError(
            f"--trust-proxy expects an IP address or network (e.g. 10.0.0.5), not {spec!r}"
        ) from None


@dataclass(frozen=True, slots=True)
class Settings:
    """How one venue's server runs tonight."""

    host: str = "0.0.0.0"
    port: int = 8080
    db_path: Path = Path("danmaku.db")
    wordlists: tuple[Path, ...] = ()
    use_default_wordlists: bool = True
    allow_files: tuple[Path, ...] = ()  # extra allow lists (innocent words containing a term)
    alias_files: tuple[Path, ...] = ()  # extra aliases ("绿泡泡 = 微信"), beside the shipped ones
    # extra senses ("after 垃圾 = 分类"), beside the shipped ones
    sense_files: tuple[Path, ...] = ()
    reject_categories: frozenset[str] = frozenset()  # refused outright instead of held
    rate: RateLimit | None = field(default_factory=lambda: RateLimit(1, 3.0))
    max_text_length: int = 60  # grapheme clusters: what a person sees
    max_nick_length: int = 16
    replay_idle_seconds: float = 10.0  # no live comment for this long starts replays
    replay_interval_seconds: float = 2.0  # one replay this often while idle
    catch_up_seconds: float = 300.0  # how far back a reconnecting projector is caught up
    public_url: str | None = None  # the URL the QR code encodes, when not the LAN address
    duplicate_window_seconds: float = 30.0  # same text again within this window is a flood
    flood_senders: int = 8  # this many senders with one text in the window: held
    auto_ban_refusals: int | None = 20  # this many refused sends within the window: banned
    auto_ban_window_seconds: float = 60.0
    # --address-rate: one ceiling for every comment from one network address, shared by a
    # whole hall behind one NAT: 10,000 phones each at the default --rate (1/3) stay under
    # it, a script rotating client ids does not get past it.
    address_rate: RateLimit | None = field(default_factory=lambda: RateLimit(10_000, 3.0))
    # --connect-rate: new Socket.IO sessions per address. 15,000 phones behind one NAT
    # reconnecting at once (a Wi-Fi blink) are all back within 30 s (benchmarks/idle_phones.py).
    connection_rate: RateLimit | None = field(default_factory=lambda: RateLimit(10_000, 10.0))
    # --trust-proxy: balancers whose X-Forwarded-For names the client (none by default: a
    # header from anyone else is ignored, or any phone could pick its own address).
    trusted_proxies: tuple[ProxyNetwork, ...] = ()
    flood_min_length: int = 6  # shorter texts ("666", "哈哈哈") are applause, never a flood
    prize_plan: tuple[Prize, ...] = ()  # --prizes FILE: the night's prizes in drawing order
    hold_expire_seconds: float | None = 120.0  # a held comment older than this expires
    rehearsal: bool = False  # --rehearsal: start in rehearsal mode (the console's t)
    # --redis URL: the hub of a cluster (server.cluster), or where a worker finds it.
    redis_url: str | None = None
