"""What the bundled scene model knows how to draw, and how its captions read.

Settings, times of day and objects cover what the bundled oasis story can show.
Objects are OpenMoji sprites (CC BY-SA 4.0, https://openmoji.org), named by
their Unicode code points. A caption lists what was placed where:
"a camel and a palm tree in an oasis at dusk".

Deliberately left out: weather, counts ("three coins") and spatial relations
(left of / on top of): the model is sized for a CPU and 32×32 pixels.
"""
from __future__ import annotations

SETTINGS: dict[str, str] = {  # name -> the phrase used in captions
    "desert": "in a desert",
    "dunes": "among sand dunes",
    "oasis": "at an oasis",
    "village": "in a village square",
    "bazaar": "in a bazaar",
    "stables": "in a stable",
    "house": "in a house",
    "ruins": "among ruins",
    "temple": "in a temple hall",
    "cave": "in a dark cave",
    "terrace": "on a terrace under the sky",
}

TIMES: dict[str, str] = {"dawn": "at dawn", "day": "by day", "dusk": "at dusk", "night": "at night"}

OBJECTS: dict[str, str] = {  # name -> OpenMoji code point(s)
    "camel": "1F42A", "palm tree": "1F334", "well": "26F2", "lantern": "1FA94", "rope": "1FAA2",
    "bracelet": "1F48D", "chest": "1F9F0", "key": "1F511", "stone tablet": "1FAA8", "saddlebag": "1F45C",
    "fire": "1F525", "coins": "1FA99", "scroll": "1F4DC", "merchant": "1F9D5", "old man": "1F474",
    "girl": "1F467", "boy": "1F466", "water jar": "1F3FA", "feather": "1FAB6", "straw": "1F33E",
    "cloud": "2601", "candle": "1F56F", "signpost": "1FAA7", "altar": "26E9", "water": "1F4A7",
    "mural": "1F5BC",
}

SETTING_NAMES = list(SETTINGS)
TIME_NAMES = list(TIMES)
OBJECT_NAMES = list(OBJECTS)


def article(name: str) -> str:
    if name in ("coins", "straw", "water", "fire"):
        return name if name != "fire" else "a fire"
    return ("an " if name[0] in "aeiou" else "a ") + name


def caption(setting: str, time: str, objects: list[str]) -> str:
    """The one caption format the model is trained on."""
    things = " and ".join(article(o) for o in objects) if objects else "nothing"
    return f"{things} {SETTINGS[setting]} {TIMES[time]}"
