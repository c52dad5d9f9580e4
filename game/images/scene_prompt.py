"""The scene prompt: what the engine says a picture of the current location must show.

The engine decides the content: the room, the time of day from the game clock,
whether it is dark, and the items and people the player can see right now —
nothing else. `scene_prompt(story, state)` returns both an English sentence for
the player (and for any big diffusers checkpoint) and the caption in the
bundled model's own vocabulary (`game.images.vocabulary`), which keeps only
the things that model knows how to draw.

Settings and objects are found by keywords in ids, names, aliases and room
descriptions (TextWorld's room names — "chilly kitchen", "spare room",
"launderette" — included); a room nothing matches is a plain room, or an open
field if its description speaks of sky, grass or trees — never the desert. A
thing with no keyword match is still in the English prompt, just not in the
bundled model's caption; where a thing's names match several objects, the
longest matching word wins ("chest of drawers" is a cabinet, not a chest).
TextWorld's household things map onto the household objects: a red apple is an
apple, a fridge a cabinet, a stove or an oven the frying pan, a workbench the
tools, a toolbox the chest (its sprite is a toolbox).
`ScenePrompt.caption_for(known_settings, known_objects)` rewrites the caption
for a model trained before a setting or an object existed: a kitchen becomes a
house, and objects it does not know are left out as things no keyword matches.

Deliberately left out: weather (the world model has none) and the narrator's
phrasing of the prompt.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from game.images.vocabulary import INDOOR, OBJECTS, caption, fallback_setting
from game.world import queries as q

SETTING_WORDS = [  # checked in order against the room's id and name, then its description
    ("bazaar", ("bazaar", "market", "stall", "souk")), ("stables", ("stable", "barn", "stall")),
    ("oasis", ("oasis", "pool", "spring", "reeds")),
    ("kitchen", ("kitchen", "kitchenette", "cookhouse", "cookery", "scullery", "pantry", "canteen", "dish-pit",
                 "larder", "galley")),
    ("bathroom", ("bathroom", "washroom", "restroom", "toilet", "lavatory", "shower", "sauna", "steam room",
                  "launderette", "laundromat", "laundry", "bath")),
    ("bedroom", ("bedroom", "bedchamber", "spare room", "nursery", "dormitory", "dormitories", "guest room",
                 "sleeping")),
    ("cellar", ("cellar", "basement", "dungeon")),
    ("attic", ("attic", "loft", "garret")),
    ("corridor", ("corridor", "hallway", "passage", "landing", "lobby", "foyer", "entrance", "stairwell")),
    ("library", ("library", "archive", "reading room", "bookshop")),
    ("office", ("office", "study", "studio", "bureau")),
    ("shop", ("shop", "store", "supermarket", "grocer", "boutique", "pharmacy", "bakery", "bar", "pub", "tavern")),
    ("workshop", ("workshop", "garage", "shed", "smithy", "forge", "mill", "factory", "warehouse")),
    ("house", ("house", "home", "hut", "living", "lounge", "parlor", "parlour", "salon", "sitting room", "cottage",
               "cabin", "playroom", "recreation", "livingroom")),
    ("ruins", ("ruin", "gatehouse", "rubble")), ("terrace", ("terrace", "roof", "balcony", "sky")),
    ("cave", ("cave", "stair", "tunnel", "crypt", "vault", "mine", "grotto", "cavern")),
    ("temple", ("temple", "hall", "gallery", "granary", "sanctum", "shrine", "chamber", "chapel", "church",
                "cathedral", "throne")),
    ("garden", ("garden", "backyard", "yard", "lawn", "orchard", "park", "greenhouse", "patio")),
    ("forest", ("forest", "wood", "grove", "jungle", "thicket", "clearing")),
    ("shore", ("shore", "beach", "coast", "harbor", "harbour", "seashore", "dock", "pier", "lake", "river", "sea",
               "bay", "cliff")),
    ("dunes", ("dune", "sinking sand", "quicksand")), ("desert", ("desert", "path", "track")),
    ("street", ("street", "road", "driveway", "alley", "avenue", "bridge", "crossroads")),
    ("village", ("village", "square", "lane", "town", "plaza", "courtyard")),
    ("field", ("field", "meadow", "farm", "pasture", "hill", "countryside", "outside")),
]
DESCRIPTION_ONLY_SKIPS = {"desert": ("path", "track")}  # too common in descriptions to mean a desert
OUTDOOR_HINTS = ("sky", "sun", "grass", "tree", "outdoors", "open air", "wind", "rain", "horizon")
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
    # household things (TextWorld's kitchens, bedrooms and sheds)
    "knife": ("knife", "knives", "cleaver", "dagger", "blade"), "apple": ("apple",), "carrot": ("carrot",),
    "potato": ("potato",), "pepper": ("pepper", "chili", "chilli", "paprika", "capsicum"),
    "cheese": ("cheese",), "chicken leg": ("chicken", "drumstick", "pork", "meat", "steak", "ham", "sausage"),
    "milk": ("milk",), "book": ("book", "cookbook", "notebook", "bookshelf", "bookcase", "novel", "manual", "diary",
                                  "recipe"),
    "chair": ("chair", "armchair", "stool", "bench", "seat"), "bed": ("bed", "cot", "bunk", "mattress"),
    "sofa": ("sofa", "couch", "settee", "loveseat", "futon"), "door": ("door", "gate", "hatch"),
    "frying pan": ("stove", "oven", "cooker", "pan", "frying pan", "skillet", "pot", "bbq", "barbecue", "grill",
                   "hob"),
    "cabinet": ("fridge", "refrigerator", "freezer", "icebox", "cabinet", "cupboard", "wardrobe", "dresser",
                "drawer", "chest of drawers", "locker", "shelf", "shelves", "showcase"),
    "tools": ("tool", "toolkit", "hammer", "wrench", "spanner", "screwdriver", "saw", "workbench", "work bench"),
}
OBJECT_WORDS["chest"] += ("toolbox", "tool box")
assert set(OBJECT_WORDS) <= set(OBJECTS)


def _matches(text: str, words) -> bool:
    """A whole word, or the word with a plural or -ed/-er/-y ending: "ruin" finds "Ruined", not "inn" "inner"."""
    return any(re.search(rf"\b{re.escape(w)}(?:s|es|ed|er|y)?\b", text) for w in words)


def time_of_day(hour: int) -> str:
    if 5 <= hour < 8:
        return "dawn"
    if 8 <= hour < 17:
        return "day"
    if 17 <= hour < 20:
        return "dusk"
    return "night"


def setting_of(room) -> str:
    """The room's setting: by its id and name, then its description; else a plain room or an open field."""
    name = f"{room.id.replace('_', ' ')} {room.name}".lower()
    for setting, words in SETTING_WORDS:
        if _matches(name, words):
            return setting
    description = room.description.lower()
    for setting, words in SETTING_WORDS:
        if _matches(description, [w for w in words if w not in DESCRIPTION_ONLY_SKIPS.get(setting, ())]):
            return setting
    return "field" if _matches(description, OUTDOOR_HINTS) else "room"


def object_of(thing) -> str | None:
    """The vocabulary object a thing is drawn as: the one whose longest word its names match (the first listed on a
    tie), None if none matches."""
    names = [thing.id.replace("_", " "), thing.name, *getattr(thing, "aliases", [])]
    text = " ".join(names).lower()
    best, best_len = None, 0
    for obj, words in OBJECT_WORDS.items():
        length = max((len(w) for w in words if _matches(text, [w])), default=0)
        if length > best_len:
            best, best_len = obj, length
    return best


@dataclass(frozen=True)
class ScenePrompt:
    room_id: str
    text: str  # English, for the player and for full-size checkpoints
    caption: str  # the bundled model's vocabulary
    setting: str
    time: str
    shown: tuple[str, ...]  # names of the things in the picture, people first
    drawn: tuple[str, ...] = ()  # the vocabulary objects in the caption (at most two)
    candidates: tuple[str, ...] = ()  # every vocabulary object the things here match, in order (default: drawn)

    def objects_for(self, known_objects=None) -> list[str]:
        """The (at most two) objects a model that knows only `known_objects` is asked for (None: the whole
        vocabulary); the others are unknown to it, like things no keyword matches."""
        if known_objects is None:
            return list(self.drawn)
        return [o for o in (self.candidates or self.drawn) if o in known_objects][:2]

    def caption_for(self, known_settings, known_objects=None) -> str:
        """The caption for a model that knows only `known_settings` (the closest one stands in for others) and
        `known_objects` (None: all of them)."""
        return caption(fallback_setting(self.setting, known_settings), self.time, self.objects_for(known_objects))


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
    candidates = list(dict.fromkeys(o for o in (object_of(t) for t in things) if o))  # once each, as in training
    drawn = candidates[:2]
    names = ", ".join(t.name for t in things)
    light = {"dawn": "early morning light", "day": "bright daylight", "dusk": "low evening light",
             "night": "night, lit by the moon" if setting not in INDOOR else "night, lamplit"}[time]
    text = f"{room.name} ({setting}), {light}" + (f"; with {names}" if names else "; nobody and nothing of note")
    return ScenePrompt(room.id, text, caption(setting, time, drawn), setting, time, tuple(t.name for t in things),
                       tuple(drawn), tuple(candidates))
