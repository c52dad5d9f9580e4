"""Pilot tests of the terminal UI on the scripted test double: engine state and posted messages."""
from __future__ import annotations

import pytest

from game.tui.messages import NarrationPiece, SessionOpened, TurnFinished, TurnStarted
from game.tui.screens.saves import LoadScreen, SaveScreen
from game.tui.widgets.command_input import CommandInput
from game.tui.widgets.narration_log import NarrationEntry, NarrationLog, PlayerLine
from game.tui.widgets.side_panel import SidePanel
from tests.tui_support import PROSE, SIZE, GatedBackend, make_app, settle

pytestmark = [pytest.mark.timeout(120), pytest.mark.anyio]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def recorder():
    """Messages as posted (the hook sees a message at every pump it reaches: keep it once)."""
    seen, ids = [], set()

    def hook(message):
        if id(message) not in ids:
            ids.add(id(message))
            seen.append(message)

    return seen, hook


def of(seen, kind):
    return [m for m in seen if isinstance(m, kind)]


async def test_new_game_shows_opening_and_choices(tmp_path):
    seen, hook = recorder()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        opened = of(seen, SessionOpened)
        assert len(opened) == 1 and not opened[0].resumed
        assert app.controller.session.state.location == "village_square"
        log_text = " ".join(e.text for e in app.screen.query(NarrationEntry))
        assert "Village Square" in log_text
        buttons = [str(b.label) for b in app.screen.query(".choice")]
        assert buttons[0].startswith("1 ") and len(buttons) == len(app.controller.session.choices)
        assert "Village Square" in str(app.screen.query_one("#panel-location").render())


async def test_pick_choice_by_key(tmp_path):
    seen, hook = recorder()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        label = app.controller.session.choices[1].label
        assert label == "Go north"
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        assert [m.label for m in of(seen, TurnStarted)] == ["2. Go north"]
        done = of(seen, TurnFinished)
        assert done[-1].result.how == "choice" and done[-1].result.narration_source == "model"
        assert "".join(m.text for m in of(seen, NarrationPiece)).strip() == PROSE
        assert done[-1].panel.location == "Bazaar"


@pytest.mark.slow
async def test_pick_choice_by_click(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert await pilot.click(".choice-3")
        await settle(pilot)
        assert app.controller.session.state.location == "oasis_pool"


@pytest.mark.slow
async def test_free_text_history_and_player_line(tmp_path):
    seen, hook = recorder()
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        await pilot.press(*"go east", "enter")
        await settle(pilot)
        assert app.controller.session.state.location == "oasis_pool"
        assert of(seen, TurnFinished)[-1].result.how == "parser"
        assert [str(p.render()) for p in app.screen.query(PlayerLine)] == ["> go east"]
        box = app.screen.query_one(CommandInput)
        await pilot.press("up")
        assert box.value == "go east"


@pytest.mark.slow
async def test_tab_completes_present_nouns(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"read noti", "tab")
        assert app.screen.query_one(CommandInput).value == "read notice board"


@pytest.mark.slow
async def test_multiline_paste_becomes_one_command(tmp_path):
    from textual import events

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one(CommandInput)
        box.post_message(events.Paste("go\nnorth\n"))
        await pilot.pause()
        assert box.value == "go north"


@pytest.mark.slow
async def test_undo_restores_state(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start_hash = app.controller.session.state_hash
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.controller.session.state_hash == start_hash
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"


@pytest.mark.slow
async def test_save_and_load(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        await pilot.press("ctrl+u", *"square", "enter")
        await settle(pilot)
        assert app.controller.session.save_names() == ["square"]
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, LoadScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.controller.session.state.location == "village_square"
        assert "Village Square" in str(app.screen.query_one(SidePanel).query_one("#panel-location").render())


@pytest.mark.slow
async def test_escape_cuts_narration_but_keeps_the_move(tmp_path):
    seen, hook = recorder()
    backend = GatedBackend([PROSE])
    app = make_app(tmp_path, backend=backend)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        await pilot.press("2")
        while not of(seen, NarrationPiece):  # the first word has streamed; the model is now held
            await pilot.pause()
        await pilot.press("escape")
        backend.gate.set()
        await settle(pilot)
        result = of(seen, TurnFinished)[-1].result
        assert result.narration_source == "cut"
        assert app.controller.session.state.location == "bazaar"
        entries = list(app.screen.query(NarrationEntry))
        assert entries[-1].cut and len(of(seen, NarrationPiece)) < len(PROSE.split())


@pytest.mark.slow
async def test_model_failure_mid_turn_shows_error_and_game_goes_on(tmp_path):
    from agent.scripted import ScriptedBackend

    def broken(prompt, options):
        raise RuntimeError("the model fell over")

    app = make_app(tmp_path, backend=ScriptedBackend(responder=broken))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert app.controller.session.state.location == "bazaar"
        errors = [str(e.render()) for e in app.screen.query_one(NarrationLog).query(".error")]
        assert errors and "could not tell" in errors[-1]
        await pilot.press(*"go south", "enter")  # the game still plays
        await settle(pilot)
        assert app.controller.session.state.turn == 2


@pytest.mark.slow
async def test_resume_is_offered_not_forced(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
    seen, hook = recorder()
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        from game.tui.screens.dialogs import ResumeScreen

        assert isinstance(again.screen, ResumeScreen)
        await pilot.press("enter")  # "Resume" has focus
        await settle(pilot)
        assert of(seen, SessionOpened)[-1].resumed
        assert again.controller.session.state.location == "bazaar"


async def test_bad_story_shows_error_then_menu(tmp_path):
    from game.tui.app import AdventureApp
    from game.tui.screens.dialogs import ErrorScreen, MenuScreen

    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    app = AdventureApp(str(bad), None, save_path=tmp_path / "x.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ErrorScreen)
        assert "broken.yaml" in str(app.screen.query_one("#error-message").render())
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


async def test_too_small_terminal_says_so(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(50, 15)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("too-small")
        assert app.screen.query_one("#too-small").display
        assert not app.screen.query_one("#body").display
