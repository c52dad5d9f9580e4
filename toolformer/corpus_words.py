"""Word lists and small helpers shared by the varied corpus generators (corpus_problems, corpus_plain, corpus_dates,
corpus_lore): people, things, containers, places, and exact number formatting.

Numbers are formatted the way the Calculator tool prints them (integers without decimals, otherwise at most two
places, rounded half up), so a call's result and the text's answer are the same string.
Deliberately left out: pronouns (names are repeated instead, so no template has to agree in gender).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PEOPLE = ["Ana", "Ben", "Chidi", "Dara", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonah", "Kofi", "Leila", "Mateo",
          "Nadia", "Oskar", "Pia", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wanda", "Xiu", "Yusuf", "Zoe",
          "Mr. Alvarez", "Mrs. Okafor", "Aunt Hedda", "Grandpa Lou"]
ROLES = ["the baker", "a farmer", "the librarian", "our neighbour", "the coach", "a fisherman", "the nurse",
         "the potter", "a shepherd", "the gardener", "the shop owner", "a beekeeper"]
# (singular, plural) of things that are counted one by one
THINGS = [("apple", "apples"), ("pencil", "pencils"), ("stamp", "stamps"), ("shell", "shells"), ("egg", "eggs"),
          ("button", "buttons"), ("card", "cards"), ("cookie", "cookies"), ("ticket", "tickets"),
          ("brick", "bricks"), ("lemon", "lemons"), ("bead", "beads"), ("postcard", "postcards"),
          ("tomato", "tomatoes"), ("pebble", "pebbles"), ("puzzle piece", "puzzle pieces"), ("candle", "candles"),
          ("seashell", "seashells"), ("pine cone", "pine cones"), ("paper crane", "paper cranes"),
          ("bottle cap", "bottle caps"), ("plum", "plums"), ("sock", "socks"), ("spoon", "spoons")]
CONTAINERS = [("box", "boxes"), ("bag", "bags"), ("basket", "baskets"), ("crate", "crates"), ("jar", "jars"),
              ("tray", "trays"), ("tin", "tins"), ("bucket", "buckets"), ("pack", "packs")]
# (price word, currency plural) for money problems
CURRENCIES = [("dollar", "dollars"), ("euro", "euros"), ("coin", "coins"), ("pound", "pounds")]
ITEMS = ["notebook", "kite", "scarf", "lamp", "teapot", "hat", "umbrella", "backpack", "watering can", "clock",
         "pair of gloves", "jigsaw", "flashlight", "mug", "chess set"]
PLACES = ["the harbour", "the old mill", "the school yard", "the market square", "the orchard", "the train station",
          "the museum", "the riverbank", "the bakery", "the library", "the hill farm", "the lighthouse"]
GAIN_VERBS = [("gets", "got"), ("finds", "found"), ("buys", "bought"), ("collects", "collected"),
              ("is given", "was given"), ("picks up", "picked up")]
LOSS_VERBS = [("gives away", "gave away"), ("loses", "lost"), ("uses", "used"), ("sells", "sold"),
              ("drops", "dropped"), ("trades away", "traded away")]
# sentences with a number nothing asks about: the problem must be solved without it
DISTRACTORS = ["{p} is {n} years old.", "It was {n} degrees outside that day.", "The shop is at number {n}.",
               "{p}'s house has {n} windows.", "The bus ride took {n} minutes.", "{p} lives on floor {n}.",
               "The clock showed {n} minutes past ten.", "{p} has a cousin who is {n}."]


def pick(rng: random.Random, seq):
    return seq[rng.randrange(len(seq))]


def two_people(rng: random.Random) -> tuple[str, str]:
    a = pick(rng, PEOPLE)
    b = pick(rng, [p for p in PEOPLE if p != a])
    return a, b


def an(word: str) -> str:
    """'an umbrella', 'a kite'."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def fmt(value: Fraction | int) -> str:
    """Exact value -> the Calculator's text: integers plain, else rounded half up to 2 places, zeros stripped."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    dec = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{dec:f}".rstrip("0").rstrip(".")


def money(value: Fraction | int) -> str:
    """A price as written in a text: whole amounts plain, others with two decimals (4.50)."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


@dataclass
class Parts:
    """A problem before it is put into words in some order: its facts, question, statement and exact answer."""
    facts: list[str]
    question: str
    say: tuple[str, str]  # statement form: (words before the answer, words after it)
    value: Fraction
    expr: str  # the worked expression in the Calculator's syntax
