"""Pilot tests: the play screen stays whole and true — side panel, picture box, choices, status bar.

The tmux test (tests/test_tui_tmux.py) checks the same things in a real terminal over 30 turns; these run on
the scripted test double in a second or two each.
"""
from __future__ import annotations

import re

import pytest
from rich.text import Text

from game.images.cache import ImageCache
from game.images.generator import SceneImages
from game.tui.messages import TurnFinished
from game.tui.widgets.side_panel import SidePanel
from game.tui.widgets.status_bar import StatusBar
from tests.test_images import SolidColourGenerator
from tests.test_textworld_import import GAME, write
from tests.tui_support import SIZE, make_app, settle

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240), pytest.mark.anyio]


@pytest.fixture
def anyio_backend():
    return "asyncio"


def shown_choices(app) -> list[str]:
    return [str(b.label) for b in app.screen.query(".choice")]


def session_choices(app) -> list[str]:
    return [f"{c.number} {c.label}" for c in app.controller.session.choices]


def panel_text(app, part: str) -> str:
    return str(app.screen.query_one(SidePanel).query_one(f"#panel-{part}").render())


async def test_choices_follow_undo_redo_and_load(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        opening = shown_choices(app)
        app.game_screen.action_command("save", "start")
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        bazaar = shown_choices(app)
        assert bazaar == session_choices(app) and "2 Talk to Nadia" in bazaar
        for key, wanted in (("ctrl+z", opening), ("ctrl+y", bazaar)):
            await pilot.press(key)
            await settle(pilot)
            assert shown_choices(app) == wanted
            assert shown_choices(app) == session_choices(app)
        app.game_screen.action_command("load", "start")
        await settle(pilot)
        assert shown_choices(app) == opening


async def test_panel_lists_everyone_the_room_text_names(tmp_path):
    app = make_app(tmp_path, villagers=True)
    villagers_seen = 0
    async with app.run_test(size=SIZE, message_hook=None) as pilot:
        await settle(pilot)
        story = app.controller.story
        for command in story.walkthrough[:20]:
            await pilot.press(*command, "enter")
            await settle(pilot)
            facts = app.controller.session.store.transcript()[-1]["facts"]
            named = []
            for line in facts.splitlines():
                for prefix in ("Here: ", "Also here: "):
                    if line.startswith(prefix):
                        named += [re.sub(r" \(.*\)$", "", n) for n in line[len(prefix):].rstrip(".").split(", ")]
                if line.startswith("Also here: "):
                    villagers_seen += 1
            people = panel_text(app, "people")
            for name in named:
                assert f"• {name}" in people, (command, facts, people)
    assert villagers_seen, "the walk met no villager, so the test proved nothing about them"


async def test_story_without_money_or_clock_shows_neither(tmp_path):
    from game.tui.app import AdventureApp

    app = AdventureApp(str(write(tmp_path, GAME)), None, save_path=tmp_path / "tw.sqlite")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        stats = panel_text(app, "stats")
        assert "Score" in stats and "Turn" in stats
        assert "Purse" not in stats
        assert "Time" not in stats
    oasis = make_app(tmp_path / "oasis")
    async with oasis.run_test(size=SIZE) as pilot:
        await settle(pilot)
        stats = panel_text(oasis, "stats")
        assert "Purse 6 gold" in stats and "Time  Mon 04 May, 07:00" in stats


async def test_status_bar_shows_the_narration_note(tmp_path):
    seen = []
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 36), message_hook=seen.append) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        assert any(isinstance(m, TurnFinished) for m in seen)
        note = app.controller.session.narration_note  # the session's own line, e.g. "narration: model (…)"
        assert note.startswith("narration: ")
        rendered = app.screen.query_one(StatusBar).render()
        assert isinstance(rendered, Text)
        assert note in rendered.plain


@pytest.mark.parametrize("size", [(80, 24), (70, 20)])
async def test_side_column_stays_whole_on_short_terminals(tmp_path, size):
    images = SceneImages(SolidColourGenerator(), ImageCache(tmp_path / "pictures"))
    app = make_app(tmp_path, images=images, villagers=True)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for command in app.controller.story.walkthrough[:15]:
            await pilot.press(*command, "enter")
            await settle(pilot)
            screen_rows = app.screen.size.height - 1  # above the status bar
            panel = app.screen.query_one(SidePanel)
            for part in ("location", "stats", "people"):
                region = panel.query_one(f"#panel-{part}").region
                assert region.height >= 1 and region.bottom <= screen_rows, (command, part, region)
            pane = app.screen.query_one("#scene")
            assert 8 <= pane.region.height <= 12 and pane.region.bottom <= screen_rows
            pictures = list(pane.query(".scene-image"))
            assert len(pictures) == 1
            assert pictures[0].region.height == pane.content_region.height, command
            state = app.controller.session.state
            assert app.controller.story.room(state.location).name in panel_text(app, "location")
            assert f"Turn  {state.turn}" in panel_text(app, "stats")
