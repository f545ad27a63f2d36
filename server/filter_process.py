"""The moderation filter in a process of its own, so that a busy hub judges on another core.

A cluster's hub runs one event loop for the whole stadium, and the filter is the largest
single part of its work per comment (benchmarks/cluster_hub.py at 5,000 comments/s: 150 us
of the hub's CPU per submission with the filter, 122 us with a filter that checks nothing).
So the intake hands each batch's texts to a child process holding the same filter, built
from the same settings, and the hub's loop does other work while the child judges them.

This may only ever make judging faster, never different. Until the child has built its
filter, while it rebuilds after a live wordlist edit, once it has died, or when it is slow
to answer, :meth:`FilterProcess.verdicts` returns None and the hub judges in its own loop,
as it does on a single box. Verdicts are for the filter the hub had when they were asked
for; the caller uses them only if the hub still has it (:meth:`server.hub.Hub.submit_batch`).

Run as ``python -m server.filter_process`` by :class:`FilterProcess` only: frames of a
4-byte length and a pickle on stdin and stdout (parent and child are the same program).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import pickle
import struct
import sys
import time
from collections.abc import Sequence
from typing import IO, Any

from server import text
from server.curation import build_filter
from server.models import Verdict
from server.settings import Settings

log = logging.getLogger(__name__)

HEADER = struct.Struct(">I")
# An answer later than this gives the batch to the hub's loop: the child judges a comment
# in about 25 us, so this is ten times a healthy answer and a stall's worth at most.
ANSWER_SECONDS = 0.05
ANSWER_SECONDS_PER_TEXT = 0.000_25
RESTART_PAUSE_SECONDS = 30.0  # a child that died is started again no sooner than this
CLEAN = Verdict(())


class FilterProcess:
    """A child process judging texts with the filter built from ``settings``.

    ``mirrors`` is the hub's filter now (:attr:`server.hub.Hub.checker`), built from the
    same settings: the child's first filter stands for it. A child that died is started
    again once ``restart_pause`` seconds have passed since the last start.
    """

    def __init__(
        self,
        settings: Settings,
        mirrors: object,
        *,
        restart_pause: float = RESTART_PAUSE_SECONDS,
    ) -> None:
        self._settings = settings
        self._restart_pause = restart_pause
        self._child: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._started_at = -restart_pause
        self._builds = itertools.count()
        self._building: tuple[int, object] | None = None  # (build number, hub filter) under way
        self._built: tuple[int, object] | None = None  # what the child's filter stands for
        self._requests = itertools.count()
        self._waiting: dict[int, asyncio.Future[list[Verdict] | None]] = {}
        self._mirrors = mirrors  # the hub's filter as last seen: what a (re)start builds
        self._restarting: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id (None: not running)."""
        return self._child.pid if self._child is not None else None

    async def start(self) -> None:
        """Start the child; it builds its filter meanwhile (a few seconds of another core)."""
        self._started_at = time.monotonic()
        try:
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", __name__,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,  # never onto the console's screen
                start_new_session=True,  # the terminal's Ctrl-C and hang-up are the hub's
            )  # fmt: skip
        except OSError as exc:
            log.warning("cannot start the filter's process; judging in the hub: %s", exc)
            return
        self._child = child
        self._built = None
        self._building = (next(self._builds), self._mirrors)
        self._send(child, self._settings)
        self._send(child, ("build", self._building[0]))
        self._reader = asyncio.create_task(self._read(child), name="filter-process")

    async def close(self) -> None:
        """Stop the child (and a restart under way) and wait for it."""
        if self._restarting is not None:
            self._restarting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._restarting
        await self._stop_child()

    async def _stop_child(self) -> None:
        # Killed, not asked: it keeps nothing worth a goodbye, and one still building its
        # filter would read its closed input only seconds later (quitting must be quick).
        child, self._child = self._child, None
        if child is None:
            return
        with contextlib.suppress(ProcessLookupError):  # it died on its own
            child.kill()
        await child.wait()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    async def _restart(self) -> None:
        await self._stop_child()
        await self.start()

    def follow(self, checker: object) -> bool:
        """The hub judges with ``checker`` now; True if the child has that filter.

        If not, it gets it: a child with an older one rebuilds at once (a wordlist was
        edited: the files it reads already say so), and one that died is started again
        once the pause since the last start has passed.
        """
        self._mirrors = checker
        child = self._child
        if child is None or child.returncode is not None:
            restart_due = time.monotonic() - self._started_at >= self._restart_pause
            if restart_due and (self._restarting is None or self._restarting.done()):
                self._restarting = asyncio.create_task(self._restart(), name="filter-restart")
            return False
        if self._built is not None and self._built[1] is checker:
            return True
        if self._building is None or self._building[1] is not checker:
            self._building = (next(self._builds), checker)
            self._send(child, ("build", self._building[0]))
        return False

    async def verdicts(self, texts: Sequence[str], checker: object) -> list[Verdict] | None:
        """The verdict of ``checker`` (the hub's filter) on each of ``texts``, or None.

        The texts as sent: the child cleans them as admission does. None: judge them in
        the hub's loop (see the module's doc). Never raises.
        """
        child = self._child
        if not self.follow(checker) or child is None:
            return None
        number = next(self._requests)
        answer = self._waiting[number] = asyncio.get_running_loop().create_future()
        try:
            self._send(child, ("check", number, list(texts)))
            return await asyncio.wait_for(
                answer, ANSWER_SECONDS + ANSWER_SECONDS_PER_TEXT * len(texts)
            )
        except TimeoutError:
            return None
        finally:
            self._waiting.pop(number, None)

    def _send(self, child: asyncio.subprocess.Process, message: object) -> None:
        """Write a message; a child that is gone shows as its output ending (see _read)."""
        assert child.stdin is not None
        if child.stdin.is_closing():
            return
        child.stdin.write(_frame(message))

    async def _read(self, child: asyncio.subprocess.Process) -> None:
        assert child.stdout is not None
        try:
            while True:
                header = await child.stdout.readexactly(HEADER.size)
                (size,) = HEADER.unpack(header)
                self._take(pickle.loads(await child.stdout.readexactly(size)))
        except (asyncio.IncompleteReadError, ConnectionError, pickle.UnpicklingError):
            if self._child is child:  # not a close(): it died
                log.warning("the filter's process stopped; judging in the hub meanwhile")
        finally:
            self._built = self._building = None
            for answer in self._waiting.values():
                if not answer.done():
                    answer.set_result(None)

    def _take(self, message: Any) -> None:
        kind, number = message[0], message[1]
        if kind == "built":
            if self._building is not None and self._building[0] == number:
                self._built, self._building = self._building, None
                log.info("the filter's process judges from now on (build %d)", number)
        elif kind == "verdicts":
            answer = self._waiting.get(number)
            built = self._built
            if answer is not None and not answer.done():
                # Judged by a filter the hub has since replaced: of no use.
                current = built is not None and built[0] == message[2]
                answer.set_result(_expand(message[3], message[4]) if current else None)


def _frame(message: object) -> bytes:
    """A message as it goes down the pipe, either way: its pickle's length, then the pickle."""
    payload = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def _expand(count: int, held: list[tuple[int, Verdict]]) -> list[Verdict]:
    """Every text's verdict from the few that hold (most comments at an event do not)."""
    verdicts = [CLEAN] * count
    for index, verdict in held:
        verdicts[index] = verdict
    return verdicts


# -- the child ---------------------------------------------------------------------------


def _read_frame(stream: IO[bytes]) -> Any:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    return pickle.loads(stream.read(size))


def _write_frame(stream: IO[bytes], message: object) -> None:
    stream.write(_frame(message))
    stream.flush()


def serve(source: IO[bytes], sink: IO[bytes]) -> None:
    """The child: the settings come first, then builds and checks, answered until EOF."""
    settings = _read_frame(source)
    if not isinstance(settings, Settings):
        raise SystemExit("the filter's process expects the hub's settings first")
    text_filter, build = None, -1
    while (message := _read_frame(source)) is not None:
        if message[0] == "build":  # the files as they are now (a rebuild: jieba is loaded)
            text_filter, build = build_filter(settings), message[1]
            text_filter.warm_up()
            _write_frame(sink, ("built", build))
        elif message[0] == "check" and text_filter is not None:
            texts = message[2]
            held = [
                (index, verdict)
                for index, raw in enumerate(texts)
                if (verdict := text_filter.check(text.clean(raw))).reasons
            ]
            _write_frame(sink, ("verdicts", message[1], build, len(texts), held))


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
