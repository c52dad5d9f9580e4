"""The narrator over the OpenAI-compatible backend against a real `llama_cpp.server` on 127.0.0.1 (the default
model): tool-free turns go through the server's chat endpoint, turns with a number through its completions with
inline tools, and every sentence shown passes the grounding check, re-checked here from scratch."""
from __future__ import annotations

import pytest
from _grounded import assert_every_shown_sentence_is_backed
from _llama_server import running_server

from agent.model_files import default_model_path
from agent.openai_backend import OpenAICompatBackend
from game.narration import grounding as g
from game.narration.narrator import Narrator, tools_apply
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.engine import Engine
from game.world.events import Action

pytestmark = [pytest.mark.server, pytest.mark.model]

# (action, narrated?): the walkthrough's way to the bazaar; the sale is a turn where tools apply (a price)
TURNS = ((Action("go", "west"), True), (Action("open", "cedar_chest"), True), (Action("take", "bronze_key"), True),
         (Action("go", "east"), True), (Action("go", "south"), False), (Action("open", "saddlebag"), False),
         (Action("take", "tinderbox"), False), (Action("go", "north"), False), (Action("go", "east"), False),
         (Action("take", "silver_bracelet"), False), (Action("go", "west"), False), (Action("go", "north"), True),
         (Action("sell", "silver_bracelet"), True))


@pytest.fixture(scope="module")
def server():
    with running_server(default_model_path()) as url:
        backend = OpenAICompatBackend(url, timeout_s=120)
        yield backend
        backend.close()


class EndpointLog:
    """Which of the server's endpoints the narrator used (a wrapper around the real client calls)."""

    def __init__(self, backend: OpenAICompatBackend, monkeypatch) -> None:
        self.used: list[str] = []
        for name, resource in (("chat", backend.client.chat.completions), ("completions", backend.client.completions)):
            monkeypatch.setattr(resource, "create", self._recording(name, resource.create))

    def _recording(self, name, create):
        def call(**kwargs):
            self.used.append(name)
            return create(**kwargs)
        return call


def test_the_narrator_tells_real_turns_through_a_server(server, monkeypatch):
    endpoints = EndpointLog(server, monkeypatch)
    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    engine = Engine(story)
    narrator = Narrator(server, story, state=lambda: engine.state)
    lexicon = g.Lexicon(story)
    generated = shown = 0
    for seed, (action, narrated) in enumerate(TURNS):
        outcome = engine.perform(action)
        assert not outcome.refused, action
        if not narrated:
            continue
        pieces: list[str] = []
        before = len(endpoints.used)
        narration = narrator.narrate([], action.phrase(story), outcome.events, seed=seed, on_text=pieces.append)
        assert narration.error == "", narration.error  # the server answered every turn: no fallback for failure
        turn_endpoints = set(endpoints.used[before:])
        assert turn_endpoints == ({"completions"} if tools_apply(outcome.events) else {"chat"}), action
        generated += narration.completion_tokens
        if narration.source == "fallback":
            assert pieces == []  # every sentence was rejected: nothing was shown
            continue
        shown += 1
        assert "".join(pieces) == narration.text
        assert_every_shown_sentence_is_backed(narration, story, outcome.events, engine.state, lexicon)
    assert generated > 0 and set(endpoints.used) == {"chat", "completions"}  # both ways were taken
    assert shown >= 1  # the default model keeps some prose over a server too
