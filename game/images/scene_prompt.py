"""The scene prompt: what the engine says a picture of the current location must show.

The engine decides the content: the room, the time of day from the game clock,
whether it is dark, and the items and people the player can see right now —
nothing else. `scene_prompt(story, state)` returns both an English sentence for
the player (and for any big diffusers checkpoint) and the caption in the
bundled model's own vocabulary (`game.images.vocabulary`), which keeps only
the things that model knows how to draw.

Settings and objects are found by keywords in ids, names, aliases and room
descriptions; a thing with no keyword match is still in the English prompt,
just not in the bundled model's caption.

Deliberately left out: weather (the world model has none) and the narrator's
phrasing of the prompt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .. import queries as q
from .vocabulary import OBJECTS, caption

SETTING_WORDS = [  # checked in order against the room's id and name, then its description
    ("bazaar", ("bazaar", "market", "stall", "shop")), ("stables", ("stable", "barn", "stall")),
    ("oasis", ("oasis", "pool", "spring", "reeds")), ("house", ("house", "home", "hut", "bedroom", "kitchen")),
    ("ruins", ("ruin", "gatehouse", "rubble")), ("terrace", ("terrace", "roof", "balcony", "sky")),
    ("cave", ("cave", "stair", "tunnel", "cellar", "crypt", "vault")),
    ("temple", ("temple", "hall", "gallery", "granary", "sanctum", "shrine", "chamber")),
    ("dunes", ("dune", "sinking sand", "quicksand")), ("desert", ("desert", "path", "road", "track")),
    ("village", ("village", "square", "street", "lane")),
]
OBJECT_WORDS = {  # vocabulary object -> words that name it in a story
    "lantern": ("lantern", "lamp"), "water": ("waterskin", "water skin", "flask"), "rope": ("rope",),
    "bracelet": ("bracelet", "ring"), "chest": ("chest", "trunk", "box"), "key": ("key",),
    "stone tablet": ("tablet",), "saddlebag": ("saddlebag", "bag", "satchel"), "coins": ("coin", "gold"),
    "scroll": ("scroll", "parchment", "letter"), "mural": ("mural", "painting"), "altar": ("altar",),
    "well": ("well", "fountain"), "signpost": ("signpost", "sign", "notice board", "board"),
    "feather": ("wind",), "straw": ("straw",), "cloud": ("cloud",), "fire": ("fire", "ember", "tinderbox"),
    "camel": ("camel",), "merchant": ("merchant", "trader"), "old man": ("elder", "old man"),
    "girl": ("girl", "water carrier"), "boy": ("boy",), "candle": ("candle",), "water jar": ("jar",),
    "palm tree": ("palm",),
}
assert set(OBJECT_WORDS) <= set(OBJECTS)


def _matches(text: str, words) -> bool:
    return any(re.search(rf"\b{re.escape(w)}", text) for w in words)


def time_of_day(hour: int) -> str:
    if 5 <= hour < 8:
        return "dawn"
    if 8 <= hour < 17:
        return "day"
    if 17 <= hour < 20:
        return "dusk"
    return "night"


def setting_of(room) -> str:
    for text in (f"{room.id.replace('_', ' ')} {room.name}".lower(), room.description.lower()):
        for setting, words in SETTING_WORDS:
            if _matches(text, words):
                return setting
    return "desert"


def object_of(thing) -> str | None:
    names = [thing.id.replace("_", " "), thing.name, *getattr(thing, "aliases", [])]
    text = " ".join(names).lower()
    for obj, words in OBJECT_WORDS.items():
        if _matches(text, words):
            return obj
    return None


@dataclass(frozen=True)
class ScenePrompt:
    room_id: str
    text: str  # English, for the player and for full-size checkpoints
    caption: str  # the bundled model's vocabulary
    setting: str
    time: str
    shown: tuple[str, ...]  # names of the things in the picture, people first


def scene_prompt(story, state) -> ScenePrompt:
    room = story.room(state.location)
    time = time_of_day(state.clock(story).hour)
    if room.dark and not q.is_lit(story, state):
        return ScenePrompt(room.id, f"{room.name}: pitch darkness, nothing can be seen", caption("cave", "night", []),
                           "cave", "night", ())
    people = [c for c in story.characters if c.id in q.people_here(story, state)]
    items = [i for i in story.items if i.id in q.visible_in_room(story, state)]
    things = people + items
    setting = setting_of(room)
    drawn = [o for o in (object_of(t) for t in things) if o][:2]
    names = ", ".join(t.name for t in things)
    light = {"dawn": "early morning light", "day": "bright daylight", "dusk": "low evening light",
             "night": "night, lit by the moon" if setting not in ("house", "temple", "stables", "cave")
             else "night, lamplit"}[time]
    text = f"{room.name} ({setting}), {light}" + (f"; with {names}" if names else "; nobody and nothing of note")
    return ScenePrompt(room.id, text, caption(setting, time, drawn), setting, time, tuple(t.name for t in things))
