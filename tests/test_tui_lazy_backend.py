"""The terminal UI on a `LazyBackend`, as `adventure play` builds it (game.tui.cli): the screen and the opening come
before the model has loaded, turns then go through the loaded model, and a model that fails to load leaves a
game that goes on with the engine's text and says so."""
from __future__ import annotations

import logging
import threading

import pytest

from agent.scripted import ScriptedBackend
from game.tui.lazy_backend import LazyBackend
from game.tui.widgets.narration_log import NarrationEntry, NarrationLog
from game.tui.widgets.status_bar import StatusBar
from tests.tui_support import PROSE, SIZE, make_app, settle

pytestmark = [pytest.mark.timeout(120), pytest.mark.anyio]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def errors(app) -> list[str]:
    return [str(e.render()) for e in app.screen.query_one(NarrationLog).query(".error")]


async def test_the_opening_comes_before_the_model_and_turns_use_it_once_loaded(tmp_path):
    may_load = threading.Event()

    def slow_load():
        assert may_load.wait(30)
        return ScriptedBackend([PROSE])

    backend = LazyBackend(slow_load, label="SlowModel.gguf")
    app = make_app(tmp_path, backend=backend)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(200):  # not settle(): that waits for every worker, the model's load among them
            await pilot.pause(0.05)
            if app.screen.query(NarrationEntry):
                break
        assert not backend.ready
        assert app.controller.session.state.location == "village_square"  # the opening did not wait
        assert app.game_screen.query_one(StatusBar).model == "loading SlowModel.gguf…"
        may_load.set()
        await settle(pilot)
        assert backend.loaded and app.game_screen.query_one(StatusBar).model == "scripted-test-double"
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        assert app.screen.query(NarrationEntry).last().text == PROSE  # the loaded model's prose, through the wrapper


@pytest.mark.slow
async def test_a_model_that_fails_to_load_leaves_the_engine_playing_and_says_so(tmp_path, caplog):
    def broken_load():
        raise FileNotFoundError("no such model: /models/missing.gguf")

    backend = LazyBackend(broken_load, label="missing.gguf")
    app = make_app(tmp_path, backend=backend)
    with caplog.at_level(logging.WARNING):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert backend.ready and not backend.loaded
            assert app.game_screen.query_one(StatusBar).model == "no model"
            assert errors(app) == [
                "The model could not be loaded (FileNotFoundError: no such model: /models/missing.gguf). You can "
                "still play: the game engine tells what happens, without narration."]
            await pilot.press("2")
            await settle(pilot)
            assert app.controller.session.state.location == "bazaar"
            last = app.screen.query(NarrationEntry).last().text
            assert last.startswith("Bazaar")  # the engine's own account of the room
            assert errors(app)[1:] == ["The narrator could not tell this turn; here is what happened, plainly."]
    assert [r.getMessage() for r in caplog.records if r.name == "game.tui.app"] == [
        "the model could not be loaded (FileNotFoundError: no such model: /models/missing.gguf); the game goes on "
        "with the engine's text"]


@pytest.mark.model
def test_loading_a_model_leaves_the_screens_file_descriptors_alone(monkeypatch):
    """llama-cpp-python, told verbose=False, dup2()s /dev/null over fd 1 and 2 while it loads a model: the screen
    drawn meanwhile from the UI thread is lost (#18: under load, the served game's answers vanished while its model
    loaded in the background). Neither the game's model nor the scene pictures' text encoder may do that."""
    import os

    from agent.llama_backend import LlamaCppBackend
    from game.images.pipeline import DEFAULT_GGUF
    from game.images.text_encoder import SmolLMTextEncoder

    real_dup2, taken = os.dup2, []

    def dup2(fd, fd2, *args, **kwargs):
        if fd2 in (1, 2):
            taken.append(fd2)
        return real_dup2(fd, fd2, *args, **kwargs)

    monkeypatch.setattr(os, "dup2", dup2)
    LlamaCppBackend(n_ctx=512).close()
    assert SmolLMTextEncoder(DEFAULT_GGUF).encode_one("a camel at dusk").shape == (4, 576)
    assert taken == []
