"""What the bundled scene model knows how to draw, and how its captions read.

Settings, times of day and objects cover what the bundled oasis story can show,
plus the indoor and outdoor places common in interactive fiction (kitchens,
bedrooms, cellars, corridors, gardens, shores, …) so imported TextWorld games
get fitting pictures. `LEGACY_SETTINGS` are the eleven the first bundled model
was trained on; a model records the settings it knows in its training.json and
`fallback_setting` names the closest one it knows for any other.
Objects are OpenMoji sprites (CC BY-SA 4.0, https://openmoji.org), named by
their Unicode code points. A caption lists what was placed where:
"a camel and a palm tree in an oasis at dusk".

The first 26 objects (`LEGACY_OBJECTS`) are the bundled story's, all the shipped
model knows; `HOUSEHOLD_OBJECTS` came after, so imported TextWorld games (apples,
knives, fridges, beds) show something. A model records the objects it knows in
its training.json (none recorded: the legacy ones) and a scene's other things
are unknown to it. A scene with no object at all is captioned "nothing in a
kitchen at dusk"; `NOTHING` is the judge's name for it.

Deliberately left out: weather, counts ("three coins") and spatial relations
(left of / on top of): the model is sized for a CPU and small pictures.
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
    # Common interactive-fiction places (backgrounds in backgrounds_places.py).
    "kitchen": "in a kitchen",
    "bedroom": "in a bedroom",
    "bathroom": "in a bathroom",
    "cellar": "in a cellar",
    "attic": "in an attic",
    "corridor": "in a corridor",
    "office": "in an office",
    "library": "in a library",
    "shop": "in a shop",
    "workshop": "in a workshop",
    "room": "in a plain room",
    "garden": "in a garden",
    "forest": "in a forest",
    "shore": "on a shore",
    "street": "in a street",
    "field": "in an open field",
}
LEGACY_SETTINGS = ["desert", "dunes", "oasis", "village", "bazaar", "stables", "house", "ruins", "temple", "cave",
                   "terrace"]
FALLBACK = {  # a newer setting -> the closest legacy one, for models trained before it existed
    "kitchen": "house", "bedroom": "house", "bathroom": "house", "cellar": "cave", "attic": "stables",
    "corridor": "temple", "office": "house", "library": "temple", "shop": "bazaar", "workshop": "stables",
    "room": "house", "garden": "oasis", "forest": "oasis", "shore": "oasis", "street": "village", "field": "oasis",
}

TIMES: dict[str, str] = {"dawn": "at dawn", "day": "by day", "dusk": "at dusk", "night": "at night"}

OBJECTS: dict[str, str] = {  # name -> OpenMoji code point(s)
    "camel": "1F42A", "palm tree": "1F334", "well": "26F2", "lantern": "1FA94", "rope": "1FAA2",
    "bracelet": "1F48D", "chest": "1F9F0", "key": "1F511", "stone tablet": "1FAA8", "saddlebag": "1F45C",
    "fire": "1F525", "coins": "1FA99", "scroll": "1F4DC", "merchant": "1F9D5", "old man": "1F474",
    "girl": "1F467", "boy": "1F466", "water jar": "1F3FA", "feather": "1FAB6", "straw": "1F33E",
    "cloud": "2601", "candle": "1F56F", "signpost": "1FAA7", "altar": "26E9", "water": "1F4A7",
    "mural": "1F5BC",
    # Household things (for imported TextWorld games); scene_prompt maps fridges onto the cabinet, stoves onto
    # the frying pan, workbenches onto the tools.
    "knife": "1F52A", "apple": "1F34E", "carrot": "1F955", "potato": "1F954", "pepper": "1FAD1",
    "cheese": "1F9C0", "chicken leg": "1F357", "milk": "1F95B", "book": "1F4D5", "chair": "1FA91",
    "bed": "1F6CF", "sofa": "1F6CB", "door": "1F6AA", "frying pan": "1F373", "cabinet": "1F5C4",
    "tools": "1F6E0",
}

SETTING_NAMES = list(SETTINGS)
INDOOR = {"stables", "house", "temple", "cave", "kitchen", "bedroom", "bathroom", "cellar", "attic", "corridor",
          "office", "library", "shop", "workshop", "room"}
assert SETTING_NAMES[:len(LEGACY_SETTINGS)] == LEGACY_SETTINGS and set(FALLBACK) == set(SETTINGS) - set(LEGACY_SETTINGS)
TIME_NAMES = list(TIMES)
OBJECT_NAMES = list(OBJECTS)
LEGACY_OBJECTS = OBJECT_NAMES[:26]  # what the shipped model (and any model that records no objects) knows
HOUSEHOLD_OBJECTS = OBJECT_NAMES[26:]
assert LEGACY_OBJECTS[0] == "camel" and LEGACY_OBJECTS[-1] == "mural" and HOUSEHOLD_OBJECTS[0] == "knife"
NOTHING = "nothing"  # an empty scene's main object, for the judge
MASS_NOUNS = ("coins", "straw", "water", "milk", "cheese", "tools")  # no article


def article(name: str) -> str:
    if name == "fire":
        return "a fire"
    if name in MASS_NOUNS:
        return name
    return ("an " if name[0] in "aeiou" else "a ") + name


def fallback_setting(setting: str, known) -> str:
    """`setting` if the model knows it, else the closest setting it does know."""
    return setting if setting in known else FALLBACK.get(setting, "house")


def caption(setting: str, time: str, objects: list[str]) -> str:
    """The one caption format the model is trained on ("nothing in a kitchen at dusk" for an empty scene)."""
    things = " and ".join(article(o) for o in objects) if objects else NOTHING
    return f"{things} {SETTINGS[setting]} {TIMES[time]}"
