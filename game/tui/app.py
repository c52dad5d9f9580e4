"""AdventureApp: screens, key bindings, the command palette, opening games and the model.

Start-up order (the ≤ 2 s budget): the game screen is composed at once; a
thread worker opens the story and its save, another loads the model (the
session is built on a `LazyBackend`, so only the first narration waits for
it). With an autosave that has progress, the player is asked before it is
resumed. A story or save that fails to open shows the error screen, whose
"back" leads to the menu.

With `watch=True` (`adventure play FILE --watch`) a timer looks at the story
file twice a second; when it changes, a worker reloads it, replays the
player's commands on it (game.play.story_watch) and the game goes on in the new
version, with a note on where the replay diverged. An invalid file leaves the
old version playing and shows its FILE:LINE problems until a fixed file loads.

`ADVENTURE_TUI_PROBE=FILE` makes the app write its start-up timestamps
(interactive screen, opening shown, model ready) to FILE as JSON and exit:
`adventure bench tui` uses it.

Deliberately left out: settings screens and several games side by side.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from agent.backend import Backend
from game.tui.controller import GameController
from game.tui.lazy_backend import LazyBackend
from game.tui.messages import (
    ModelFailed,
    ModelReady,
    ResumeOffered,
    SessionFailed,
    SessionOpened,
    StoryReloaded,
    StoryReloadFailed,
)
from game.tui.screens.dialogs import ErrorScreen, MenuScreen, ResumeScreen
from game.tui.screens.game import GameScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.saves import LoadScreen, SaveScreen
from game.tui.widgets.narration_log import NarrationLog
from game.tui.widgets.status_bar import StatusBar

PROBE_ENV = "ADVENTURE_TUI_PROBE"
WATCH_POLL_S = 0.5

log = logging.getLogger(__name__)


class AdventureApp(App):
    CSS_PATH = "adventure.tcss"
    TITLE = "adventure"
    BINDINGS = [Binding("f2", "picture", "Picture")]

    def __init__(self, story=None, backend: Backend | None = None, *, save_path: str | Path | None = None,
                 load: str | None = None, images=False, remember_last: bool = True,
                 villagers: bool = False, watch: bool = False) -> None:
        super().__init__()
        if load and Path(load).expanduser().is_file():
            save_path, load = Path(load).expanduser(), None
        self.backend = backend
        self.load_name = load
        self.images = bool(images)
        # True: the bundled scene model; a SceneImages: that one (tests, --image-model); False: placeholders.
        self.scene_images = images if images not in (True, False, None) else None
        self.wants_bundled_images = images is True
        self.controller = GameController(story, backend, save_path=save_path, remember_last=remember_last,
                                         villagers=villagers)
        self.game_screen: GameScreen | None = None
        self.probe_path = os.environ.get(PROBE_ENV)
        self.model_problem = ""  # why the model did not load: said again whenever the story log starts afresh
        self.story_stamp = None  # `--watch`: a game.play.story_watch.FileStamp of the story file
        if watch:
            from game.play.story_watch import FileStamp
            from game.stories.loader import resolve_story_path

            self.story_stamp = FileStamp(resolve_story_path(None if story is None else str(story)))
        self.watch_dir: Path | None = None  # where replays on changed versions are saved
        self.probe: dict[str, float] = {}

    # --- start-up ----------------------------------------------------------------------
    async def on_mount(self) -> None:
        self.game_screen = GameScreen()
        await self.push_screen(self.game_screen)
        status = self.game_screen.query_one(StatusBar)
        status.images = "images off" if not self.images else "images: on"
        if self.wants_bundled_images and self.scene_images is None:
            from game.images.generator import BundledSceneGenerator, SceneImages

            self.scene_images = SceneImages(BundledSceneGenerator())
        if self.scene_images is not None and self.scene_images.problem:
            status.images = self.scene_images.problem
        if isinstance(self.backend, LazyBackend) and not self.backend.ready:
            status.model = f"loading {self.backend.name}…"
            self.load_model()
        else:
            status.model = self.backend.name if self.backend else "no model"
        if self.story_stamp is not None:
            self.set_interval(WATCH_POLL_S, self._poll_story)
        self.call_after_refresh(self._mark, "interactive")
        self.open_game(None)

    def _mark(self, what: str) -> None:
        if not self.probe_path:
            return
        self.probe[what] = time.time()
        if {"interactive", "opening", "model"} <= set(self.probe):
            Path(self.probe_path).write_text(json.dumps(self.probe), encoding="utf-8")
            self.exit()

    @work(thread=True, group="model")
    def load_model(self) -> None:
        backend = self.backend
        inner = backend.load()
        if inner is None:
            log.warning("the model could not be loaded (%s); the game goes on with the engine's text", backend.error)
            self.post_message(ModelFailed(backend.error))
        else:
            lora = inner.lora_path  # the Toolformer adapter, when one is loaded
            name = f"{backend.name} + {lora.parent.name}/{lora.name}" if lora else backend.name
            self.post_message(ModelReady(name, backend.load_s or 0.0))

    @work(thread=True, group="open", exclusive=True)
    def open_game(self, resume: bool | None, save_path: str | Path | None = None) -> None:
        """resume None: resume quietly if there is nothing to lose, else ask."""
        controller = self.controller
        try:
            with controller.lock:
                opening = controller.open(resume=resume is not False, save_path=save_path)
                if self.load_name:
                    name, self.load_name = self.load_name, None
                    loaded = controller.command("load", name)
                    if not loaded.events or loaded.events[0].kind != "loaded":
                        raise ValueError(loaded.facts)
                    opening, resume = loaded, True
                elif resume is None and controller.has_progress():
                    self.post_message(ResumeOffered(controller.resume_summary()))
                    return
                self._post_opened(opening, resumed=bool(resume) and controller.has_progress())
        except Exception as exc:  # story, save or file problems: say so, then back to the menu
            log.warning("the game could not be opened: %s: %s", type(exc).__name__, exc)
            self.post_message(SessionFailed(f"{type(exc).__name__}: {exc}"))

    def _post_opened(self, opening, resumed: bool) -> None:
        c = self.controller
        self.post_message(SessionOpened(opening, c.panel(), resumed, c.recent() if resumed else []))

    @work(thread=True, group="open", exclusive=True)
    def resume_opened(self) -> None:
        with self.controller.lock:
            self._post_opened(self.controller.session.opening(), resumed=True)

    # --- engine events that concern the whole app ---------------------------------------------
    def on_resume_offered(self, message: ResumeOffered) -> None:
        def answer(resume: bool | None) -> None:
            if resume is False:
                self.open_game(False)
            else:
                self.resume_opened()

        self.push_screen(ResumeScreen(message.summary), answer)

    def on_session_opened(self, message: SessionOpened) -> None:
        screen = self.game_screen
        log = screen.query_one(NarrationLog)
        log.clear_log()
        opening = message.opening
        if message.resumed:
            log.add_note(f"Resumed your game ({self.controller.resume_summary()}).", "note")
            for said, text in message.recent:
                log.add_player(said)
                log.add_narration(text, classes="narration old", markdown=False)
            log.add_narration(opening.events[-1].message if opening.events else opening.facts, markdown=False)
        else:
            log.add_narration(opening.facts, markdown=False)
        if self.model_problem:  # the log was just cleared; a load that failed before this must still be said
            log.add_error(self.model_problem)
        screen.show_state(message.panel, self.controller.vocabulary(), opening.choices)
        self._mark("opening")

    # --- `--watch`: the story file changed ---------------------------------------------------
    def _poll_story(self) -> None:
        if self.story_stamp.changed() and self.controller.session is not None:
            self.reload_story()

    @work(thread=True, group="watch", exclusive=True)
    def reload_story(self) -> None:
        from game.play.story_watch import reload, replay
        from game.stories.loader import StoryInvalid

        path, controller = self.story_stamp.path, self.controller
        try:
            story = reload(path)
        except StoryInvalid as exc:
            self.post_message(StoryReloadFailed(str(exc)))
            return
        try:
            with controller.lock:
                if self.watch_dir is None:
                    self.watch_dir = Path(tempfile.mkdtemp(prefix="adventure-watch-"))
                done = replay(story, controller.turn_log(), self.watch_dir / f"{story.id}.sqlite")
                opening = controller.adopt(story, done.save_path)
                self.post_message(StoryReloaded(done.message(path.name), opening, controller.panel(),
                                                controller.vocabulary()))
        except Exception as exc:  # a save that cannot be written: the old version plays on
            log.warning("%s: the new version could not be played: %s: %s", path, type(exc).__name__, exc)
            self.post_message(StoryReloadFailed(f"{path}: the new version could not be played ({exc})"))

    def on_story_reloaded(self, message: StoryReloaded) -> None:
        screen = self.game_screen
        screen.query_one(StatusBar).story_problem = ""
        screen.query_one(NarrationLog).add_note(message.note)
        screen.show_state(message.panel, message.vocabulary, message.opening.choices)

    def on_story_reload_failed(self, message: StoryReloadFailed) -> None:
        screen = self.game_screen
        first = message.error.splitlines()[0] if message.error else "?"
        screen.query_one(StatusBar).story_problem = os.path.basename(first.split(": ")[0])
        screen.query_one(NarrationLog).add_error(
            f"The story file has a problem; the version loaded before plays on until it is fixed:\n{message.error}")

    def on_session_failed(self, message: SessionFailed) -> None:
        self.push_screen(ErrorScreen("The game could not be opened", message.error))

    def on_model_ready(self, message: ModelReady) -> None:
        if self.game_screen is not None:
            self.game_screen.query_one(StatusBar).model = message.name
        self._mark("model")

    def on_model_failed(self, message: ModelFailed) -> None:
        self.model_problem = (f"The model could not be loaded ({message.error}). You can still play: the game "
                              "engine tells what happens, without narration.")
        if self.game_screen is not None:
            self.game_screen.query_one(StatusBar).model = "no model"
            self.game_screen.query_one(NarrationLog).add_error(self.model_problem)
        self._mark("model")

    # --- actions (keys live on the game screen; the palette lists them too) ---------------
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_picture(self) -> None:
        """F2: the scene picture, larger (widgets.scene_pane.ScenePictureScreen)."""
        from game.tui.widgets.scene_pane import ScenePane, ScenePictureScreen

        if self.game_screen is None or self.screen is not self.game_screen:
            return
        pane = self.game_screen.query_one(ScenePane)
        if pane.image_path is None or not pane.image_path.is_file():
            self.notify("There is no picture of this scene yet.", timeout=3)
            return
        self.push_screen(ScenePictureScreen(pane.location_name, pane.image_path))

    def action_save(self) -> None:
        if self.controller.session is None:
            return

        def chosen(name: str | None) -> None:
            if name:
                self.game_screen.action_command("save", name)

        self.push_screen(SaveScreen(), chosen)

    def action_load(self) -> None:
        if self.controller.session is None:
            return

        def chosen(name: str | None) -> None:
            if name:
                self.game_screen.action_command("load", name)

        self.push_screen(LoadScreen(self.controller.saves()), chosen)

    def action_new_game(self) -> None:
        self.open_game(False)

    def show_menu(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if isinstance(self.screen, ErrorScreen):
            self.pop_screen()
        self.push_screen(MenuScreen())

    def new_default_game(self) -> None:
        """From the menu: the default story, fresh."""
        self.controller = GameController(None, self.backend, remember_last=self.controller.remember_last,
                                         villagers=self.controller.villagers)
        self.pop_screen()
        self.open_game(None)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.game_screen is None:
            return
        game = self.game_screen
        yield SystemCommand("Undo", "Take back the last move (Ctrl+Z)", lambda: game.action_command("undo"))
        yield SystemCommand("Redo", "Redo the move you took back (Ctrl+Y)", lambda: game.action_command("redo"))
        yield SystemCommand("Retry", "Narrate the last turn again (Ctrl+R)", lambda: game.action_command("retry"))
        yield SystemCommand("Save", "Save the game under a name (Ctrl+S)", self.action_save)
        yield SystemCommand("Load", "Load a saved game (Ctrl+O)", self.action_load)
        yield SystemCommand("New game", "Start the story over (Ctrl+N)", self.action_new_game)
        yield SystemCommand("Help", "Keys and commands (F1)", self.action_help)
        yield SystemCommand("Scene prompt", "Show the picture prompt the engine made for this scene",
                            game.show_scene_prompt)

    def on_unmount(self) -> None:
        if self.game_screen is not None:
            self.game_screen.cancel_event.set()
        with self.controller.lock:
            self.controller.close()
