"""The story's village inside the game (game.play.village): presence, talk from memory, clock, save file, TUI.

The session runs without a model here (backend None: the village's logged rule fallbacks answer from
the best-matching memory), so these tests are exact and fast; the real model is exercised by the
`model`-marked end-to-end test at the bottom.
"""
from __future__ import annotations

import sqlite3

import pytest

from game.play.session import GameSession
from game.understanding.addressing import talk_request

pytestmark = pytest.mark.timeout(300)


def _session(tmp_path, **kwargs):
    return GameSession.start(None, None, save_path=tmp_path / "g.sqlite", villagers=True, **kwargs)


def _pass_time(session, turns: int) -> None:
    for _ in range(turns):
        session.submit("wait")
    session.advance_village()


def test_talk_requests_are_recognised():
    assert talk_request("talk to Hassan") == ("Hassan", "")
    assert talk_request("ask Nadia about the caravan") == ("Nadia", "the caravan")
    assert talk_request("Hassan, where are the ruins?") == ("Hassan", "where are the ruins?")
    assert talk_request("take the lantern") is None


def test_village_lives_in_the_save_file_and_follows_the_game_clock(tmp_path):
    session = _session(tmp_path)
    session.opening()
    village = session.village.village
    start = village.clock
    _pass_time(session, 6)  # 6 turns x 5 game minutes = two quarter hours
    assert village.clock == start + 30 == village.start + session.state.minutes
    tables = {row[0] for row in sqlite3.connect(tmp_path / "g.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "timeline", "village_meta", "village_memories"} <= tables
    session.close()
    again = _session(tmp_path)
    assert again.village.village.clock == start + 30  # resumed, not re-populated
    assert again.state.minutes == 30
    again.close()


def test_villagers_appear_where_their_day_takes_them_and_answer_from_memory(tmp_path):
    session = _session(tmp_path)
    session.opening()
    _pass_time(session, 10)  # 07:50: Hassan is at the stables with his camels until 09:00
    village = session.village.village
    assert village.states["hassan"].place == "stables"
    result = session.submit("s")
    assert result.location == "stables"
    assert "Also here:" in result.facts and "Hassan" in result.facts
    labels = [c.label for c in session.choices]
    assert "Talk to Hassan" in labels
    planted = village.perceive("hassan", "The ruins lie three hours east, past the sinking sands.", rate_now=True)
    answer = session.submit("Hassan, where are the ruins?")
    assert answer.how == "villager" and "three hours east" in answer.facts
    # Both sides remember: the villager keeps the exchange, the transcript keeps it for the player.
    chats = [r for r in village.states["hassan"].stream.records if r.kind == "chat"]
    assert chats and "where are the ruins" in chats[-1].text and planted.id < chats[-1].id
    assert "three hours east" in session.transcript_markdown()
    number = labels.index("Talk to Hassan") + 1
    assert session.submit(str(number)).how == "villager"
    session.close()


def test_villagers_witness_the_player_and_know_nothing_they_did_not_see(tmp_path):
    session = _session(tmp_path)
    session.opening()
    session.submit("n")  # the bazaar: Nadia is there, Layla is not
    session.submit("buy waterskin")
    _pass_time(session, 3)  # witnessed deeds are stored (and rated) with the next quarter-hour step
    village = session.village.village
    seen = " ".join(r.text for r in village.states["nadia"].stream.records)
    assert "I saw the traveller here" in seen and "waterskin" in seen
    elsewhere = " ".join(r.text for r in village.states["layla"].stream.records)
    assert "waterskin" not in elsewhere
    session.close()


def test_a_plain_talk_to_a_story_character_keeps_the_authored_greeting(tmp_path):
    session = _session(tmp_path)
    session.opening()
    session.submit("n")
    greeting = session.submit("talk to Nadia")
    assert greeting.how != "villager" and "Welcome, traveller" in greeting.facts
    asked = session.submit("ask Nadia about the prices")
    assert asked.how == "villager" and asked.facts.startswith("Nadia:")
    session.close()


def test_a_broken_village_script_is_reported_and_the_game_goes_on(tmp_path, monkeypatch):
    import game.play.village as gv

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nid: x\nstory: oasis\nplaces: []\nvillagers: [{id: 1}]\n")
    monkeypatch.setattr(gv, "bundled_village_for", lambda story_id: bad)
    session = _session(tmp_path)
    opening = session.opening()
    assert session.village is None and "bad.yaml" in opening.facts and "villagers stay away" in opening.facts
    assert session.submit("n").location == "bazaar"
    session.close()


@pytest.mark.model
def test_villagers_with_the_real_model_in_adventure_run(tmp_path):
    import json

    from game.cli import main

    commands = tmp_path / "c.txt"
    commands.write_text("n\nask Nadia about the lantern\ns\n")
    out = tmp_path / "run.jsonl"
    assert main(["run", "--commands", str(commands), "--villagers", "--no-narration", "--jsonl", str(out),
                 "--threads", "1", "--no-lora"]) == 0
    turns = [json.loads(line) for line in out.read_text().splitlines()]
    assert turns[1]["how"] == "villager" and turns[1]["facts"].startswith("Nadia:")
    assert len(turns[1]["facts"]) > len("Nadia: “”")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.slow
async def test_tui_advances_the_village_in_a_worker(tmp_path, anyio_backend):
    from tests.tui_support import SIZE, make_app, settle

    app = make_app(tmp_path, villagers=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        village = app.controller.session.village.village
        start = village.clock
        for key in ("2", "1", "2"):  # north, back south, north: three turns, fifteen game minutes
            await pilot.press(key)
            await settle(pilot)
        assert village.clock == start + 15 == village.start + app.controller.session.state.minutes


def test_a_village_step_waits_for_the_turn_at_most_two_seconds_per_turn(tmp_path):
    import threading
    import time

    from agent.villagers.script import load_village
    from game.play.village import GameVillage, bundled_village_for

    village = GameVillage(load_village(bundled_village_for("oasis")), None, tmp_path / "save.sqlite")
    village.TURN_WAIT_S = 0.3
    village.turn_started()
    started = time.monotonic()
    worker = threading.Thread(target=village.advance_to, args=(30,))
    worker.start()
    worker.join(timeout=5)
    waited = time.monotonic() - started
    assert not worker.is_alive() and village.village.clock == village.village.start + 30
    assert 0.3 <= waited < 1.5  # waited for the turn once (not at every yield point), then went on
    village.turn_ended()
    village.turn_started()
    village.turn_ended()
    started = time.monotonic()
    village.advance_to(60)  # no turn in play: no waiting
    assert time.monotonic() - started < 0.3
    village.close()
