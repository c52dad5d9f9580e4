"""Which thing an "it" means after a clause that named several ("The elder told me to read the tablet. So I read
it."): the one the deed can be done to, by what the story says each thing is (a tablet can be read, an elder
cannot).

Story-level only (no world state): the kinds of thing each engine verb is done to. Left out: deeds done to
anything (examine, take a look): with several things named, "it" stays a question for the player.
"""
from __future__ import annotations

from game.understanding.parser import match_nouns, verb_readings
from game.world.model import Story


def _fits(story: Story, verb: str, some_id: str) -> bool:
    kind = story.kind_of(some_id)
    if verb == "talk":
        return kind == "character"
    if kind == "door":
        return verb in ("open", "close", "unlock", "lock")
    if kind != "item":
        return False
    item = story.item(some_id)
    container = item.container
    return {
        "read": item.text is not None,
        "open": container is not None and container.openable, "close": container is not None and container.openable,
        "unlock": container is not None and container.lockable, "lock": container is not None and container.lockable,
        "take": item.portable, "drop": item.portable, "sell": item.portable, "put": item.portable,
        "eat": item.edible or item.food is not None, "drink": item.drinkable,
        "light": item.light is not None, "extinguish": item.light is not None,
    }.get(verb, False)


def fitting_topic(story: Story, deed: str, topics: list[str]) -> str:
    """The one of `topics` (runs of naming words) that the deed's verb can be done to; "" when none or several."""
    if len(topics) <= 1:
        return topics[0] if topics else ""
    readings = verb_readings(deed, story)
    if not readings:
        return ""
    verb = readings[0][0].split()[0]
    everything = [*(i.id for i in story.items), *(c.id for c in story.characters), *(d.id for d in story.doors)]
    fitting = [t for t in dict.fromkeys(topics)
               if (ids := match_nouns(story, t, everything)) and all(_fits(story, verb, i) for i in ids)]
    return fitting[0] if len(fitting) == 1 else ""
