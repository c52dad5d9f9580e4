"""The 3–6 numbered options offered each turn, computed from the state.

The engine decides the options (every one is a currently valid action, or a
meta command once the story has ended); labels are plain English. Variety is
by category quotas: the open riddle, key puzzle steps (unlock, light), things
to take or place, trade, people, then exits, which keep two slots reserved so
the player can always move on.

Deliberately left out: model-written labels (the model may rephrase in its
narration; it never decides what is on offer) and per-player preferences.
"""
from __future__ import annotations

from dataclasses import dataclass

from game.world import queries as q
from game.world.engine import Engine
from game.world.events import Action, Talk
from game.world.wording import capitalise_first

MAX_CHOICES = 6
MIN_CHOICES = 3
EXIT_SLOTS = 2
# category -> how many of its actions may appear
QUOTAS = (("riddle", 1), ("prepare", 1), ("unlock", 1), ("light", 1), ("put", 1), ("take", 2), ("open", 1),
          ("cook", 1), ("cut", 1), ("eat", 1), ("buy", 1), ("sell", 1), ("talk", 1), ("read", 1))


@dataclass(frozen=True)
class Choice:
    number: int
    label: str
    action: Action | None = None  # an engine action...
    meta: str | None = None  # ...or a meta command ("undo", "quit")...
    talk: Talk | None = None  # ...or talking to a villager (game.play.village offers these)

    def to_dict(self) -> dict:
        out = {"number": self.number, "label": self.label}
        if self.action:
            out["action"] = self.action.to_dict()
        if self.meta:
            out["meta"] = self.meta
        if self.talk:
            out["talk"] = {"villager": self.talk.villager}
        return out


def label_for(engine: Engine, action: Action) -> str:
    story, state = engine.story, engine.state
    if action.verb == "go":
        exit_ = next(e for e in q.exits_here(story, state) if e.direction == action.obj)
        known = exit_.to in state.visited
        return f"Go {action.obj}" + (f" to the {story.room(exit_.to).name}" if known else "")
    if action.verb == "examine" and story.kind_of(action.obj) == "riddle":
        return f"Read the riddle on {story.riddle(action.obj).name}"
    if action.verb == "buy":
        cost = q.price(story, action.target, action.obj) if action.target else None
        return f"Buy the {story.item(action.obj).name}" + (f" ({cost} {story.currency})" if cost else "")
    return capitalise_first(action.phrase(story))


def _category(engine: Engine, action: Action) -> str | None:
    story = engine.story
    if action.verb == "examine" and story.kind_of(action.obj) == "riddle":
        return "riddle" if action.obj not in engine.state.solved else None
    if action.verb == "put":
        target = story.item(action.target)
        return "put" if not target.portable else None  # placing on altars, not shuffling bags
    if action.verb == "read" and not story.item(action.obj).portable:
        return "read"
    if action.verb in ("unlock", "light", "take", "open", "buy", "sell", "talk", "go", "prepare", "cook", "cut",
                       "eat"):
        return action.verb
    return None


def build_choices(engine: Engine) -> list[Choice]:
    if engine.state.outcome != "playing":
        metas = [("Undo the last move", "undo"), ("Show the transcript", "transcript"), ("Quit", "quit")]
        return [Choice(n, label, meta=meta) for n, (label, meta) in enumerate(metas, 1)]
    by_category: dict[str, list[Action]] = {}
    for action in engine.valid_actions():
        category = _category(engine, action)
        if category:
            by_category.setdefault(category, []).append(action)
    exits = by_category.get("go", [])
    picked: list[Action] = []
    room_for_others = MAX_CHOICES - min(EXIT_SLOTS, len(exits))
    for category, quota in QUOTAS:
        for action in by_category.get(category, [])[:quota]:
            if len(picked) < room_for_others:
                picked.append(action)
    picked += exits[: MAX_CHOICES - len(picked)]
    for filler in (Action("look"), Action("inventory"), Action("wait")):
        if len(picked) >= MIN_CHOICES:
            break
        picked.append(filler)
    return [Choice(n, label_for(engine, a), action=a) for n, a in enumerate(picked, 1)]
