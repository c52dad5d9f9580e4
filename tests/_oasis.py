"""The bundled story played to a point of its walkthrough: what the understanding tests start from."""
from __future__ import annotations

from game.stories.loader import DEFAULT_STORY, load_story
from game.understanding.parser import parse
from game.world.engine import Engine

STORY = load_story(DEFAULT_STORY)
W = STORY.walkthrough


def engine_at(steps: int) -> Engine:
    """A fresh engine after the first `steps` walkthrough commands."""
    engine = Engine(STORY)
    for command in W[:steps]:
        engine.perform(parse(STORY, engine.state, command).action)
    return engine
