"""Every broad `except` of the terminal UI (game.tui.app, game.tui.screens.game), shown: the failure is logged with
its reason, the player is told in one line, and the game goes on from the committed state."""
from __future__ import annotations

import logging

import pytest

from game.images.cache import ImageCache
from game.images.generator import ImageGenerator, SceneImages
from game.tui.widgets.narration_log import NarrationLog
from game.tui.widgets.status_bar import StatusBar
from tests.tui_support import SIZE, make_app, settle

pytestmark = [pytest.mark.timeout(120), pytest.mark.anyio]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def errors(app) -> list[str]:
    return [str(e.render()) for e in app.screen.query_one(NarrationLog).query(".error")]


def logged(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno >= logging.WARNING]


def broken(what: str):
    def fail(*args, **kwargs):
        raise RuntimeError(f"{what} is broken")

    return fail


@pytest.mark.slow
async def test_a_turn_that_raises_is_reported_and_the_game_goes_on(tmp_path, caplog, monkeypatch):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        controller = app.controller
        monkeypatch.setattr(controller, "turn", broken("the turn"))
        monkeypatch.setattr(controller, "panel", broken("the panel"))  # the report must not need it
        await pilot.press("2")
        await settle(pilot)
        assert errors(app)[-1] == "Something went wrong this turn (RuntimeError: the turn is broken). The game goes on."
        assert logged(caplog, "game.tui.screens.game") == [
            "turn '2' failed; the game goes on from the committed state",
            "the side panel could not be refreshed: RuntimeError: the panel is broken"]
        monkeypatch.undo()
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"


async def test_a_command_that_raises_is_reported(tmp_path, caplog, monkeypatch):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.controller, "command", broken("saving"))
        app.game_screen.run_command("save", "first")
        await settle(pilot)
        assert errors(app)[-1] == ("Something went wrong this turn (save failed: RuntimeError: saving is broken). "
                                   "The game goes on.")
        assert logged(caplog, "game.tui.screens.game") == [
            "command save failed; the game goes on from the committed state"]


@pytest.mark.slow
async def test_a_village_that_cannot_move_on_is_one_line(tmp_path, caplog, monkeypatch):
    app = make_app(tmp_path, villagers=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        session = app.controller.session
        assert session.village is not None  # the bundled story has its village
        monkeypatch.setattr(session, "advance_village", broken("the village"))
        await pilot.press("2")
        await settle(pilot)
        assert errors(app)[-1] == "The village could not move on (RuntimeError: the village is broken)."
        assert logged(caplog, "game.tui.screens.game") == ["the village could not move on"]
        assert session.state.location == "bazaar"


class FailingGenerator(ImageGenerator):
    model_id = "failing-test-double"

    def prompt_for(self, scene):
        return scene.caption

    def generate(self, prompt, seed):
        raise MemoryError("no memory left for pictures")


async def test_a_picture_that_cannot_be_drawn_leaves_the_placeholder(tmp_path, caplog):
    app = make_app(tmp_path, images=SceneImages(FailingGenerator(), ImageCache(tmp_path / "pictures")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.game_screen.query_one(StatusBar).images == "no picture: no memory left for pictures"
        (line,) = logged(caplog, "game.tui.screens.game")
        assert line.startswith("no picture for ") and line.endswith(": MemoryError: no memory left for pictures")
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"


async def test_a_scene_prompt_that_fails_costs_the_picture_not_the_turn(tmp_path, caplog, monkeypatch):
    app = make_app(tmp_path, images=SceneImages(FailingGenerator(), ImageCache(tmp_path / "pictures")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.controller, "scene", broken("the scene prompt"))
        caplog.clear()
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        assert app.game_screen.query_one(StatusBar).images == "no picture: RuntimeError: the scene prompt is broken"
        assert logged(caplog, "game.tui.screens.game") == ["no scene prompt for this turn"]


async def test_a_story_that_cannot_open_is_logged_and_shown(tmp_path, caplog):
    from game.tui.app import AdventureApp
    from game.tui.screens.dialogs import ErrorScreen

    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    app = AdventureApp(str(bad), None, save_path=tmp_path / "x.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        (line,) = logged(caplog, "game.tui.app")
        assert line.startswith("the game could not be opened: StoryInvalid: ") and "broken.yaml" in line


@pytest.mark.slow
async def test_a_reloaded_story_that_cannot_be_played_leaves_the_old_one_playing(tmp_path, caplog, monkeypatch):
    from agent.scripted import ScriptedBackend
    from game.play import story_watch
    from game.stories.scaffold import scaffold_text
    from game.tui.app import AdventureApp

    story_file = tmp_path / "quest.yaml"
    story_file.write_text(scaffold_text(story_file), encoding="utf-8")
    app = AdventureApp(str(story_file), ScriptedBackend(["Prose."]), save_path=tmp_path / "game.sqlite",
                       remember_last=False, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(story_watch, "replay", broken("the replay's save"))
        app.reload_story()
        await settle(pilot)
        assert errors(app)[-1].startswith("The story file has a problem; the version loaded before plays on")
        assert logged(caplog, "game.tui.app") == [
            f"{story_file}: the new version could not be played: RuntimeError: the replay's save is broken"]
        await pilot.press(*"open chest", "enter")
        await settle(pilot)
        assert app.controller.session.state.turn == 1
