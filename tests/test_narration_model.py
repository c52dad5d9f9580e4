"""End to end with the real default model: every sentence the narrator shows passes the grounding check
(re-checked here from scratch) and the independent crude check of `adventure bench narration`."""
from __future__ import annotations

import pytest
from _grounded import assert_every_shown_sentence_is_backed

from game.benches.narration import crude_problems
from game.narration import grounding as g
from game.narration.narrator import Narrator
from game.stories.loader import DEFAULT_STORY, load_story
from game.world.actions import describe_room
from game.world.engine import Engine
from game.world.events import Action, facts_text

TURNS = (Action("go", "west"), Action("open", "cedar_chest"), Action("take", "bronze_key"), Action("go", "east"),
         Action("go", "north"))


@pytest.mark.model
def test_real_model_narration_shows_only_checked_sentences(real_backend):
    story = load_story(DEFAULT_STORY, check_walkthrough=False)
    engine = Engine(story)
    narrator = Narrator(real_backend, story, state=lambda: engine.state)
    lexicon = g.Lexicon(story)
    shown_turns = 0
    for seed, action in enumerate(TURNS):
        outcome = engine.perform(action)
        pieces: list[str] = []
        narration = narrator.narrate([], action.phrase(story), outcome.events, seed=seed, on_text=pieces.append)
        assert narration.error == "", narration.error  # the model answered: a fallback here means every sentence failed
        if narration.source == "fallback":
            assert pieces == [] and narration.text == facts_text(outcome.events)
            continue
        shown_turns += 1
        assert "".join(pieces) == narration.text
        assert_every_shown_sentence_is_backed(narration, story, outcome.events, engine.state, lexicon)
        engine_text = "\n".join((facts_text(outcome.events), describe_room(story, engine.state).message,
                                 " ".join(story.item(i).name for i in engine.state.items
                                          if str(engine.state.items[i]) == "player")))
        assert crude_problems(story, narration.text, engine_text) == [], narration.text
        assert narration.sentences == narration.kept + len(narration.rejected)
    assert shown_turns >= 1  # the default model keeps some prose (the probe's premise)
