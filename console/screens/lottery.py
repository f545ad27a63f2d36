"""The lottery: a gala's prizes drawn round by round, each committed before it is drawn.

Enter opens the next round: its rules (the plan's next prize, or the winners typed; the
tickets scheme; the entry minimum; whether earlier winners are out) and its seed are fixed,
and the projector shows the prize with the seed's SHA-256. Enter again draws it; the
winners replace the commitment on the projector until ``d`` or the next round. ``v`` voids
a winner of the draw on the projector and draws one replacement.

Before Enter the view lists the entrants under the form's rules with their tickets and
their chance of winning this round. A busy wall changes them many times a second: the list
is redrawn at most every :data:`REFRESH_SECONDS`, only while the view is on screen, and a
simulated estimate (several winners) runs in a thread, within :data:`CHANCE_WORK`.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Footer, Input, Label, Static

from console.dialogs.prize_plan import PrizePlanDialog
from console.dialogs.void_winner import VoidWinnerDialog
from console.dispatch import Dispatcher
from console.language import N_, _, ngettext
from console.messages import (
    CommentRetracted,
    CommentShown,
    CoreMessage,
    DrawAnnounced,
    DrawCleared,
    PrizePlanSet,
    RoundOpened,
    SenderBanned,
    StatsUpdated,
    WinnerVoided,
)
from console.screens.view import View
from console.widgets.comment_text import one_line, scheme_name, void_reason_name
from console.widgets.draw_history import DrawHistory
from console.widgets.draw_result import DrawResult
from console.widgets.entrants_table import EntrantsTable, entrants_summary
from console.widgets.help_line import HelpLine
from console.widgets.lottery_status import RoundStatus, plan_text, round_text
from console.widgets.status_bar import StatusBar
from server.hub import NobodyEligible, NoSuchWinner
from server.lottery import chances
from server.models import Draw, DrawRules, Entrant, Prize, Scheme, Void, VoidReason
from server.web.service import Service

log = logging.getLogger(__name__)

MAX_WINNERS = 100  # what a plan's line allows too (server.lottery_desk.parse_prize_plan)
MAX_CAP = 9999
MAX_MIN_SHOWN = 999
DEFAULT_CAP = "5"
SCHEMES = tuple(Scheme)
REFRESH_SECONDS = 1.0  # the entrants' list after comments go up: at most once a second
# A simulated estimate costs trials × winners × entrants steps of pure Python (~10 M/s):
# 4,000 trials for a small hall, fewer (never under MIN_TRIALS) for a big one, so one
# estimate stays under half a second of a thread's time.
CHANCE_WORK = 4_000_000
MAX_TRIALS = 4_000
MIN_TRIALS = 500
ONLY_PROJECTED_WINNERS = N_("Only a winner of the draw on the projector can be voided.")


def trials_for(entrants: int, winners: int) -> int:
    """How many simulated draws an estimate of the chances can afford."""
    return max(MIN_TRIALS, min(MAX_TRIALS, CHANCE_WORK // max(1, entrants * winners)))


def number_field(value: str, field_id: str, digits: int, *, disabled: bool = False) -> Input:
    """One of the form's one-line number fields."""
    return Input(
        value,
        type="integer",
        max_length=digits,
        id=field_id,
        select_on_focus=True,
        compact=True,
        disabled=disabled,
    )


def exact_chances(entrants: tuple[Entrant, ...], winners: int) -> bool:
    """Whether :func:`server.lottery.chances` is exact here (else it simulates)."""
    return winners == 1 or winners >= sum(1 for e in entrants if e.weight > 0)


class LotteryScreen(View):
    """Set a round's rules, see who enters and their chances, open it, draw it, void."""

    VIEW = "lottery"

    DEFAULT_CSS = """
    LotteryScreen #draw-form {
        height: 1;
        margin: 1 0 0 0;
    }
    LotteryScreen #draw-form Label {
        padding: 0 1 0 0;
    }
    LotteryScreen #draw-form Input {
        margin: 0 1 0 0;
    }
    LotteryScreen #winners { width: 5; }
    LotteryScreen #cap { width: 6; }
    LotteryScreen #min-shown { width: 5; }
    LotteryScreen #draw {
        width: auto;
        min-width: 0;
    }
    LotteryScreen #scheme {
        width: 13;
        margin: 0 1 0 0;
    }
    LotteryScreen #exclude {
        width: auto;
        margin: 0 1 0 0;
    }
    LotteryScreen #plan {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
    }
    LotteryScreen #lists {
        height: 1fr;
    }
    LotteryScreen #entrants-pane {
        width: 46;
        height: 1fr;
    }
    LotteryScreen #history-pane {
        width: 1fr;
        height: 1fr;
    }
    LotteryScreen #entrants-summary {
        height: auto;
    }
    """

    AUTO_FOCUS = "#draw"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "enter", N_("Open/draw"), priority=True, key_display="Enter"),
        Binding("w", "winners", N_("Winners")),
        Binding("s", "scheme", N_("Scheme")),
        Binding("c", "cap", N_("Cap")),
        Binding("m", "min_shown", N_("Min shown")),
        Binding("x", "toggle_exclude", N_("Exclude earlier")),
        Binding("e", "edit_plan", N_("Edit plan")),
        Binding("v", "void", N_("Void winner")),
        Binding("d", "dismiss_draw", N_("Clear projector")),
        Binding("escape", "leave_field", N_("Back"), key_display="Esc"),
    ]

    def __init__(self, service: Service, dispatcher: Dispatcher) -> None:
        super().__init__(service, dispatcher)
        self.scheme = Scheme.PROPORTIONAL
        self._pending: Timer | None = None
        self._stale = False  # entrants changed while the view was hidden

    def compose(self) -> ComposeResult:
        """Status, the round's form, the plan, the round, the result, entrants and history."""
        yield StatusBar(self.service.join_url, "lottery")
        with Vertical(classes="body"):
            with Horizontal(id="draw-form"):
                yield Label(_("Winners"))
                yield number_field("1", "winners", 3)
                yield Label(_("Tickets"))
                yield Button(scheme_name(self.scheme), id="scheme", compact=True)
                yield Label(_("Cap"))
                yield number_field(DEFAULT_CAP, "cap", 4, disabled=True)
                yield Label(_("Min"))
                yield number_field("1", "min-shown", 3)
                yield Checkbox(_("Exclude earlier"), True, id="exclude", compact=True)
                yield Button(_("Open round"), variant="success", id="draw", compact=True)
            yield Static(id="plan", markup=False)
            yield RoundStatus(id="round")
            yield DrawResult(id="result")
            with Horizontal(id="lists"):
                with Vertical(id="entrants-pane"):
                    yield Static(id="entrants-summary", classes="section-title", markup=False)
                    yield EntrantsTable(id="entrants")
                with Vertical(id="history-pane"):
                    yield Static(_("Earlier draws"), classes="section-title")
                    yield DrawHistory(id="history")
        yield HelpLine()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The draws so far, what the projector shows, the next round and its entrants."""
        draws = self.hub.draws()
        self.query_one(DrawHistory).load(draws)
        current = self.hub.current_draw
        latest = current or (draws[-1] if draws else None)
        self.query_one(DrawResult).show_draw(latest, on_projector=current is not None)
        self.refresh_round()
        self.refresh_entrants()

    def on_screen_resume(self) -> None:
        """Back in view (or a dialog closed): catch up with what changed meanwhile."""
        self.refresh_round()
        if self._stale:
            self.refresh_entrants()

    # -- the form ------------------------------------------------------------------------

    def _number(self, field_id: str, name: str, low: int, high: int) -> int | str:
        """A field's whole number, or what is wrong with it."""
        try:
            value = int(self.query_one(f"#{field_id}", Input).value)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            return _("{name} must be between {low} and {high}.").format(
                name=name, low=low, high=high
            )
        return value

    def read_rules(self) -> tuple[DrawRules | None, str, str]:
        """The form's rules, or None with what is wrong and the field to fix."""
        prize = self.hub.next_prize()
        if prize is not None:  # the plan decides the prize and how many win it
            name, winners = prize.name, prize.count
        else:
            typed = self._number("winners", _("The number of winners"), 1, MAX_WINNERS)
            if isinstance(typed, str):
                return None, typed, "winners"
            name, winners = "", typed
        cap = None
        if self.scheme is Scheme.CAPPED:
            typed_cap = self._number(
                "cap", _("The cap (most tickets one sender holds)"), 1, MAX_CAP
            )
            if isinstance(typed_cap, str):
                return None, typed_cap, "cap"
            cap = typed_cap
        min_shown = self._number("min-shown", _("The minimum of comments shown"), 1, MAX_MIN_SHOWN)
        if isinstance(min_shown, str):
            return None, min_shown, "min-shown"
        rules = DrawRules(
            winners=winners,
            exclude_previous_winners=self.query_one("#exclude", Checkbox).value,
            prize=name,
            scheme=self.scheme,
            cap=cap,
            min_shown=min_shown,
        )
        return rules, "", ""

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field of the form changed: the round line and the entrants follow."""
        event.stop()
        self.rules_changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """Earlier winners in or out: the entrants follow."""
        event.stop()
        self.rules_changed()

    def rules_changed(self) -> None:
        """Show what Enter would do now, and who would enter."""
        if self.is_mounted:
            self.refresh_round()
            self.refresh_entrants()

    # -- kept current by the core's events (console.dispatch) --------------------------

    def core_event(self, message: CoreMessage) -> None:
        """Rounds, draws, voids, and whatever changes who enters."""
        match message:
            case RoundOpened():
                self.round_opened()
            case PrizePlanSet():
                self.rules_changed()
            case DrawAnnounced(draw=draw):
                self.draw_made(draw)
            case WinnerVoided(draw=draw, void=void):
                self.winner_voided(draw, void)
            case DrawCleared():
                self.draw_cleared()
            case CommentShown() | CommentRetracted() | SenderBanned() | StatsUpdated():
                self.entrants_changed()

    def round_opened(self) -> None:
        """A round was committed: its hash replaced the winners on the projector."""
        if not self.is_mounted:
            return
        result = self.query_one(DrawResult)
        result.show_draw(result.draw, on_projector=False)
        self.refresh_round()

    def draw_made(self, draw: Draw) -> None:
        """Winners were drawn: the plan moves on, and they are out of later rounds."""
        if not self.is_mounted:
            return
        current = self.hub.current_draw
        on_projector = current is not None and current.id == draw.id
        self.query_one(DrawResult).show_draw(draw, on_projector)
        self.query_one(DrawHistory).add_draw(draw)
        self.rules_changed()

    def winner_voided(self, draw: Draw, void: Void) -> None:
        """A winner was voided and (if anyone was left) replaced."""
        if not self.is_mounted:
            return
        current = self.hub.current_draw
        on_projector = current is not None and current.id == draw.id
        self.query_one(DrawResult).show_draw(draw, on_projector)
        self.query_one(DrawHistory).add_draw(draw)
        replacement = void.replacement
        voided = one_line(void.nick) or void.sender
        reason = void_reason_name(void.reason)
        if replacement is None:
            words = _("Voided {who} ({reason}): nobody was left to draw.").format(
                who=voided, reason=reason
            )
        else:
            drawn = one_line(replacement.nick) or replacement.sender
            words = _("Voided {who} ({reason}): {drawn} drawn in their place.").format(
                who=voided, reason=reason, drawn=drawn
            )
        self.notify(words, markup=False)  # nicks are audience text
        self.refresh_entrants()  # the replacement is out of later rounds now

    def draw_cleared(self) -> None:
        """The winners (or the round's commitment) were taken off the projector."""
        if not self.is_mounted:
            return
        result = self.query_one(DrawResult)
        result.show_draw(result.draw, on_projector=False)
        self.refresh_round()

    def entrants_changed(self) -> None:
        """Comments went up or down, or someone was banned: redraw the entrants soon."""
        if not self.is_mounted:
            return
        if not self.is_current:
            self._stale = True  # no work for a hidden list: redrawn when back in view
            return
        if self._pending is None:
            self._pending = self.dispatcher.later("lottery", REFRESH_SECONDS, self.refresh_entrants)

    # -- drawing the view ----------------------------------------------------------------

    def refresh_round(self) -> None:
        """The plan line, the round line, the form's state and the button's words."""
        plan = self.hub.prize_plan
        drawn = self.hub.prizes_drawn()
        self.query_one("#plan", Static).update(plan_text(plan, drawn))
        prize: Prize | None = plan[drawn] if drawn < len(plan) else None
        winners = self.query_one("#winners", Input)
        winners.disabled = prize is not None
        if prize is not None and winners.value != str(prize.count):
            winners.value = str(prize.count)
        self.query_one("#cap", Input).disabled = self.scheme is not Scheme.CAPPED
        self.query_one("#scheme", Button).label = scheme_name(self.scheme)
        rules, problem, _field = self.read_rules()
        committed = self.hub.lottery_round
        self.query_one(RoundStatus).update(round_text(committed, rules, problem))
        draws = committed is not None and committed.rules == rules
        self.query_one("#draw", Button).label = _("Draw") if draws else _("Open round")

    def refresh_entrants(self) -> None:
        """Who enters under the form's rules now, with tickets; chances follow."""
        if self._pending is not None:
            self._pending.stop()
            self._pending = None
        self._stale = False
        rules, problem, _field = self.read_rules()
        summary = self.query_one("#entrants-summary", Static)
        table = self.query_one(EntrantsTable)
        if rules is None:
            summary.update(Text(problem, style="bold red"))
            table.load((), {}, 0)
            return
        entrants = self.hub.entrants(rules)
        senders = self.hub.senders()
        on_wall = sum(1 for s in senders if s.on_screen > 0)
        exact = exact_chances(entrants, rules.winners)
        summary.update(entrants_summary(entrants, rules.winners, on_wall - len(entrants)))
        changed = table.load(entrants, {s.id: s.on_screen for s in senders}, rules.winners)
        if not entrants or not (changed or not table.chances):
            return  # the same entrants, tickets and winners: the chances shown still hold
        if exact:  # one ticket count over the total: no need for a thread
            table.show_chances(entrants, rules.winners, chances(entrants, rules.winners), True)
        else:
            self.simulate_chances(entrants, rules.winners)

    @work(exclusive=True, group="lottery-chances", exit_on_error=False)
    async def simulate_chances(self, entrants: tuple[Entrant, ...], winners: int) -> None:
        """Estimate each entrant's chance in a thread (a newer estimate cancels this one)."""
        trials = trials_for(len(entrants), winners)
        try:
            odds = await asyncio.to_thread(chances, entrants, winners, trials)
        except Exception:  # the chances are a help: without them the draw still works
            log.exception("working out the lottery chances failed")
            return
        table = self.query_one(EntrantsTable)
        show = partial(table.show_chances, entrants, winners, odds, False)
        # Drawn under the dispatcher's guard, right away (a Textual timer needs a delay > 0).
        self.dispatcher.later("lottery", 0.001, show)

    # -- the moderator's keys ------------------------------------------------------------

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """The buttons, by mouse (Enter is bound on the whole screen)."""
        event.stop()
        if event.button.id == "draw":
            await self.action_enter()
        elif event.button.id == "scheme":
            self.action_scheme()

    def _fix(self, problem: str, field_id: str) -> None:
        self.notify(problem, severity="error")
        self.query_one(f"#{field_id}", Input).focus()

    async def action_enter(self) -> None:
        """Open the next round (its commitment on the projector), or draw the open one."""
        rules, problem, field_id = self.read_rules()
        if rules is None:
            self._fix(problem, field_id)
            return
        committed = self.hub.lottery_round
        if committed is not None and committed.rules == rules:
            try:
                await self.hub.draw(rules)  # its DrawMade event shows the winners
            except NobodyEligible:  # no draw, no event: say so here
                self.query_one(DrawResult).show_nobody_eligible()
                self.notify(_("Nobody is eligible: the round stays open."), severity="warning")
            return
        if not self.hub.entrants(rules):  # a commitment nobody can win would only confuse
            self.query_one(DrawResult).show_nobody_eligible()
            self.notify(_("Nobody is eligible yet: no round was opened."), severity="warning")
            return
        self.hub.open_round(rules)  # its RoundOpened event updates the view
        if committed is not None:
            self.notify(
                _(
                    "The rules changed since the round was opened: a new round was committed "
                    "(a new SHA-256 on the projector). Enter draws it."
                ),
                severity="warning",
            )

    def action_dismiss_draw(self) -> None:
        """Take the winners, or the open round's commitment, off the projector."""
        committed = self.hub.lottery_round
        if self.hub.current_draw is None and not (committed and committed.on_projector):
            self.notify(_("The projector shows no lottery."), severity="warning")
            return
        self.hub.dismiss_draw()  # its DrawDismissed event updates the view

    def action_void(self) -> None:
        """Void a winner of the draw on the projector (asking which, and why)."""
        draw = self.hub.current_draw
        if draw is None or not draw.standing:
            self.notify(_(ONLY_PROJECTED_WINNERS), severity="warning")
            return

        async def chosen(choice: tuple[str, VoidReason] | None) -> None:
            if choice is None:
                return
            try:  # its WinnerVoided event updates the view and the projector
                await self.hub.void_winner(*choice)
            except NoSuchWinner:  # the draw left the projector meanwhile
                self.notify(_(ONLY_PROJECTED_WINNERS), severity="error")

        self.app.push_screen(VoidWinnerDialog(draw), chosen)

    def action_edit_plan(self) -> None:
        """Type the night's prize plan (the same lines as ``--prizes FILE``)."""

        def chosen(plan: tuple[Prize, ...] | None) -> None:
            if plan is None:
                return
            self.hub.set_prize_plan(plan)  # its PrizePlanChanged event redraws the view
            self.notify(
                ngettext(
                    "Prize plan set: {count} prize.", "Prize plan set: {count} prizes.", len(plan)
                ).format(count=len(plan))
                if plan
                else _("No prize plan: each round draws the winners typed."),
                timeout=3,
            )

        self.app.push_screen(PrizePlanDialog(self.hub.prize_plan), chosen)

    def action_scheme(self) -> None:
        """The next way of turning comments into tickets."""
        self.scheme = SCHEMES[(SCHEMES.index(self.scheme) + 1) % len(SCHEMES)]
        self.rules_changed()

    def action_winners(self) -> None:
        """Type how many winners (Enter then opens the round, Esc leaves the field)."""
        if self.hub.next_prize() is not None:
            self.notify(_("The prize plan sets the winners (e edits the plan)."), timeout=3)
            return
        self.query_one("#winners", Input).focus()

    def action_cap(self) -> None:
        """Type the most tickets one sender may hold (the scheme becomes "capped")."""
        if self.scheme is not Scheme.CAPPED:
            self.scheme = Scheme.CAPPED
            self.rules_changed()
        self.query_one("#cap", Input).focus()

    def action_min_shown(self) -> None:
        """Type how many comments on the wall a sender needs to enter."""
        self.query_one("#min-shown", Input).focus()

    def action_toggle_exclude(self) -> None:
        """Whether earlier winners of the night may win again."""
        self.query_one("#exclude", Checkbox).toggle()

    def action_leave_field(self) -> None:
        """Back from the form fields to the Draw button, where the view's keys work."""
        self.query_one("#draw", Button).focus()
