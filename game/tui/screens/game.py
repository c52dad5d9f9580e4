"""GameScreen: the main screen, and the thread workers that drive the game controller.

Workers (`@work(thread=True)`) call the controller and post messages
(`game.tui.messages`); the handlers here update widgets. Model calls never run
on the UI thread, so the input stays live while the model streams. Esc sets a
cancel flag the turn worker checks between pieces; the controller then throws
`NarrationCut` into the session's stream.

Deliberately left out: the opening of the game and what happens on failures
that need a new screen (the app handles both); the game's rules.
"""
from __future__ import annotations

import logging
import threading

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from game.tui.messages import (
    NarrationPiece,
    SceneDrawn,
    SceneFailed,
    TurnFailed,
    TurnFinished,
    TurnStarted,
)
from game.tui.widgets.choice_bar import ChoiceBar
from game.tui.widgets.command_input import CommandInput
from game.tui.widgets.narration_log import NarrationLog
from game.tui.widgets.scene_pane import ScenePane
from game.tui.widgets.side_panel import SidePanel
from game.tui.widgets.status_bar import StatusBar

MIN_WIDTH, MIN_HEIGHT = 70, 20
NARRATED = ("parser", "ranked", "choice")

log = logging.getLogger(__name__)


class GameScreen(Screen):
    BINDINGS = [
        Binding("escape", "cancel", "Stop narration", priority=True),
        Binding("ctrl+z", "command('undo')", "Undo", priority=True),
        Binding("ctrl+y", "command('redo')", "Redo", priority=True),
        Binding("ctrl+r", "command('retry')", "Retry", priority=True),
        Binding("ctrl+s", "app.save", "Save", priority=True),
        Binding("ctrl+o", "app.load", "Load", priority=True),
        Binding("ctrl+n", "app.new_game", "New game", priority=True),
        Binding("f1", "app.help", "Help", priority=True),
    ] + [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]

    def __init__(self) -> None:
        super().__init__(id="game")
        self.cancel_event = threading.Event()
        self.busy = 0  # turns queued or running
        self.current_scene = None  # the ScenePrompt whose picture the pane should show
        self.current_location = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield NarrationLog(id="log")
                yield ChoiceBar(id="choices")
                yield CommandInput(id="command", placeholder="What do you do? (a number picks a choice; F1 help)")
            with Vertical(id="side"):
                yield ScenePane(id="scene")
                yield SidePanel(id="panel")
        yield StatusBar(id="status")
        yield Static(f"The terminal is too small.\nPlease make it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
                     id="too-small")

    def on_mount(self) -> None:
        self.query_one(CommandInput).focus()
        self._check_size()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "pick" and isinstance(self.focused, CommandInput):
            return False  # the input picks on a digit only when it is empty
        return True

    def on_resize(self) -> None:
        self._check_size()
        self.query_one(SidePanel).refit(self.size.height - 1)  # the side column: all but the status bar

    def _check_size(self) -> None:
        small = self.size.width < MIN_WIDTH or self.size.height < MIN_HEIGHT
        self.set_class(small, "too-small")

    # --- player actions --------------------------------------------------------------
    @on(Input.Submitted, "#command")
    def submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        box = self.query_one(CommandInput)
        box.value = ""
        if text:
            box.remember(text)
            self.play(text, text)

    @on(ChoiceBar.Picked)
    @on(CommandInput.Picked)
    def picked(self, event) -> None:
        self.action_pick(event.number)

    def action_pick(self, number: int) -> None:
        choices = getattr(self.app.controller.session, "choices", [])
        choice = next((c for c in choices if c.number == number), None)
        if choice is not None:
            self.play(str(number), f"{number}. {choice.label}")

    def action_command(self, name: str, argument: str = "") -> None:
        if self.app.controller.session is not None:
            self.busy += 1
            self.run_command(name, argument)

    def action_cancel(self) -> None:
        if self.busy:
            self.cancel_event.set()

    def play(self, text: str, label: str) -> None:
        if self.app.controller.session is None:
            self.query_one(NarrationLog).add_note("The game is still opening…")
            return
        self.busy += 1
        self.run_turn(text, label)

    # --- workers -----------------------------------------------------------------------
    @work(thread=True, group="turn")
    def run_turn(self, text: str, label: str) -> None:
        controller = self.app.controller
        with controller.lock:
            self.cancel_event.clear()
            self.post_message(TurnStarted(text, label))
            try:
                result = controller.turn(text, lambda piece: self.post_message(NarrationPiece(piece)),
                                         self.cancel_event)
            except Exception as exc:  # the game goes on from the committed state
                log.exception("turn %r failed; the game goes on from the committed state", text)
                self.post_message(TurnFailed(f"{type(exc).__name__}: {exc}", self._safe_panel()))
                return
            self.post_message(TurnFinished(result, controller.panel(), controller.vocabulary()))

    @work(thread=True, group="turn")
    def run_command(self, name: str, argument: str) -> None:
        controller = self.app.controller
        with controller.lock:
            self.post_message(TurnStarted("", name))
            try:
                result = controller.command(name, argument)
            except Exception as exc:  # the game goes on from the committed state
                log.exception("command %s failed; the game goes on from the committed state", name)
                self.post_message(TurnFailed(f"{name} failed: {type(exc).__name__}: {exc}", self._safe_panel()))
                return
            self.post_message(TurnFinished(result, controller.panel(), controller.vocabulary()))

    @work(thread=True, group="village", exclusive=True)
    def advance_village(self) -> None:
        """The village catches up with the game clock between turns; input is never blocked by it
        (a turn only waits for a step in flight when the player talks to a villager)."""
        session = self.app.controller.session
        if session is not None and session.village is not None:
            try:
                session.advance_village()
            except Exception as exc:  # the game goes on without the village's latest quarter hours
                log.exception("the village could not move on")
                self.app.call_from_thread(self.query_one(NarrationLog).add_error,
                                          f"The village could not move on ({type(exc).__name__}: {exc}).")

    # --- scene pictures: never block a turn; a stale picture is cached, not shown -------
    def request_picture(self, location: str, images) -> None:
        try:
            scene = self.app.controller.scene()
        except Exception as exc:  # a picture is never worth a broken turn
            log.exception("no scene prompt for this turn")
            self.query_one(StatusBar).images = f"no picture: {type(exc).__name__}: {exc}"
            return
        if scene is None or scene == self.current_scene:
            return
        self.current_scene, self.current_location = scene, location
        pane = self.query_one(ScenePane)
        hit = images.cached(scene)
        if hit is not None:
            pane.show_scene(location, hit)
            return
        pane.show_scene(location, None)
        self.query_one(StatusBar).images = "drawing the scene…"
        self.draw_picture(scene, images)

    @work(thread=True, group="images")
    def draw_picture(self, scene, images) -> None:
        try:
            path = images.draw(scene)
        except Exception as exc:  # missing weights, bad folder, OOM on CPU: one line, placeholder stays
            log.warning("no picture for %r: %s: %s", scene.caption, type(exc).__name__, exc)
            self.post_message(SceneFailed(scene, f"no picture: {exc}"))
            return
        self.post_message(SceneDrawn(scene, path))

    def on_scene_drawn(self, message: SceneDrawn) -> None:
        status = self.query_one(StatusBar)
        problem = self.app.scene_images.problem if self.app.scene_images else None
        status.images = problem or "images: on"
        if message.scene == self.current_scene and message.path is not None:
            self.query_one(ScenePane).show_scene(self.current_location, message.path)

    def on_scene_failed(self, message: SceneFailed) -> None:
        self.query_one(StatusBar).images = message.error.splitlines()[0][:160]

    def show_scene_prompt(self) -> None:
        scene = self.app.controller.scene()
        if scene is not None:
            self.query_one(NarrationLog).add_note(f"Scene prompt: {scene.text}\n(bundled model: {scene.caption})")

    def _safe_panel(self):
        try:
            return self.app.controller.panel()
        except Exception as exc:  # the failure being reported may have broken the panel too
            log.warning("the side panel could not be refreshed: %s: %s", type(exc).__name__, exc)
            return None

    # --- engine events -> widgets ------------------------------------------------------
    def on_turn_started(self, message: TurnStarted) -> None:
        log = self.query_one(NarrationLog)
        if message.text:
            log.add_player(message.label)
        self.query_one(StatusBar).thinking = "thinking…" if message.text else f"{message.label}…"

    def on_narration_piece(self, message: NarrationPiece) -> None:
        self.query_one(NarrationLog).stream_piece(message.text)
        self.query_one(StatusBar).thinking = "narrating… (Esc stops)"

    def on_turn_finished(self, message: TurnFinished) -> None:
        self.busy = max(0, self.busy - 1)
        result, log = message.result, self.query_one(NarrationLog)
        source = result.narration_source
        if source == "cut":
            log.end_stream(None, cut=True)
            log.add_note(result.facts, "facts")
        elif source == "model":
            log.end_stream(result.narration)
            if result.facts.strip() and result.facts.strip() != result.narration.strip():
                log.add_note(result.facts, "facts")
        else:
            log.end_stream(result.narration or result.facts, markdown=False)
            if source == "fallback":
                log.add_error("The narrator could not tell this turn; here is what happened, plainly.")
        if result.won or result.lost:
            log.add_note("The story is over: you " + ("won!" if result.won else "lost.") +
                         " Undo, start a new game (Ctrl+N), or quit.", "ending")
        self.show_state(message.panel, message.vocabulary, result.choices)
        self.advance_village()
        status = self.query_one(StatusBar)
        status.thinking = "" if not self.busy else status.thinking
        tps = result.timings.get("tokens_per_s")
        if tps:
            status.tokens_per_s = tps
        backend = self.app.backend
        if backend and backend.unavailable:  # turns go on with the engine's text meanwhile
            status.model = "model unavailable"
        elif status.model == "model unavailable":
            status.model = backend.name if backend else "model"
        if result.quit:
            self.app.exit()

    def on_turn_failed(self, message: TurnFailed) -> None:
        self.busy = max(0, self.busy - 1)
        log = self.query_one(NarrationLog)
        log.end_stream(None)
        log.add_error(f"Something went wrong this turn ({message.error}). The game goes on.")
        if message.panel is not None:
            self.query_one(SidePanel).show(message.panel)
        self.query_one(StatusBar).thinking = ""

    def show_state(self, panel, vocabulary, choices) -> None:
        self.query_one(SidePanel).show(panel)
        # the narration mode's note (GameSession.narration_note, where the session has one)
        self.query_one(StatusBar).narration = getattr(self.app.controller.session, "narration_note", "") or ""
        pane = self.query_one(ScenePane)
        images = self.app.scene_images
        if images is None:
            if pane.location_name != panel.location:
                pane.show_scene(panel.location, None)
        else:
            self.request_picture(panel.location, images)
        self.query_one(ChoiceBar).set_choices([(c.number, c.label) for c in choices])
        self.query_one(CommandInput).vocabulary = vocabulary
