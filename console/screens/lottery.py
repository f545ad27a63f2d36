"""The lottery: draw winners among senders whose comments reached the wall."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from console.dispatch import Dispatcher
from console.messages import CoreMessage, DrawAnnounced, DrawCleared
from console.widgets.draw_history import DrawHistory
from console.widgets.draw_result import DrawResult
from console.widgets.help_line import HelpLine
from console.widgets.status_bar import StatusBar
from server.hub import NobodyEligible
from server.models import Draw, DrawRules
from server.web.service import Service

MAX_WINNERS = 100


class LotteryScreen(Screen[None]):
    """Choose how many winners, whether earlier winners may win again, and draw."""

    AUTO_FOCUS = "#draw"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "draw", "Draw", priority=True, key_display="Enter"),
        Binding("w", "winners", "Winners"),
        Binding("x", "toggle_exclude", "Exclude earlier"),
        Binding("d", "dismiss_draw", "Clear projector"),
        Binding("escape", "leave_field", "Back", key_display="Esc"),
    ]

    def __init__(self, service: Service, dispatcher: Dispatcher) -> None:
        super().__init__(name="lottery")
        self.service = service
        self.hub = service.hub
        self.dispatcher = dispatcher
        dispatcher.add("lottery", self)

    def compose(self) -> ComposeResult:
        """Status, the draw form, the latest result, earlier draws, keys."""
        yield StatusBar(self.service.join_url, "lottery")
        with Vertical(classes="body"):
            with Horizontal(id="draw-form"):
                yield Label("Winners", id="winners-label")
                yield Input("1", type="integer", max_length=3, id="winners", select_on_focus=True)
                yield Checkbox("Exclude earlier winners", True, id="exclude")
                yield Button("Draw", variant="success", id="draw")
            yield DrawResult(id="result")
            yield Static("Earlier draws", classes="section-title")
            yield DrawHistory(id="history")
        yield HelpLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Show the draws so far and whatever the projector shows now."""
        draws = self.hub.draws()
        self.query_one(DrawHistory).load(draws)
        current = self.hub.current_draw
        latest = current or (draws[-1] if draws else None)
        self.query_one(DrawResult).show_draw(latest, on_projector=current is not None)

    # -- kept current by the core's events (console.dispatch) --------------------------

    def core_event(self, message: CoreMessage) -> None:
        """Draws (by any moderator) and their leaving the projector."""
        match message:
            case DrawAnnounced(draw=draw):
                self.draw_made(draw)
            case DrawCleared():
                self.draw_cleared()

    def draw_made(self, draw: Draw) -> None:
        """Winners were drawn (here or by another moderator)."""
        if not self.is_mounted:
            return
        current = self.hub.current_draw
        on_projector = current is not None and current.id == draw.id
        self.query_one(DrawResult).show_draw(draw, on_projector)
        self.query_one(DrawHistory).add_draw(draw)

    def draw_cleared(self) -> None:
        """The winners were taken off the projector."""
        if not self.is_mounted:
            return
        result = self.query_one(DrawResult)
        result.show_draw(result.draw, on_projector=False)

    # -- the moderator's keys ------------------------------------------------------------

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """The Draw button (by mouse; Enter is bound on the whole screen)."""
        if event.button.id == "draw":
            event.stop()
            await self.action_draw()

    def _winners(self) -> int | None:
        field = self.query_one("#winners", Input)
        try:
            winners = int(field.value)
        except ValueError:
            winners = 0
        if not 1 <= winners <= MAX_WINNERS:
            self.notify(
                f"The number of winners must be between 1 and {MAX_WINNERS}.",
                severity="error",
            )
            field.focus()
            return None
        return winners

    async def action_draw(self) -> None:
        """Draw now and put the winners on the projector."""
        winners = self._winners()
        if winners is None:
            return
        rules = DrawRules(
            winners=winners, exclude_previous_winners=self.query_one("#exclude", Checkbox).value
        )
        try:
            await self.hub.draw(rules)  # its DrawMade event shows the winners
        except NobodyEligible:  # no draw, no event: say so here
            self.query_one(DrawResult).show_nobody_eligible()
            self.notify("Nobody is eligible yet: no draw was made.", severity="warning")

    def action_dismiss_draw(self) -> None:
        """Take the winners off the projector."""
        if self.hub.current_draw is None:
            self.notify("The projector shows no winners.", severity="warning")
            return
        self.hub.dismiss_draw()  # its DrawDismissed event updates the result

    def action_winners(self) -> None:
        """Type how many winners to draw (Enter then draws, Esc leaves the field)."""
        self.query_one("#winners", Input).focus()

    def action_toggle_exclude(self) -> None:
        """Whether earlier winners may win again."""
        self.query_one("#exclude", Checkbox).toggle()

    def action_leave_field(self) -> None:
        """Back from the form fields to the Draw button, where the view's keys work."""
        self.query_one("#draw", Button).focus()
