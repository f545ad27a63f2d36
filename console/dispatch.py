"""One door from the core's events to the console's views, guarded like mopidy's listeners.

The worker (:meth:`console.app.DanmakuConsole.follow_core`) posts a
:class:`~console.messages.CoreMessage` for each core event; the app hands every one to
:meth:`Dispatcher.dispatch`, which calls each view in turn (a view's spaced-out redraw
goes through :meth:`Dispatcher.later`). An exception in a Textual message handler or
timer exits the app, and with it the server inside: the wall would stop for the whole
hall. Here it is logged with its traceback (``danmaku.log``), the moderator gets an error
notification, and the other views and the server carry on. A view that fails on every
comment of a busy wall would bury the screen: its notifications come at most every 10 s
(every failure is still logged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from textual.app import App
from textual.timer import Timer

from console.language import N_, _
from console.messages import CoreMessage

log = logging.getLogger(__name__)

NOTIFY_AGAIN_AFTER_SECONDS = 10.0
VIEW_NAMES = {  # the names views are added under, as the moderator reads them
    "status": N_("status"),
    "queue": N_("queue"),
    "wall": N_("wall"),
    "lottery": N_("lottery"),
    "senders": N_("senders"),
}


class CoreView(Protocol):
    """A part of the console that follows the core's events."""

    def core_event(self, message: CoreMessage) -> None:
        """Bring this view up to date with one core event (ignore the ones it does not show)."""


class Dispatcher:
    """Delivers every core message to every view; a view that raises never stops the app."""

    def __init__(
        self,
        app: App[Any],
        log_file: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``log_file`` is named in the notification: where the traceback went."""
        self._app = app
        self._log_file = log_file
        self._clock = clock
        self._views: list[tuple[str, CoreView]] = []
        self._notified_at: dict[str, float] = {}

    def add(self, name: str, view: CoreView) -> None:
        """Let ``view`` (called ``name`` in error reports) follow the core from now on."""
        self._views.append((name, view))

    def dispatch(self, message: CoreMessage) -> None:
        """Hand ``message`` to each view in turn, each one guarded."""
        for name, view in self._views:
            self._guarded(name, type(message).__name__, view.core_event, message)

    def later(self, name: str, delay: float, call: Callable[[], object]) -> Timer:
        """Run a view's deferred update (a redraw spaced out) under the same guard."""
        return self._app.set_timer(delay, partial(self._guarded, name, "a redraw", call))

    def _guarded(self, name: str, what: str, call: Callable[..., object], *args: object) -> None:
        try:
            call(*args)
        except Exception as exc:  # whatever a view does wrong, the wall goes on
            self._failed(name, what, exc)

    def _failed(self, name: str, what: str, exc: Exception) -> None:
        log.error("the %s view failed on %s; the console carries on", name, what, exc_info=exc)
        now = self._clock()
        last = self._notified_at.get(name)
        if last is not None and now - last < NOTIFY_AGAIN_AFTER_SECONDS:
            return
        self._notified_at[name] = now
        self._app.notify(
            _(
                "The {view} view could not show an update ({error}). The wall keeps running; "
                "the details are in {log_file}."
            ).format(
                view=_(VIEW_NAMES.get(name, name)),
                error=f"{type(exc).__name__}: {exc}",
                log_file=self._log_file,
            ),
            title=_("Console error"),
            severity="error",
            timeout=10,
            markup=False,  # the exception text may quote a comment
        )
