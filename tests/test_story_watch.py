"""`game.play.story_watch` (reload, replay, divergence) and `adventure play --watch` in a Pilot test (test double)."""
from __future__ import annotations

import asyncio

import pytest

from agent.scripted import ScriptedBackend
from game.play.session import GameSession
from game.play.story_watch import FileStamp, reload, replay, replayed_commands
from game.stories.loader import StoryInvalid
from game.stories.scaffold import scaffold_text
from game.tui.app import AdventureApp
from game.tui.messages import StoryReloaded, StoryReloadFailed
from game.tui.widgets.narration_log import NoteLine
from game.tui.widgets.status_bar import StatusBar
from tests.tui_support import SIZE, settle


@pytest.fixture
def story_file(tmp_path):
    path = tmp_path / "quest.yaml"
    path.write_text(scaffold_text(path), encoding="utf-8")
    return path


def played(story_file, tmp_path, commands):
    session = GameSession.start(reload(story_file), None, save_path=tmp_path / "old.sqlite", narrate=False)
    session.opening()
    for command in commands:
        session.submit(command)
    turns = [result for _, result in session.store.results_after(0)]
    session.close()
    return turns


def test_file_stamp_sees_changes_and_a_missing_file(story_file):
    stamp = FileStamp(story_file)
    assert not stamp.changed()
    story_file.write_text(story_file.read_text() + "\n# more\n")
    assert stamp.changed() and not stamp.changed()
    story_file.unlink()
    assert stamp.changed() and stamp.stamp is None


def test_same_story_replays_to_the_same_result(story_file, tmp_path):
    turns = played(story_file, tmp_path, ["open chest", "take key", "retry", "look"])
    done = replay(reload(story_file), turns, tmp_path / "new.sqlite")
    assert done.difference is None and done.commands == 3  # retry is prose only: not replayed
    assert done.message("quest.yaml") == "Reloaded quest.yaml: replayed 3 commands, same result."
    resumed = GameSession.start(reload(story_file), None, save_path=done.save_path, narrate=False)
    assert str(resumed.state.items["iron_key"]) == "player" and resumed.state.location == "cottage"
    resumed.close()


def test_a_changed_story_diverges_at_the_first_changed_turn(story_file, tmp_path):
    turns = played(story_file, tmp_path, ["open chest", "take key", "take coins", "look"])
    story_file.write_text(story_file.read_text().replace("money: 3 ", "money: 12 "), encoding="utf-8")
    done = replay(reload(story_file), turns, tmp_path / "new.sqlite")
    assert (done.difference.turn, done.difference.input) == (3, "take coins")
    assert [name for name, _, _ in done.difference.fields] == ["facts", "purse"]
    assert done.message("quest.yaml").startswith(
        "Reloaded quest.yaml: replayed 4 commands; the replay diverges at turn 3 (> take coins):\n  facts:")


def test_invalid_yaml_names_file_and_line(story_file):
    story_file.write_text(story_file.read_text().replace("  - id: bog\n", "  - id: [bog\n"), encoding="utf-8")
    with pytest.raises(StoryInvalid) as caught:
        reload(story_file)
    assert str(caught.value).startswith(f"{story_file}:")
    line = str(caught.value).split(":")[1]
    assert line.isdigit() and int(line) > 40


def test_replayed_commands_skip_prose_and_files():
    turns = [{"input": i} for i in ("look", "retry", "transcript out.md", "quit", "north")]
    assert [t["input"] for t in replayed_commands(turns)] == ["look", "north"]


def recorder():
    seen = []
    return seen, lambda message: seen.append(message) if message not in seen else None


async def wait_for(pilot, seen, kind, count):
    for _ in range(100):  # the watch timer polls twice a second; the replay runs in a worker
        await asyncio.sleep(0.1)
        await pilot.app.workers.wait_for_complete()
        found = [m for m in seen if isinstance(m, kind)]
        if len(found) >= count:
            return found[count - 1]
    raise AssertionError(f"no {kind.__name__} #{count}")


@pytest.mark.timeout(120)
@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.slow
async def test_play_watch_reloads_replays_and_survives_invalid_yaml(story_file, tmp_path, anyio_backend):
    seen, hook = recorder()
    app = AdventureApp(str(story_file), ScriptedBackend(["Prose."]), save_path=tmp_path / "game.sqlite",
                       remember_last=False, watch=True)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        for command in ("open chest", "take coins"):
            await pilot.press(*command, "enter")
            await settle(pilot)
        assert app.controller.session.state.counters["coins"] == 3
        story_file.write_text(story_file.read_text().replace("money: 3 ", "money: 12 "), encoding="utf-8")
        reloaded = await wait_for(pilot, seen, StoryReloaded, 1)
        assert reloaded.note.startswith(
            "Reloaded quest.yaml: replayed 2 commands; the replay diverges at turn 2 (> take coins):")
        assert app.controller.session.state.counters["coins"] == 12  # the game goes on in the new version
        notes = [str(n.render()) for n in app.screen.query(NoteLine)]
        assert notes[-1].startswith("Reloaded quest.yaml: replayed 2 commands")

        good = story_file.read_text()
        story_file.write_text(good.replace("  - id: bog\n", "  - id: [bog\n"), encoding="utf-8")
        failed = await wait_for(pilot, seen, StoryReloadFailed, 1)
        assert failed.error.startswith(f"{story_file}:")
        problem = app.screen.query_one(StatusBar).story_problem
        assert problem.startswith("quest.yaml:") and problem.split(":")[1].isdigit()
        await pilot.press(*"take key", "enter")  # the old version plays on
        await settle(pilot)
        assert str(app.controller.session.state.items["iron_key"]) == "player"

        story_file.write_text(good, encoding="utf-8")
        reloaded = await wait_for(pilot, seen, StoryReloaded, 2)
        assert reloaded.note == "Reloaded quest.yaml: replayed 3 commands, same result."
        assert app.screen.query_one(StatusBar).story_problem == ""
