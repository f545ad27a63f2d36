"""What every one of the console's four views shares: the service, the hub, the dispatcher.

Each view registers with the dispatcher under its name, which is also its screen name
(the app switches views by it), so that core events reach it.
"""

from __future__ import annotations

from typing import ClassVar

from console.dispatch import Dispatcher
from console.language import TranslatedScreen
from console.messages import CoreMessage
from server.web.service import Service


class View(TranslatedScreen):
    """A view of the console: named, told of core events, reaching the core via the service."""

    VIEW: ClassVar[str]  # the screen's name and the dispatcher's key

    def __init__(self, service: Service, dispatcher: Dispatcher) -> None:
        super().__init__(name=self.VIEW)
        self.service = service
        self.hub = service.hub
        self.dispatcher = dispatcher
        dispatcher.add(self.VIEW, self)

    def core_event(self, message: CoreMessage) -> None:
        """Bring this view up to date with one core event.

        Each view overrides it with the events it shows; one showing none ignores them all.
        """
