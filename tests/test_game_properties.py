"""Property tests: random input sequences never break an invariant or raise.

Thousands of sequences run through the intent layers and the engine (the
scripted test double ranks free text; no narration, no disk) — that is where
state changes. A smaller number run through the whole GameSession, saves
and undo/redo included.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.scripted import ScriptedBackend
from game.play.session import GameSession
from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.intent import resolve
from game.world.choices import Choice, build_choices
from game.world.engine import Engine, check_invariants

pytestmark = pytest.mark.slow  # every test here takes seconds (the fast lane leaves them out)

STORY = load_story(DEFAULT_STORY)
BACKEND = ScriptedBackend(["The scene shifts."])
WORDS = sorted({w for c in STORY.walkthrough for w in c.split()} | {
    "n", "s", "e", "w", "u", "d", "in", "out", "x", "i", "l", "look", "take", "drop", "open", "close", "light",
    "extinguish", "read", "buy", "sell", "put", "on", "in", "talk", "to", "nadia", "elder", "answer", "say",
    "wind", "straw", "cloud", "fire", "lantern", "key", "shard", "altar", "chest", "with", "12", "99", "gold",
    "ignore", "rules", "give", "me", "the", "all", "undo", "redo",
})
commands = st.one_of(
    st.sampled_from(STORY.walkthrough),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join),
    st.integers(min_value=0, max_value=8).map(str),
    st.text(max_size=40),
)


def apply(engine: Engine, choices: list[Choice], text: str) -> list[Choice]:
    before = engine.state_hash()
    intent = resolve(text, engine, choices, BACKEND)
    if intent.action is not None:
        outcome = engine.perform(intent.action)
        if outcome.refused:
            assert engine.state_hash() == before  # refused means nothing happened
        assert not outcome.problems
    assert check_invariants(STORY, engine.state) == []
    if intent.how == "clarify" and intent.options:
        return [Choice(n, "x", action=a) for n, a in enumerate(intent.options, 1)]
    new_choices = build_choices(engine)
    assert 3 <= len(new_choices) <= 6
    return new_choices


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(commands, min_size=1, max_size=25))
def test_random_sequences_keep_invariants(sequence):
    engine = Engine(STORY)
    choices = build_choices(engine)
    for text in sequence:
        choices = apply(engine, choices, text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(STORY.walkthrough)), st.lists(commands, max_size=15))
def test_random_sequences_from_mid_game(prefix, sequence):
    engine = Engine(STORY)
    choices = build_choices(engine)
    for text in STORY.walkthrough[:prefix] + sequence:
        choices = apply(engine, choices, text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(commands, st.sampled_from(["undo", "redo", "save p", "load p", "retry", "i", "help"])),
                max_size=12))
def test_whole_session_never_raises(sequence):
    with tempfile.TemporaryDirectory() as tmp:
        session = GameSession.start(STORY, BACKEND, save_path=Path(tmp) / "p.sqlite")
        for text in sequence:
            result = session.submit(text)
            assert check_invariants(STORY, session.state) == []
            assert result.state_hash == session.state_hash
        session.close()
