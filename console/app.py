"""The moderator console: a Textual app with the whole server running in its event loop.

:func:`make_console` builds it (the CLI and the tests use the same factory);
:func:`run_console` runs it in the terminal. The app starts the server when it mounts
and stops it when it unmounts; core events reach the views through one worker and one
guarded dispatcher (:mod:`console.dispatch`).
"""

from __future__ import annotations

import logging
import sys
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from console.dialogs.confirm import ConfirmDialog
from console.dialogs.join import JoinScreen
from console.dispatch import Dispatcher
from console.hangup import (
    OutlivingTerminalDriver,
    keep_serving_on_hangup,
    over_ssh_without_multiplexer,
)
from console.language import N_, _, ngettext, use_language
from console.messages import (
    CommentHeld,
    CoreMessage,
    HoldAllSwitched,
    RehearsalSwitched,
    SenderBanned,
    StatsUpdated,
    WallCleared,
    WallPaused,
    message_for,
)
from console.screens.lottery import LotteryScreen
from console.screens.queue import QueueScreen
from console.screens.senders import SendersScreen
from console.screens.wall import WallScreen
from server.hub import TextChecker
from server.limits import phone_capacity
from server.models import Stats
from server.settings import Settings
from server.web.network import join_url
from server.web.service import PortInUse, Service, running_service

log = logging.getLogger(__name__)

LOG_FILE_NAME = "danmaku.log"
VIEWS: dict[str, type[QueueScreen | WallScreen | LotteryScreen | SendersScreen]] = {
    "queue": QueueScreen,
    "wall": WallScreen,
    "lottery": LotteryScreen,
    "senders": SendersScreen,
}


class DanmakuConsole(App[None]):
    """Moderate the wall from a keyboard: review, pause, ban, draw winners."""

    TITLE = "Danmaku Deck"
    CSS_PATH = "app.tcss"
    # Textual's own annotation makes it an instance variable: no ClassVar possible here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]  # noqa: RUF012
    ENABLE_COMMAND_PALETTE = False  # every command has its key; nothing hides in a menu
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "toggle_pause", N_("Pause")),
        Binding("H", "toggle_hold_all", N_("Hold all")),
        Binding("t", "toggle_rehearsal", N_("Rehearsal")),
        Binding("u", "join", N_("QR")),
        Binding("q", "quit_console", N_("Quit")),
        # The status bar names the views with their keys: not listed again below.
        Binding("1", "view('queue')", N_("Queue"), show=False),
        Binding("2", "view('wall')", N_("Wall"), show=False),
        Binding("3", "view('lottery')", N_("Lottery"), show=False),
        Binding("4", "view('senders')", N_("Senders"), show=False),
        Binding("l", "view('lottery')", N_("Lottery"), show=False),
    ]

    stats: reactive[Stats] = reactive(Stats)
    """The latest numbers (the status bars watch this)."""

    def __init__(
        self,
        settings: Settings,
        checker: TextChecker | None = None,
        *,
        tune_gc: bool = False,
        language: str = "en",
    ) -> None:
        super().__init__(driver_class=OutlivingTerminalDriver)
        self.settings = settings
        self.language = language  # "zh" or "en": every view, dialog and notice
        self._checker = checker
        self._tune_gc = tune_gc  # the real process, not a test run: see server.heap
        self._stack = AsyncExitStack()
        self.service: Service | None = None
        self.startup_error: str | None = None
        self.dispatcher = Dispatcher(self, LOG_FILE_NAME)
        self.dispatcher.add("status", self)

    def compose(self) -> ComposeResult:
        """What shows while the server starts (the views replace it once it runs)."""
        # The app's own task runs this before it starts any screen, widget or worker:
        # they all inherit the translation from here (console.language).
        use_language(self.language)
        yield Static(Text(_("Starting the server…")), id="starting")

    # -- lifecycle ----------------------------------------------------------------------

    async def on_mount(self) -> None:
        """Start the server in this loop, follow its events, then open the queue."""
        try:
            self.service = await self._stack.enter_async_context(
                running_service(
                    self.settings,
                    self._checker,
                    keep_gc_pauses_short=self._tune_gc,
                    warm_filter_later=True,
                )
            )
        except PortInUse as exc:
            self._fail(str(exc))
            return
        except Exception as exc:  # a bad wordlist, an unreadable database…
            log.exception("the server did not start")
            self._fail(_("the server did not start: {error}").format(error=exc))
            return
        log.info("console up; phones join at %s", self.service.join_url)
        keep_serving_on_hangup(self)
        if self.service.capacity_warning:  # the core's sentence, in the moderator's words
            open_files = self.service.open_files
            self.notify(
                _(
                    "This server can hold about {phones:,} phones at once (open-file limit "
                    "{open_files:,}). For a bigger hall raise it before starting: "
                    "`ulimit -n 65536`."
                ).format(phones=phone_capacity(open_files), open_files=open_files),
                severity="warning",
                timeout=30,
                markup=False,
            )
        if over_ssh_without_multiplexer():
            self.notify(
                _(
                    "Over SSH without tmux: if the connection drops, the wall keeps running "
                    "and `danmaku --takeover` re-attaches. tmux is safer."
                ),
                severity="warning",
                timeout=15,
                markup=False,
            )
        self.stats = self.service.hub.stats()  # the numbers so far; StatsChanged from here on
        for name, view in VIEWS.items():  # each view follows the core through the dispatcher
            self.install_screen(view(self.service, self.dispatcher), name)
            self.add_mode(name, name)
        self.follow_core()
        await self.switch_mode("queue")
        self.call_after_refresh(self.warm_filter)  # the queue on screen first, then jieba

    @work(group="warm-up", exit_on_error=False)
    async def warm_filter(self) -> None:
        """Load jieba into the filter (a second of one core, in a thread) after start-up."""
        assert self.service is not None
        try:
            await self.service.warm_filter()
        except Exception:  # the first comment that needs jieba tries again
            log.exception("loading jieba at start-up failed")

    def _fail(self, reason: str) -> None:
        self.startup_error = f"danmaku: {reason}"
        self.exit(return_code=1)

    async def on_unmount(self) -> None:
        """Stop the server: clients are disconnected and the port is freed."""
        await self.stop_server()

    async def stop_server(self) -> None:
        """Stop the server inside (idempotent): clients disconnected, port freed."""
        await self._stack.aclose()

    @work(exclusive=True, group="core-events", exit_on_error=False)
    async def follow_core(self) -> None:
        """The one consumer of the hub's events: each becomes a message to the app."""
        assert self.service is not None
        async with self.service.hub.subscribe() as events:
            async for event in events:
                message = message_for(event)
                if message is not None:
                    self.post_message(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The event worker failed: say so (``exit_on_error=False`` keeps the server up)."""
        worker = event.worker
        if worker.group == "core-events" and event.state is WorkerState.ERROR:
            log.error("the console stopped following the core", exc_info=worker.error)
            self.notify(
                _(
                    "The console stopped following the wall ({error}): its views no longer "
                    "update, the wall keeps running. Details in {log_file}; "
                    "`danmaku --takeover` restarts the console."
                ).format(error=repr(worker.error), log_file=LOG_FILE_NAME),
                title=_("Console error"),
                severity="error",
                timeout=30,
                markup=False,
            )

    # -- core events, through the dispatcher --------------------------------------------

    @on(CoreMessage)
    def _core_message(self, message: CoreMessage) -> None:
        self.dispatcher.dispatch(message)

    def core_event(self, message: CoreMessage) -> None:
        """The app's own part: the numbers for the status bars, and notices."""
        match message:
            case StatsUpdated(stats=stats):
                self.stats = stats
            case CommentHeld() if self.current_mode != "queue":
                self.notify(
                    _("A new comment is waiting for review (1 opens the queue)."), timeout=3
                )
            case WallCleared():
                self.notify(_("Projector cleared."), timeout=2)
            case SenderBanned(sender=sender, nick=nick):
                who = nick or sender  # audience text: no markup
                self.notify(
                    _("Banned {who}. Their later comments are refused.").format(who=who),
                    markup=False,
                )
            case WallPaused(paused=True):
                self.notify(
                    _("Wall paused: new comments are refused. p resumes."), severity="warning"
                )
            case WallPaused(paused=False):
                self.notify(_("Wall resumed."), timeout=2)
            case HoldAllSwitched(hold_all=True):
                self.notify(
                    _(
                        "Holding everything: every new comment waits for review. H lets the "
                        "filter decide again."
                    ),
                    severity="warning",
                )
            case HoldAllSwitched(hold_all=False):
                self.notify(
                    _("The filter decides again: clean comments go straight up."), timeout=3
                )
            case RehearsalSwitched(rehearsal=rehearsal):
                self.stats = replace(self.stats, rehearsal=rehearsal)  # the banner, at once
                if rehearsal:
                    self.notify(
                        _(
                            "Rehearsal: comments fly but never count for the lottery or the "
                            "export. t ends it and takes them all down."
                        ),
                        severity="warning",
                    )
                else:
                    self.notify(
                        _("Rehearsal over: its comments are off the wall. Live now."), timeout=3
                    )

    # -- keys that work in every view ---------------------------------------------------

    async def action_view(self, name: str) -> None:
        """Open one of the views."""
        if self.service is not None and name in VIEWS:
            await self.switch_mode(name)

    def action_toggle_pause(self) -> None:
        """Pause the wall (new comments refused with ``paused``) or resume it."""
        if self.service is not None:
            hub = self.service.hub
            hub.set_paused(not hub.paused)

    def action_toggle_hold_all(self) -> None:
        """Hold every new comment for review (the panic switch), or let the filter decide."""
        if self.service is not None:
            hub = self.service.hub
            hub.set_hold_all(not hub.hold_all)

    def action_toggle_rehearsal(self) -> None:
        """Begin a rehearsal, or end one after a yes (its comments come off the wall)."""
        if self.service is None:
            return
        hub = self.service.hub
        if not hub.rehearsal:
            hub.start_rehearsal()
            return
        on_wall, held = hub.rehearsal_left()
        question = _("End the rehearsal? {on_wall}; {held}. Comments from now on count.").format(
            on_wall=ngettext(
                "Its {count} comment on the wall comes off every projector and out of idle replay",
                "Its {count} comments on the wall come off every projector and out of idle replay",
                on_wall,
            ).format(count=on_wall),
            held=ngettext(
                "its {count} held is rejected", "its {count} held are rejected", held
            ).format(count=held),
        )

        async def answered(confirmed: bool | None) -> None:
            if confirmed:
                await hub.end_rehearsal()

        self.push_screen(ConfirmDialog(question, yes=_("End rehearsal")), answered)

    def action_join(self) -> None:
        """Show the join QR code big, with the URLs."""
        if self.service is None:
            return
        projector = join_url(self.service.host, self.service.port).rstrip("/") + "/show"
        self.push_screen(JoinScreen(self.service.join_url, projector))

    def action_help_quit(self) -> None:
        """Ctrl+C: say which key quits (Textual's own notice is English, and names Ctrl+Q)."""
        self.notify(_("q quits (it asks first)."), title=_("Do you want to quit?"))

    def action_quit_console(self) -> None:
        """Quit after a yes: the wall stops for everyone."""

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.exit()

        self.push_screen(
            ConfirmDialog(
                _("Quit Danmaku Deck? The server stops: phones and projectors disconnect."),
                yes=_("Quit"),
            ),
            answered,
        )


def make_console(
    settings: Settings,
    checker: TextChecker | None = None,
    *,
    tune_gc: bool = False,
    language: str = "en",
) -> DanmakuConsole:
    """The console for these settings (``checker`` None: the filter from the wordlists).

    ``language`` ("zh" or "en") is the moderator's: every view, dialog and notice.
    """
    return DanmakuConsole(settings, checker, tune_gc=tune_gc, language=language)


def _log_to_file(db_path: Path) -> None:
    """Everything logged goes to ``danmaku.log`` beside the database, nothing to the terminal."""
    root = logging.getLogger()
    try:
        handler: logging.Handler = logging.FileHandler(
            db_path.parent / LOG_FILE_NAME, encoding="utf-8", delay=True
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)
    try:  # jieba adds its own stderr handler at import: send it to the file instead
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba_log = logging.getLogger("jieba")
    for existing in list(jieba_log.handlers):
        jieba_log.removeHandler(existing)


def run_console(settings: Settings, language: str = "en") -> int:
    """Run the console in this terminal until the moderator quits; return the exit code."""
    _log_to_file(settings.db_path)
    app = make_console(settings, tune_gc=True, language=language)
    app.run()
    if app.startup_error:
        print(app.startup_error, file=sys.stderr)
        return 1
    return app.return_code or 0
