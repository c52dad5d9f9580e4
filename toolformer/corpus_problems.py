"""Word problems of many shapes for the Calculator, each with its exact answer and worked expression.

Shapes: add / take away / left / remaining, how many more / fewer, each / per / in all, sharing, comparisons
(longer, taller, times as many), area and perimeter, rates (speed, wages, unit price, filling), money with change,
time spans (clock times, days and hours, years between), fractions and percentages, two- and three-step problems.
Any problem may carry a distractor sentence with a number the answer does not use. Each template is assembled in
one of three orders: facts then question, question then facts, or facts then a statement that gives the answer;
people, things and verbs vary.

The answer is computed by the generator with exact fractions (never by evaluating a string); `expr` is the worked
expression in the Calculator's syntax, kept so tests can check the answer independently. Written from problem
*shapes* only: no item of a public benchmark was used. Deliberately left out: units conversion beyond minutes/hours
/days, negative answers, answers that need rounding to be sensible.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from fractions import Fraction as F
from typing import Callable

from . import corpus_steps as steps
from .corpus_words import (
    CONTAINERS,
    CURRENCIES,
    DISTRACTORS,
    GAIN_VERBS,
    ITEMS,
    LOSS_VERBS,
    PLACES,
    ROLES,
    THINGS,
    Parts,
    cap,
    fmt,
    pick,
    two_people,
)


@dataclass(frozen=True)
class Problem:
    text: str
    answer: str
    answer_at: int  # offset of " <answer>" in text: the eval prompt is text[:answer_at]
    shape: str
    template: str
    expr: str
    distractors: tuple[str, ...] = ()  # sentences whose number the answer does not use


CUES = ["The answer is", "The answer is", "The answer is", "Answer:", "So the answer is", "That comes to"]


def _assemble(rng: random.Random, parts: Parts, shape: str, template: str, distractor: bool) -> Problem:
    facts = list(parts.facts)
    extra: tuple[str, ...] = ()
    if distractor:
        sentence = cap(pick(rng, DISTRACTORS).format(p=pick(rng, ROLES + ["Sam"]), n=rng.randint(3, 88)))
        facts.insert(rng.randint(1, len(facts)), sentence)
        extra = (sentence,)
    answer = fmt(parts.value)
    order = rng.randrange(3)
    if order == 0:
        head = f"{' '.join(facts)} {parts.question} {pick(rng, CUES)}"
        tail = "."
    elif order == 1:
        head = f"{parts.question} {' '.join(facts)} {pick(rng, CUES)}"
        tail = "."
    else:
        head = f"{' '.join(facts)} {parts.say[0]}"
        tail = parts.say[1]
    return Problem(f"{head} {answer}{tail}", answer, len(head), shape, template, parts.expr, extra)


# ------------------------------------------------------------------ one-step shapes
def add_more(rng):
    p, (_, many) = pick(rng, ["Ana", "Kofi", "Greta", "Yusuf", "Aunt Hedda", "Mateo"]), pick(rng, THINGS)
    a, b = rng.randint(8, 95), rng.randint(5, 60)
    now, past = pick(rng, GAIN_VERBS)
    return Parts([f"{p} has {a} {many}.", f"Later {p} {now} {b} more."],
                 f"How many {many} does {p} have now?", (f"Now {p} has", f" {many}."), F(a + b), f"{a}+{b}")


def in_all(rng):
    a, b = rng.randint(12, 140), rng.randint(9, 120)
    place = pick(rng, PLACES)
    kind = pick(rng, [("red", "yellow", "tulips"), ("grey", "white", "geese"), ("big", "small", "boats"),
                      ("oak", "birch", "trees"), ("striped", "plain", "umbrellas")])
    return Parts([f"At {place} there are {a} {kind[0]} {kind[2]} and {b} {kind[1]} {kind[2]}."],
                 f"How many {kind[2]} are there in all?", ("Altogether there are", f" {kind[2]}."), F(a + b),
                 f"{a}+{b}")


def take_left(rng):
    p, (_, many) = pick(rng, ["Ben", "Leila", "Oskar", "Mrs. Okafor", "Tariq", "Rosa"]), pick(rng, THINGS)
    a = rng.randint(20, 150)
    b = rng.randint(4, a - 3)
    now, past = pick(rng, LOSS_VERBS)
    q = pick(rng, [f"How many {many} are left?", f"How many {many} remain?", f"How many {many} does {p} still have?"])
    return Parts([f"{p} had {a} {many}.", f"{p} {past} {b} of them."], q,
                 (f"That leaves {p} with", f" {many}."), F(a - b), f"{a}-{b}")


def needs_more(rng):
    p, (_, many) = pick(rng, ["Zoe", "Hiro", "Dara", "Grandpa Lou", "Sven"]), pick(rng, THINGS)
    goal = rng.randint(30, 200)
    have = rng.randint(5, goal - 4)
    return Parts([f"{p} wants to have {goal} {many}.", f"So far {p} has {have}."],
                 f"How many more {many} does {p} need?", (f"{p} still needs", f" more {many}."), F(goal - have),
                 f"{goal}-{have}")


def compare_more(rng):
    a_name, b_name = two_people(rng)
    _, many = pick(rng, THINGS)
    a = rng.randint(25, 180)
    b = rng.randint(4, a - 3)
    if rng.random() < 0.5:
        return Parts([f"{a_name} has {a} {many} and {b_name} has {b} {many}."],
                     f"How many more {many} does {a_name} have than {b_name}?",
                     (f"{a_name} has", f" more {many} than {b_name}."), F(a - b), f"{a}-{b}")
    return Parts([f"{b_name} collected {b} {many}.", f"{a_name} collected {a} {many}."],
                 f"How many fewer {many} did {b_name} collect than {a_name}?",
                 (f"{b_name} collected", f" fewer {many}."), F(a - b), f"{a}-{b}")


def longer_than_wide(rng):
    thing = pick(rng, ["garden", "rug", "table", "pool", "field", "hallway", "sheet of paper", "parking lot"])
    unit = pick(rng, ["metres", "feet", "inches", "yards"])
    w = rng.randint(6, 60)
    length = w + rng.randint(2, 45)
    return Parts([f"The {thing} measures {length} {unit} from end to end and {w} {unit} across."],
                 f"By how many {unit} does the length of the {thing} exceed its width?",
                 (f"The {thing} is longer than it is wide by", f" {unit}."), F(length - w), f"{length}-{w}")


def taller(rng):
    a_name, b_name = two_people(rng)
    b = rng.randint(95, 170)
    a = b + rng.randint(2, 30)
    return Parts([f"{a_name} is {a} centimetres tall.", f"{b_name} is {b} centimetres tall."],
                 f"How much taller is {a_name} than {b_name}?",
                 (f"{a_name} is taller by", " centimetres."), F(a - b), f"{a}-{b}")


def times_as_many(rng):
    a_name, b_name = two_people(rng)
    _, many = pick(rng, THINGS)
    b, k = rng.randint(3, 40), rng.randint(2, 9)
    return Parts([f"{b_name} has {b} {many}.", f"{a_name} has {k} times as many {many} as {b_name}."],
                 f"How many {many} does {a_name} have?", (f"{a_name} has", f" {many}."), F(b * k), f"{b}*{k}")


def each_in_all(rng):
    box, boxes = pick(rng, CONTAINERS)
    _, many = pick(rng, THINGS)
    n, k = rng.randint(3, 25), rng.randint(4, 36)
    facts = pick(rng, [[f"There are {n} {boxes}.", f"Each {box} holds {k} {many}."],
                       [f"Every {box} has {k} {many} in it, and there are {n} {boxes}."]])
    return Parts(facts, f"What is the total number of {many}?", ("In all there are", f" {many}."), F(n * k),
                 f"{n}*{k}")


def rows_of(rng):
    rows, per = rng.randint(4, 30), rng.randint(5, 24)
    what = pick(rng, ["chairs", "vines", "cabbages", "seats", "lockers", "solar panels"])
    return Parts([f"The hall has {rows} rows with {per} {what} in each row."],
                 f"How many {what} are there altogether?", ("So there are", f" {what}."), F(rows * per),
                 f"{rows}*{per}")


def share_each(rng):
    p = pick(rng, ROLES + ["Nadia", "Kofi"])
    _, many = pick(rng, THINGS)
    n, each = rng.randint(2, 12), rng.randint(3, 30)
    total = n * each
    return Parts([f"{cap(p)} splits {total} {many} equally among {n} children."],
                 f"How many {many} does each child get?", ("Each child gets", f" {many}."), F(each),
                 f"{total}/{n}")


def groups_of(rng):
    _, many = pick(rng, THINGS)
    box, boxes = pick(rng, CONTAINERS)
    per, n = rng.randint(3, 15), rng.randint(3, 30)
    total = per * n
    return Parts([f"There are {total} {many}.", f"They are packed {per} to a {box}."],
                 f"How many {boxes} are filled?", ("That fills", f" {boxes}."), F(n), f"{total}/{per}")


# ------------------------------------------------------------------ rates
def speed(rng):
    who = pick(rng, ["A cyclist", "A train", "A ferry", "A runner", "A delivery van", "A horse cart"])
    v, t = rng.randint(4, 90), rng.randint(2, 9)
    unit = pick(rng, ["kilometres", "miles"])
    return Parts([f"{who} travels {v} {unit} per hour.", f"It keeps going for {t} hours."],
                 f"How many {unit} does it cover?", ("It covers", f" {unit}."), F(v * t), f"{v}*{t}")


def wages(rng):
    p = pick(rng, ["Ines", "Farid", "Pia", "Quinn", "Mr. Alvarez"])
    cur = pick(rng, CURRENCIES)[1]
    w, h = rng.randint(8, 40), rng.randint(3, 45)
    job = pick(rng, ["at the bakery", "painting fences", "in the orchard", "at the library desk", "walking dogs"])
    return Parts([f"{p} earns {w} {cur} an hour {job}.", f"This week {p} worked {h} hours."],
                 f"How much did {p} earn this week?", (f"{p} earned", f" {cur}."), F(w * h), f"{w}*{h}")


def unit_price(rng):
    item = pick(rng, ITEMS)
    cur = pick(rng, CURRENCIES)[1]
    q, each = rng.randint(2, 12), rng.randint(3, 45)
    total = q * each
    return Parts([f"{q} of the same {item} cost {total} {cur} together."], f"What does one {item} cost?",
                 ("One costs", f" {cur}."), F(each), f"{total}/{q}")


def fill_time(rng):
    rate, minutes = rng.randint(3, 25), rng.randint(4, 30)
    size = rate * minutes
    what = pick(rng, ["tank", "barrel", "paddling pool", "water trough", "cistern"])
    return Parts([f"A hose pours {rate} litres a minute into an empty {what}.", f"The {what} holds {size} litres."],
                 f"How long, in minutes, until the {what} is full?", ("It takes", " minutes."), F(minutes),
                 f"{size}/{rate}")


TEMPLATES: dict[str, tuple[str, Callable[[random.Random], Parts]]] = {
    f.__name__: (shape, f) for shape, f in [
        ("add", add_more), ("add", in_all), ("left", take_left), ("more_needed", needs_more),
        ("compare", compare_more), ("compare", longer_than_wide), ("compare", taller), ("times", times_as_many),
        ("each", each_in_all), ("each", rows_of), ("share", share_each), ("share", groups_of),
        ("rate", speed), ("rate", wages), ("rate", unit_price), ("rate", fill_time),
        ("change", steps.change), ("change", steps.change_many), ("two_step", steps.spend_left),
        ("time", steps.clock_span), ("time", steps.days_hours), ("time", steps.years_between),
        ("time", steps.practice_hours),
        ("fraction", steps.fraction_of), ("percent", steps.percent_of), ("percent", steps.discount),
        ("two_step", steps.gain_then_lose), ("two_step", steps.used_and_more), ("two_step", steps.boxes_plus_loose),
        ("two_step", steps.pool_and_share), ("two_step", steps.shopping_two), ("three_step", steps.shopping_change),
        ("two_step", steps.more_than_other), ("geometry", steps.perimeter), ("three_step", steps.three_step_weekly)]}


def make_problem(rng: random.Random, template: str | None = None, distractor_rate: float = 0.3) -> Problem:
    """One problem from `template` (a name in TEMPLATES) or a random one."""
    name = template or pick(rng, sorted(TEMPLATES))
    shape, make = TEMPLATES[name]
    parts = make(rng)
    return _assemble(rng, parts, shape, name, rng.random() < distractor_rate)
