"""What one command's reading decides (`Intent`) and what earlier commands leave for later ones (`Context`).

The types of game.understanding.intent, apart so the layers and the session can name them. Left out: how a
decision is reached (game.understanding.intent).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from game.understanding.agreement import read_words
from game.understanding.cleaning import clean
from game.understanding.spelling import game_words
from game.world.engine import Engine
from game.world.events import Action, Talk


@dataclass
class Intent:
    how: str  # "meta", "choice", "parser", "ranked", "villager", "clarify" or "empty"
    action: Action | None = None
    meta: str | None = None
    talk: Talk | None = None  # "villager": what is said to whom (the village answers, not the engine)
    argument: str = ""
    message: str = ""  # a clarifying question or why nothing happens
    options: list[Action] = field(default_factory=list)  # for "clarify": offered next
    scores: list[tuple[str, float]] = field(default_factory=list)  # ranked: (phrase, probability)
    ms: float = 0.0
    layer: str = ""  # which layer settled it (module docstring); "ask" when it asked back
    command: str = ""  # the plain command it was understood as, for `again`
    typos: list[str] = field(default_factory=list)  # words the normaliser corrected (what `oops` may retype)
    also: list[Action] = field(default_factory=list)  # "take all": the further actions, carried out in turn


@dataclass
class Context:
    """What earlier commands leave for later ones: pronouns, `again`, `oops`."""
    item: str | None = None
    person: str | None = None
    last_command: str | None = None
    failed: tuple[str, str] | None = None  # (command, the word it did not know)
    came_from: str | None = None  # the room the last move left: "go back"
    last_things: tuple[str, ...] = ()  # what the last action was about: "same with X" replaces one of them

    def note(self, engine: Engine, text: str, intent: Intent) -> None:
        if intent.action is not None and intent.action.verb == "go":
            self.came_from = engine.state.location  # noted before the move is made
        if intent.action is not None:
            for some_id in (intent.action.obj, intent.action.target):
                kind = engine.story.kind_of(some_id) if some_id else None
                if kind in ("item", "door", "riddle"):
                    self.item = some_id
                elif kind == "character":
                    self.person = some_id
            self.last_command = intent.command or clean(text)
            self.last_things = tuple(i for i in (intent.action.obj, intent.action.target) if i)
            self.failed = (clean(text), intent.typos[0]) if intent.typos else None
            if intent.action.verb == "go":  # "nip over to the elder's and have a word with him"
                people = {i for _, ids in read_words(engine, text).things for i in ids
                          if engine.story.kind_of(i) == "character"}
                self.person = next(iter(people)) if len(people) == 1 else self.person
        elif intent.how in ("clarify", "parser") and intent.layer == "ask":
            unknown = [w for w in clean(text).split() if w not in _known_words(engine)]
            self.failed = (clean(text), unknown[0]) if unknown else None


def _known_words(engine: Engine) -> frozenset[str]:
    return game_words(engine.story).words
