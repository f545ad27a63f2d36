"""The audience as the hub knows it: each sender's nick, ban and counts, in memory.

The lottery weight (``on_screen``: comments that reached the wall) is kept here, updated
as comments go up and come down, so a draw never queries the database. A rehearsal's
comments fly like any other but never count: :meth:`SenderBook.went_up` and
:meth:`SenderBook.came_down` leave them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from server.models import Entrant, Message, Sender


class SenderState:
    """What the hub remembers of one sender between messages."""

    __slots__ = ("banned", "nick", "on_screen", "total")

    def __init__(self, nick: str = "", banned: bool = False) -> None:
        self.nick = nick
        self.banned = banned
        self.on_screen = 0  # comments that reached the wall: the lottery weight
        self.total = 0  # comments accepted (shown or held)


class SenderBook:
    """Every sender seen tonight, by the id their phone keeps."""

    def __init__(self) -> None:
        self._senders: dict[str, SenderState] = {}

    def restore(self, senders: Iterable[Sender], messages: Iterable[Message]) -> None:
        """Start from the store's record: nicks and bans, and counts from the messages."""
        for sender in senders:
            self._senders[sender.id] = SenderState(sender.nick, sender.banned)
        for message in messages:
            state = self._senders.get(message.sender)
            if state is None:  # no senders row: the nick it sent with
                state = self._senders[message.sender] = SenderState(message.nick)
            state.total += 1
            if message.status.reached_screen and not message.rehearsal:
                state.on_screen += 1

    def went_up(self, message: Message) -> None:
        """A comment reached the wall: one more ticket for its sender (not a rehearsal's)."""
        if not message.rehearsal:
            self[message.sender].on_screen += 1

    def came_down(self, message: Message) -> None:
        """A comment left the wall: the ticket it earned goes with it."""
        if not message.rehearsal:
            self[message.sender].on_screen -= 1

    def note_nick(self, sender_id: str, nick: str) -> bool:
        """Take a sender's nick from their latest comment; True when it is new to record.

        A comment sent without a nick keeps the one they had.
        """
        is_new = sender_id not in self._senders
        state = self[sender_id]
        if is_new or (nick and state.nick != nick):
            state.nick = nick
            return True
        return False

    def __contains__(self, sender_id: str) -> bool:
        return sender_id in self._senders

    def __getitem__(self, sender_id: str) -> SenderState:
        """The sender's state, made empty on first sight."""
        state = self._senders.get(sender_id)
        if state is None:
            state = self._senders[sender_id] = SenderState()
        return state

    def is_banned(self, sender_id: str) -> bool:
        """Whether a sender is banned (an unknown sender is not)."""
        state = self._senders.get(sender_id)
        return state is not None and state.banned

    def banned(self) -> set[str]:
        """The ids of every banned sender."""
        return {sender_id for sender_id, state in self._senders.items() if state.banned}

    def weights(self) -> Iterator[Entrant]:
        """Every sender with their lottery weight (``on_screen``), banned ones included."""
        for sender_id, state in self._senders.items():
            yield Entrant(sender_id, state.nick, state.on_screen)

    def listing(self) -> list[Sender]:
        """Every sender as the views show them."""
        return [
            Sender(sender_id, state.nick, state.banned, state.on_screen, state.total)
            for sender_id, state in self._senders.items()
        ]
