"""The checked, streaming narrator with the scripted TEST DOUBLE (agent.scripted), the narration modes
and their probe cache. The real model's end-to-end check is in tests/test_narration_model.py."""
from __future__ import annotations

import json
import logging

import pytest

from agent.scripted import ScriptedBackend
from game.narration import grounding as g
from game.narration.mode import PROBE_ACTIONS, resolve_mode
from game.narration.narrator import PLAIN_ROLE, Narrator
from game.play.session import GameSession
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.engine import Engine
from game.world.events import Action


@pytest.fixture(scope="module")
def story():
    return load_story(DEFAULT_STORY, check_walkthrough=False)


def narrate(story, backend, *actions, **kw):
    engine = Engine(story)
    for action in actions:
        outcome = engine.perform(action)
    narrator = Narrator(backend, story, state=lambda: engine.state, **kw)
    pieces: list[str] = []
    narration = narrator.narrate([], actions[-1].phrase(story), outcome.events, on_text=pieces.append)
    return narration, pieces


def test_a_bad_sentence_never_reaches_on_text(story):
    double = ScriptedBackend(["You step into a cool room with woven rugs. Nadia hands you a silver dagger. "
                              "Old maps are pinned to the walls."])
    narration, pieces = narrate(story, double, Action("go", "west"))
    shown = "".join(pieces)
    assert "Nadia" not in shown and "dagger" not in shown
    assert shown == narration.text == "You step into a cool room with woven rugs. Old maps are pinned to the walls."
    assert narration.source == "model" and narration.kept == 2 and narration.sentences == 3
    assert [(r.reason, r.detail) for r in narration.rejected] == [(g.UNKNOWN_THING, "nadia")]


def test_only_whole_checked_sentences_are_streamed(story):
    # the double streams word by word: nothing may be shown before its sentence is complete and checked
    double = ScriptedBackend(["You walk west into the Elder's House. It is cool and quiet here. The room smells of"])
    narration, pieces = narrate(story, double, Action("go", "west"), max_sentences=3)
    assert pieces == ["You walk west into the Elder's House.", " It is cool and quiet here."]
    assert narration.rejected[-1].reason == g.CUT_OFF  # the unfinished last sentence is dropped


def test_nothing_survives_engine_text_stands_and_each_rejection_is_logged(story, caplog):
    double = ScriptedBackend(["You are the narrator. The elder's house is to your north. [Calculator(3+2) -> 5]"])
    with caplog.at_level(logging.DEBUG, logger="game.narration.narrator"):
        narration, pieces = narrate(story, double, Action("go", "west"))
    assert pieces == [] and narration.source == "fallback" and narration.text.startswith("Elder's House")
    reasons = [r.reason for r in narration.rejected]
    assert reasons[0] == g.PROMPT_TEXT and len(reasons) == 3
    logged = [r.getMessage() for r in caplog.records if r.name == "game.narration.narrator"]
    assert sum(m.startswith("narration sentence rejected") for m in logged) == 3
    assert any("fell back" in m for m in logged)


def test_a_failing_model_is_logged_not_swallowed(story, caplog):
    class Broken(ScriptedBackend):
        def stream(self, prompt, options=None):
            raise RuntimeError("model crashed")
            yield  # pragma: no cover

    with caplog.at_level(logging.WARNING, logger="game.narration.narrator"):
        narration, _ = narrate(story, Broken(), Action("go", "west"))
    assert narration.source == "fallback" and "model crashed" in narration.error
    assert any("model crashed" in r.getMessage() for r in caplog.records)


class Recording(ScriptedBackend):
    """The test double, remembering the options of every stream call."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.options = []

    def stream(self, prompt, options=None):
        self.options.append(options)
        return super().stream(prompt, options)


def test_tools_are_forbidden_where_no_tool_applies(story):
    bracket = Recording().token_id("[")
    free = Recording(["You walk west."])
    narration, _ = narrate(story, free, Action("go", "west"))
    assert not narration.tools_allowed and bracket in free.options[0].banned_token_ids
    assert free.options[0].role == PLAIN_ROLE  # a role the shipped adapter does not reach
    priced = Recording(["Nadia smiles at you."])
    narration, _ = narrate(story, priced, Action("go", "north"), Action("talk", "nadia"))
    assert narration.tools_allowed and bracket not in priced.options[0].banned_token_ids
    assert priced.options[0].role == "narrator"


def test_move_words_are_banned_only_when_nobody_moved(story):
    class Vocab(Recording):  # the double with one-token words, so the narrator can name them
        def token_id(self, piece):
            return {" step": 11, " walk": 12}.get(piece)

    still = Vocab(["You look around the square."])
    narrate(story, still, Action("wait"))
    assert {11, 12} <= set(still.options[0].banned_token_ids)
    moving = Vocab(["You walk west."])
    narrate(story, moving, Action("go", "west"))
    assert not {11, 12} & set(moving.options[0].banned_token_ids)


def test_prompt_holds_only_this_turn(story):
    double = ScriptedBackend(["You walk west."])
    narrate(story, double, Action("go", "west"))
    prompt = double.calls[0][1]
    assert "Elder's House" in prompt and story.intro.split(".")[0] not in prompt
    assert "Bazaar" not in prompt.split("Facts:")[-1]


def test_session_transcript_row_carries_rejections(story, tmp_path):
    double = ScriptedBackend(["You walk west. Nadia follows you with a lantern."])
    session = GameSession.start(story, double, save_path=tmp_path / "s.sqlite", narration="model")
    row = session.submit("west").to_dict()
    assert row["narration"] == "You walk west." and row["narration_mode"] == "model"
    assert row["narration_rejected"][0]["reason"] == g.UNKNOWN_THING
    json.dumps(row)


def test_engine_mode_never_calls_the_model(story, tmp_path):
    double = ScriptedBackend(["You walk west."])
    session = GameSession.start(story, double, save_path=tmp_path / "e.sqlite", narration="engine")
    result = session.submit("west")
    assert result.narration_source == "none" and result.narration.startswith("Elder's House")
    assert not any(method == "stream" for method, _ in double.calls)
    assert session.narration_mode == "engine" and "engine" in session.narration_note


class FileBacked(ScriptedBackend):
    """The test double posing as a model file, so the probe has something to key its cache on."""

    def __init__(self, path, responses):
        super().__init__(responses)
        self.model_path = path


def test_probe_picks_the_mode_and_is_cached_per_model_file(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVENTURE_CACHE", str(tmp_path / "cache"))
    good_file, bad_file = tmp_path / "good.gguf", tmp_path / "bad.gguf"
    good_file.write_bytes(b"good")
    bad_file.write_bytes(b"bad!")
    good = FileBacked(good_file, ["You take in the scene around you."])
    mode, note = resolve_mode(good, "auto")
    assert mode == "model" and f"{len(PROBE_ACTIONS)}/{len(PROBE_ACTIONS)} kept" in note
    calls = len(good.calls)
    assert resolve_mode(good, "auto")[0] == "model" and len(good.calls) == calls  # cached: no model call
    bad = FileBacked(bad_file, ["Facts: [Calculator(1+1) -> 2]"])
    mode, note = resolve_mode(bad, "auto")
    assert mode == "engine" and "0/" in note
    assert resolve_mode(bad, "model") == ("model", "narration: model (chosen)")
    cache = json.loads((tmp_path / "cache" / "narration_probe.json").read_text())
    assert len(cache) == 2


def test_over_a_server_tool_free_turns_use_the_chat_endpoint(story):
    class ServerDouble(ScriptedBackend):  # a TEST DOUBLE that reports itself as a remote server
        template_kind = "server"

        def __init__(self, replies):
            super().__init__(replies)
            self.chats: list[list[dict]] = []

        def chat_stream(self, messages, options=None, *, prefill="", **kw):
            self.chats.append(list(messages))
            assert prefill == "You"  # the backend decides whether its server can continue it
            return super().chat_stream(messages, options, **kw)

    double = ServerDouble(["You step into a cool room with woven rugs."])
    narration, _ = narrate(story, double, Action("go", "west"))
    assert len(double.chats) == 1 and double.chats[0][-1]["role"] == "user"
    assert "woven rugs" in narration.text


def test_a_probe_that_fails_keeps_the_model_and_says_why(tmp_path, monkeypatch, caplog):
    from game.narration import mode as narration_mode

    monkeypatch.setenv("ADVENTURE_CACHE", str(tmp_path / "cache"))
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"m")

    def broken_probe(backend, threads_note=""):
        raise OSError("story file vanished")

    monkeypatch.setattr(narration_mode, "run_probe", broken_probe)
    with caplog.at_level(logging.WARNING, logger="game.narration.mode"):
        mode = resolve_mode(FileBacked(model_file, ["You look."]), "auto")
    assert mode == ("model", "narration: model (probe failed)")
    assert "narration probe failed (OSError: story file vanished)" in caplog.text
    assert not (tmp_path / "cache" / "narration_probe.json").exists()  # a failure is not cached
