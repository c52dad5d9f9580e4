"""LoreSearch texts: facts of the world's (invented) lore, stated, asked and told in many ways.

`lore_facts` gives every lore entry as structured facts: the 8 old place entries of `corpus.build_lore` (built by,
year, the thing kept there) plus keepers, rivers, festivals and creatures written here, so a model cannot know
them without looking them up. `lore_entries` is what LoreSearch searches (title, text); `make_lore_text` writes a
text whose continuation is one fact of one entry, right after the words that name the entry.
Deliberately left out: facts that need two entries at once (LoreSearch returns one entry).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from .corpus_words import cap, pick

KEEPERS = ["Orla", "Benedek", "Soraya", "Tiberius", "Maelis", "Ivo", "Cassia", "Ruan"]
POSTS = ["lamplighter", "bridge warden", "archivist", "bell ringer", "well keeper", "ferry master"]
RIVERS = ["the Silt", "the Amaranth", "the Korrin", "the Vey", "the Low Tamber"]
HILLS = ["the Grey Fells", "the Oboe Hills", "Mount Serrat", "the Dunmere Heights", "the Teeth"]
SEAS = ["the Glass Lake", "the Salt Sea", "the Marrow Bay", "the Still Mere", "the Northern Sound"]
FESTIVALS = ["the Lantern Feast", "the Feast of Sparrows", "the Salt Moon", "the Rope Dance", "the Quiet Night"]
MONTHS = ["March", "April", "June", "August", "October", "December"]
CREATURES = ["the dune wyrm", "the ash heron", "the glass fox", "the mire hound", "the salt moth"]
FOODS = ["copper beetles", "river reeds", "moonflowers", "old rope", "thistle seeds"]


@dataclass(frozen=True)
class LoreText:
    text: str
    answer: str
    answer_at: int
    template: str
    title: str  # the lore entry the text is about


def lore_facts(place_entries: list[tuple[str, str]], seed: int = 11) -> list[dict]:
    """Every entry as {title, text, kind, ...facts}; the place entries are parsed from their text."""
    facts = []
    for title, text in place_entries:
        m = re.search(r"^(.+) was built by (\w+) of ([\w ]+) in the year (\d+); the ([\w ]+) is kept there", text)
        if m:
            facts.append({"title": title, "text": text, "kind": "place", "name": m.group(1), "builder": m.group(2),
                          "town": m.group(3), "year": m.group(4), "thing": m.group(5)})
    rng = random.Random(seed)
    towns = ["Sandmere", "Qarth Vale", "Old Harran", "Ember Ford", "Saltmarch", "Duskhollow", "Mirewick", "Azra"]
    for who, post in zip(KEEPERS, POSTS + POSTS):
        town = pick(rng, towns)
        facts.append({"title": who, "kind": "keeper", "name": who, "post": post, "town": town,
                      "text": f"{who} is the {post} of {town}."})
    for river, hill, sea in zip(RIVERS, HILLS, SEAS):
        facts.append({"title": river.replace("the ", "").title(), "kind": "river", "name": river, "source": hill,
                      "mouth": sea, "text": f"{cap(river)} rises in {hill} and flows into {sea}."})
    for fest in FESTIVALS:
        town, month = pick(rng, towns), pick(rng, MONTHS)
        facts.append({"title": fest.replace("the ", "").title(), "kind": "festival", "name": fest, "town": town,
                      "month": month, "text": f"{cap(fest)} is held in {town} every {month}."})
    for creature, food in zip(CREATURES, FOODS):
        facts.append({"title": creature.replace("the ", "").title(), "kind": "creature", "name": creature,
                      "food": food, "text": f"{cap(creature)} feeds on {food}."})
    return facts


def lore_entries(facts: list[dict]) -> list[tuple[str, str]]:
    return [(f["title"], f["text"]) for f in facts]


def _place(rng, f):
    name = f["name"]
    return pick(rng, [
        ("builder", f"The guide points ahead. \"{name} was built by", f["builder"], ", long ago,\" she says."),
        ("builder_q", f"Who built {name.lower()}? It was built by", f["builder"], "."),
        ("year", f"Scholars agree that {name.lower()} was raised in the year", f["year"], " by a master builder."),
        ("year_q", f"When was {name.lower()} built? In the year", f["year"], "."),
        ("thing", f"Pilgrims come to {name.lower()} because it holds the", f["thing"], "."),
        ("town", f"The builder of {name.lower()} came from", f["town"], ", far to the east."),
    ])


def _keeper(rng, f):
    who = f["name"]
    return pick(rng, [
        ("post", f"Everyone in town knows {who}, the", f["post"], " who hums while working."),
        ("post_q", f"What does {who} do? {who} is the", f["post"], f" of {f['town']}."),
        ("town", f"\"I'm looking for {who},\" said the stranger. \"Then go to", f["town"], ",\" came the answer."),
    ])


def _river(rng, f):
    name = f["name"]
    return pick(rng, [
        ("source", f"The boatmen say that {name} rises in", f["source"], ", where snow lies all year."),
        ("mouth", f"Follow {name} far enough and you reach", f["mouth"], "."),
        ("mouth_q", f"Where does {name} flow? Into", f["mouth"], "."),
    ])


def _festival(rng, f):
    name = f["name"]
    return pick(rng, [
        ("month", f"{cap(name)} comes round every", f["month"], ", and the streets fill with music."),
        ("town", f"To see {name}, travellers head to", f["town"], " each year."),
        ("month_q", f"When is {name} held? Every", f["month"], "."),
    ])


def _creature(rng, f):
    name = f["name"]
    return pick(rng, [
        ("food", f"The hunter whispers that {name} feeds on", f["food"], " and little else."),
        ("food_q", f"What does {name} eat? It eats", f["food"], "."),
    ])


_MAKERS = {"place": _place, "keeper": _keeper, "river": _river, "festival": _festival, "creature": _creature}


def make_lore_text(rng: random.Random, facts: list[dict]) -> LoreText:
    f = pick(rng, facts)
    slot, head, answer, tail = _MAKERS[f["kind"]](rng, f)
    return LoreText(f"{head} {answer}{tail}", answer, len(head), f"{f['kind']}.{slot}", f["title"])
