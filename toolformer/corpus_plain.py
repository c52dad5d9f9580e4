"""Texts where no tool helps: narration, dialogue, and descriptions with numbers that need no arithmetic.

Numbers here are labels or plain facts (ages, room and bus numbers, dates as names, counts simply stated, page
numbers, scores) with no operation linking them, so a Calculator call cannot lower the loss of what follows and the
tuned model should learn to write them without calls. Each generator returns (template name, text); kinds are
plain_narration, plain_dialogue and plain_numbers.
Deliberately left out: any question with a computed answer (those are in corpus_problems).
"""
from __future__ import annotations

import random
from typing import Callable

from .corpus_words import ITEMS, PEOPLE, PLACES, ROLES, THINGS, cap, pick, two_people

WEATHER = ["Rain drums on the roof", "A cold wind comes off the sea", "The sun is low and orange",
           "Fog hides the end of the street", "Snow falls without a sound", "The air smells of cut grass"]
MOODS = ["quietly", "with a grin", "without looking up", "after a long pause", "in a whisper", "cheerfully"]
FEELINGS = ["tired but happy", "a little nervous", "proud of the work", "hungry", "sleepy", "curious"]


def scene(rng):
    place, (_, many) = pick(rng, PLACES), pick(rng, THINGS)
    return pick(rng, [
        f"{pick(rng, WEATHER)} as you reach {place}. Somewhere a door creaks, and a dog barks twice.",
        f"{cap(place)} is empty at this hour. A few {many} lie on the ground, and a cat watches from a wall.",
        f"You walk along {place} while {pick(rng, WEATHER).lower()}. Lanterns are being lit one by one.",
        f"Inside {place} it is warm and noisy. Someone is laughing, and the smell of soup fills the room.",
        f"{pick(rng, WEATHER)}. {pick(rng, PEOPLE)} pulls a coat tighter and hurries past {place}.",
    ])


def small_event(rng):
    a, b = two_people(rng)
    item = pick(rng, ITEMS)
    return pick(rng, [
        f"{a} found an old {item} in the attic and carried it downstairs to show {b}.",
        f"{a} and {b} spent the afternoon at {pick(rng, PLACES)}, feeling {pick(rng, FEELINGS)}.",
        f"When the bell rang, {a} packed the {item} away and waved goodbye to {b}.",
        f"{cap(pick(rng, ROLES))} opened the shutters, swept the step and put the kettle on.",
        f"{a} lost the {item} on the way home, but {b} found it the next morning by the gate.",
    ])


def dialogue(rng):
    a, b = two_people(rng)
    item = pick(rng, ITEMS)
    return pick(rng, [
        f"\"Did you bring the {item}?\" {a} asked. \"It's in my bag,\" {b} said {pick(rng, MOODS)}.",
        f"\"Are you coming to {pick(rng, PLACES)} later?\" asked {a}. \"Only if it stops raining,\" said {b}.",
        f"{a} said, \"I think we should leave early.\" {b} nodded. \"Agreed,\" {b} said {pick(rng, MOODS)}.",
        f"\"Where did you put my {item}?\" \"On the shelf by the window,\" {b} told {a}.",
        f"\"Good morning!\" {a} called. \"Morning,\" {b} answered {pick(rng, MOODS)}, \"lovely day for it.\"",
    ])


def ages(rng):
    a, b = two_people(rng)
    x, y = rng.randint(5, 80), rng.randint(5, 80)
    return pick(rng, [f"{a} is {x} and likes to paint. {b}, who is {y}, prefers to read by the fire.",
                      f"On the bench sat {a}, aged {x}, telling stories about the old days."])


def labels(rng):
    p = pick(rng, PEOPLE)
    room, bus, page = rng.randint(100, 499), rng.randint(2, 99), rng.randint(5, 400)
    return pick(rng, [
        f"{p} is staying in room {room} on the second floor, next to the lift.",
        f"The number {bus} bus stops outside {pick(rng, PLACES)} every morning.",
        f"Turn to page {page}, the teacher said, and read the poem aloud.",
        f"{p} wore the number {bus} shirt for the match on Saturday.",
        f"The letter was addressed to {p}, {room} Elm Street, and smelled faintly of pine.",
    ])


def dates_as_labels(rng):
    y, d = rng.randint(1850, 2024), rng.randint(1, 28)
    month = pick(rng, ["January", "March", "May", "July", "September", "November"])
    return pick(rng, [f"The photograph on the wall is labelled {month} {d}, {y}, in faded ink.",
                      f"A stone above the door reads {y}. Moss has grown over the last digit.",
                      f"Grandpa Lou still talks about the winter of {y}, when the river froze."])


def counts_stated(rng):
    p, (_, many) = pick(rng, PEOPLE), pick(rng, THINGS)
    n, m = rng.randint(2, 40), rng.randint(2, 12)
    return pick(rng, [
        f"There were {n} {many} on the table and a vase of flowers in the middle.",
        f"{p} keeps {n} {many} in a tin under the bed, a secret from everyone.",
        f"The village has {n} houses, one shop and a church with a crooked spire.",
        f"{m} children ran across the field, shouting and laughing, toward {pick(rng, PLACES)}.",
        f"Our team won {n} to {m} on Sunday, and the coach bought everyone lemonade.",
    ])


TEMPLATES: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "scene": ("plain_narration", scene), "small_event": ("plain_narration", small_event),
    "dialogue": ("plain_dialogue", dialogue), "ages": ("plain_numbers", ages), "labels": ("plain_numbers", labels),
    "dates_as_labels": ("plain_numbers", dates_as_labels), "counts_stated": ("plain_numbers", counts_stated)}


def make_plain(rng: random.Random) -> tuple[str, str, str]:
    """(kind, template, text)."""
    name = pick(rng, sorted(TEMPLATES))
    kind, make = TEMPLATES[name]
    return kind, name, make(rng)
