"""Ways and things named by what the story's text says is there.

Ways: "go to the broken columns" where this room reads "To the east, broken columns rise from
the sand", "go where the camels are" next to a room that reads "Camels doze in the shade".

A way counts when every word the player used (less "room", "place", articles) is in
  - a sentence (or, where a sentence names several ways, a clause) of this room's
    description that names exactly one of its exits' directions, or
  - the description of the room an exit leads to,
and exactly one exit is found so. Room and door names are matched before this (the parser);
this is its last resort, so it only ever turns "You can't see a way like that" into a move, and
never when a direction was said ("go west now": a room's text that says "west" must not lead south).

Things: "the lad with straw in his hair" is the one person here whose description has straw and
hair ("A stable boy with straw in his hair"): at least two words, one of them a name of the thing
or a word for any person ("lad", "lady") or thing ("piece"), every other one in its description.
One word alone never counts ("take the sand" is not the coins "half-buried in the sand").

Things by where they are: "the thing inside the saddlebag", "the stuff on the table" is the one thing
in or on what the rest of the words name.

Things by their kind: "a shard" names what the cloud shard is, "a cloud" only what kind of shard it is, so the
parser asks before "grab a cloud" takes the cloud shard (`names_its_kind`).

Left out: synonyms of description words ("sand hills" for dunes) and descriptions that change
with the state of the world (the base text is read).
"""
from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.lexicon import DIRECTION_WORDS
from game.understanding.spelling import per_story
from game.world import queries as q
from game.world.answers import singular
from game.world.model import Story
from game.world.place import Place
from game.world.state import WorldState

GENERIC = frozenset({"room", "place", "area", "bit", "part", "spot", "side", "one", "thing", "things", "bits",
                     "where", "there", "is", "are", "big", "little", "him", "her", "them", "they", "its", "that",
                     "this", "those", "these", "what", "which", "who", "you", "the", "and", "with", "from"})
_SENTENCES = re.compile(r"[.;!?]+")


def _words(text: str) -> frozenset[str]:
    """The words of a text, singular, with the nouns its "-ed" adjectives are made of ("white-bearded": beard)."""
    words = [singular(w) for w in clean(text).split()]
    return frozenset(words + [w[:-2] for w in words if w.endswith("ed") and len(w) > 5])


def _thing_names(story: Story) -> list[frozenset[str]]:
    return [frozenset(singular(w) for name in [t.name, *t.aliases] for w in clean(name).split())
            for t in [*story.items, *story.doors, *story.characters]]


def _descriptions(story: Story) -> dict[str, frozenset[str]]:
    """Every thing's and room's description as words, once per story (a riddle has none)."""
    things = [*story.items, *story.doors, *story.characters, *story.riddles, *story.rooms]
    return {t.id: _words(getattr(t, "description", "")) for t in things}


PERSON_HEADS = frozenset({"man", "woman", "lady", "girl", "boy", "lad", "lass", "guy", "bloke", "chap", "fellow",
                          "fella", "gent", "gentleman", "kid", "person", "dude", "someone", "one", "child"})
THING_HEADS = frozenset({"thing", "one", "object", "piece", "item", "stuff", "fragment", "chunk"})
_QUALIFIERS = frozenset({"with", "who", "that", "holding", "carrying", "wearing", "on", "in", "at", "of", "by", "from",
                         "near", "under", "whose"})
_NOT_CONTENT = GENERIC | ARTICLES | _QUALIFIERS | frozenset({"his", "her", "all", "has", "have", "got", "its", "carry",
                                                              "carries", "hold", "holds", "wear", "wears"})
_LISTS = frozenset({"and", "or", "then", "also"})


def described_thing(story: Story, phrase: str, ids: list[str], vocabulary) -> list[str]:
    """The one id among `ids` that `phrase` describes (see above); [] when none or several.
    The head is the last word before the first "with", "in", "of"...: "the big green door", "the lad with
    straw in his hair", never "it with the sun key"; a list ("the coins and the sand") is no description.
    `vocabulary(story, id)` gives the words that name a thing (the parser's)."""
    words = clean(phrase).split()
    cut = next((i for i, w in enumerate(words) if w in _QUALIFIERS), len(words))
    head = singular(words[cut - 1]) if cut else ""
    said = [singular(w) for w in words if w not in _NOT_CONTENT and len(w) >= 3]
    if len(said) < 2 or set(words) & _LISTS or head not in said:
        return []
    hits = []
    descriptions = per_story(story, "descriptions", _descriptions)
    for some_id in ids:
        names = {singular(w) for w in vocabulary(story, some_id)[0]}
        heads = names | (PERSON_HEADS if story.kind_of(some_id) == "character" else THING_HEADS)
        described = descriptions[some_id] | names
        if head in heads and all(w in described or w in heads for w in said):
            hits.append(some_id)
    return hits if len(hits) == 1 else []


def described_way(story: Story, state: WorldState, words: list[str]) -> str | None:
    """The one exit direction whose description holds all of `words`; None when none or several, and
    when a word names a thing of the game: "go get the apple" is about the apple, wherever the text puts it."""
    wanted = {singular(w) for w in words if w not in ARTICLES and w not in GENERIC}
    if not wanted or any(len(w) < 3 or not w.isalpha() for w in wanted):  # "it", "n2": no description word
        return None
    if any(w in DIRECTION_WORDS for w in words):  # "go west now" is west or nothing, wherever a text says "west"
        return None
    if any(wanted <= names for names in per_story(story, "thing_names", _thing_names)):
        return None  # "the round hall" is a way; "the apple" is a thing
    exits = q.exits_here(story, state)
    directions = {e.direction for e in exits}
    found: set[str] = set()
    for sentence in _SENTENCES.split(story.room(state.location).description):
        for part in [sentence, *sentence.split(",")]:
            said = _words(part)
            named = said & directions
            if len(named) == 1 and wanted <= said:
                found |= named
                break
    descriptions = per_story(story, "descriptions", _descriptions)
    for ex in exits:
        if wanted <= descriptions[ex.to]:
            found.add(ex.direction)
    return found.pop() if len(found) == 1 else None


_WITHIN = {"in": "in", "inside": "in", "within": "in", "on": "on", "upon": "on", "atop": "on"}
CONTENT_HEADS = frozenset({"thing", "things", "one", "object", "item", "stuff", "something", "content", "contents",
                           "what", "whats", "whatever", "lies", "sits"})


def contained_thing(story: Story, state: WorldState, phrase: str, ids: list[str], match) -> list[str]:
    """'the thing inside the saddlebag' -> the one id among `ids` in (or on) the one thing the words after
    "inside" name (`match(story, words, ids)`, the parser's); [] when not so said, or not one thing."""
    words = [w for w in clean(phrase).split() if w not in ARTICLES]
    cut = next((i for i, w in enumerate(words) if w in _WITHIN), None)
    if cut is None or cut == 0 or not set(words[:cut]) <= CONTENT_HEADS | GENERIC or not words[cut + 1:]:
        return []
    holders = match(story, " ".join(words[cut + 1:]), ids)
    if len(holders) != 1:
        return []
    kinds = ("in", "on") if words[cut] == "in" else (_WITHIN[words[cut]],)
    inside = [i for kind in kinds for i, place in state.items.items() if place == Place(kind, holders[0]) and i in ids]
    return inside if len(inside) == 1 else []


def names_its_kind(story: Story, some_id: str, words: list[str]) -> bool:
    """The words name what the thing is (its name's last word, or an alias's): "a shard", "a lamp"; "a cloud"
    names only what kind of shard the cloud shard is."""
    kind = story.kind_of(some_id)
    if kind not in ("item", "door"):
        return True
    thing = story.item(some_id) if kind == "item" else story.door(some_id)
    heads = {singular(clean(n).split()[-1]) for n in [thing.name, *thing.aliases] if clean(n)}
    return any(singular(w) in heads for w in words)


def near_a_name(word: str, named: frozenset[str]) -> bool:
    """A word a typo or two from a word that names a thing ("kife": knife): a name mistyped, not noise."""
    if len(word) < 4:  # "bad" is one letter from "bag", and says nothing about it
        return False
    return process.extractOne(word, named, scorer=OSA.distance, score_cutoff=2 if len(word) >= 6 else 1) is not None
