"""Word problems in more than one step, and money, time, fraction and percentage problems (Calculator).

The second half of the problem templates (toolformer/corpus_problems.py holds the one-step shapes, the
assembly into texts and the template table): money with change, time spans (clock times, days and hours, years
between), fractions and percentages, area and perimeter, two- and three-step problems. Each returns `Parts`
with the exact answer (fractions, never a string evaluated) and the worked expression.
Deliberately left out: answers that are negative or need rounding to make sense.
"""
from __future__ import annotations

from fractions import Fraction as F

from .corpus_words import (
    CONTAINERS,
    CURRENCIES,
    GAIN_VERBS,
    ITEMS,
    LOSS_VERBS,
    THINGS,
    Parts,
    an,
    cap,
    money,
    pick,
    two_people,
)


# ------------------------------------------------------------------ money with change
def change(rng):
    p, item = pick(rng, ["Uma", "Jonah", "Xiu", "Viktor", "Wanda"]), pick(rng, ITEMS)
    cur = pick(rng, CURRENCIES)[1]
    price = F(rng.randint(6, 190), pick(rng, [1, 1, 2, 4]))
    bill = pick(rng, [b for b in (10, 20, 50, 100, 200) if b > price])
    pays = f"{p} pays with {bill} coins." if cur == "coins" else f"{p} pays with a {bill}-{cur[:-1]} note."
    return Parts([f"{p} buys {an(item)} for {money(price)} {cur}.", pays],
                 f"How much change does {p} get back?", (f"{p} gets back", f" {cur} in change."), bill - price,
                 f"{bill}-{money(price)}")


def change_many(rng):
    p, item = pick(rng, ["Elif", "Ben", "Rosa", "Hiro"]), pick(rng, ITEMS)
    cur = pick(rng, CURRENCIES)[1]
    q, price = rng.randint(2, 6), rng.randint(2, 15)
    bill = pick(rng, [b for b in (20, 50, 100) if b > q * price])
    return Parts([f"{p} buys {q} of the same {item} at {price} {cur} each and gives the cashier {bill} {cur}."],
                 "What change is due?", ("The change is", f" {cur}."), F(bill - q * price),
                 f"{bill}-{q}*{price}")


def spend_left(rng):
    p = pick(rng, ["Dara", "Oskar", "Leila", "Grandpa Lou"])
    cur = pick(rng, CURRENCIES)[1]
    m = rng.randint(40, 300)
    a = rng.randint(5, m // 2)
    b = rng.randint(3, m - a - 2)
    i1, i2 = rng.sample(ITEMS, 2)
    return Parts([f"{p} has {m} {cur}.", f"{p} spends {a} {cur} on {an(i1)} and {b} {cur} on {an(i2)}."],
                 f"How much money does {p} have left?", (f"{p} has", f" {cur} left."), F(m - a - b),
                 f"{m}-{a}-{b}")


# ------------------------------------------------------------------ time spans
def clock_span(rng):
    h1, m1 = rng.randint(7, 14), rng.choice([0, 5, 10, 15, 20, 30, 40, 45])
    mins = rng.randint(20, 200)
    end = h1 * 60 + m1 + mins
    h2, m2 = divmod(end, 60)
    what = pick(rng, ["The match", "The concert", "The school trip", "The bake sale", "The rehearsal"])
    return Parts([f"{what} started at {h1}:{m1:02d} and ended at {h2}:{m2:02d} the same day."],
                 "How many minutes did it last?", ("It lasted", " minutes."), F(mins),
                 f"({h2}*60+{m2})-({h1}*60+{m1})")


def days_hours(rng):
    d, h = rng.randint(1, 6), rng.randint(1, 23)
    what = pick(rng, ["The voyage", "The storm", "The hike", "The power cut", "The festival"])
    return Parts([f"{what} lasted {d} days and {h} hours."], "How many hours is that in total?",
                 ("That is", " hours in total."), F(d * 24 + h), f"{d}*24+{h}")


def years_between(rng):
    y1 = rng.randint(1650, 1990)
    y2 = y1 + rng.randint(3, 180)
    what = pick(rng, ["bridge", "town hall", "windmill", "chapel", "school", "lighthouse"])
    return Parts([f"The {what} was built in {y1}.", f"It was rebuilt in {y2}."],
                 "How many years passed between the two dates?", ("Between them", " years passed."), F(y2 - y1),
                 f"{y2}-{y1}")


def practice_hours(rng):
    p = pick(rng, ["Quinn", "Nadia", "Tariq", "Zoe"])
    a, b = 15 * rng.randint(1, 8), 15 * rng.randint(1, 8)
    c = 60 * rng.randint(1, 4) - (a + b) % 60
    return Parts([f"{p} practised piano for {a} minutes on Monday, {b} on Tuesday and {c} on Wednesday."],
                 "How many hours is that altogether?", ("That makes", " hours."), F(a + b + c, 60),
                 f"({a}+{b}+{c})/60")


# ------------------------------------------------------------------ fractions and percentages
def fraction_of(rng):
    _, many = pick(rng, THINGS)
    q = rng.choice([2, 3, 4, 5, 8])
    p = rng.randint(1, q - 1)
    n = q * rng.randint(2, 15)
    who = pick(rng, ["Chidi", "Greta", "Mateo", "Wanda"])
    if rng.random() < 0.5:
        return Parts([f"{who} has {n} {many}.", f"{who} gives {p}/{q} of them to a friend."],
                     f"How many {many} does the friend get?", ("The friend gets", f" {many}."), F(n * p, q),
                     f"{n}*{p}/{q}")
    return Parts([f"{who} has {n} {many} and gives away {p}/{q} of them."], f"How many {many} are left?",
                 (f"{who} keeps", f" {many}."), F(n) - F(n * p, q), f"{n}-{n}*{p}/{q}")


def percent_of(rng):
    pct = rng.choice([10, 20, 25, 30, 40, 50, 60, 75])
    n = rng.randint(2, 30) * 20
    group = pick(rng, [("pupils", "take the bus home"), ("visitors", "bought a ticket online"),
                       ("seeds", "sprouted"), ("members", "voted yes"), ("runners", "finished the race")])
    return Parts([f"There are {n} {group[0]}.", f"Of these, {pct}% {group[1]}."],
                 f"How many {group[0]} {group[1]}?", ("The number who did is", "."), F(n * pct, 100),
                 f"{n}*{pct}/100")


def discount(rng):
    item, cur = pick(rng, ITEMS), pick(rng, CURRENCIES)[1]
    pct = rng.choice([10, 20, 25, 50])
    price = rng.randint(2, 40) * 4
    if rng.random() < 0.5:
        return Parts([f"{cap(an(item))} costs {price} {cur}.", f"The shop takes {pct}% off the price."],
                     "How much is the discount?", ("The discount is", f" {cur}."), F(price * pct, 100),
                     f"{price}*{pct}/100")
    return Parts([f"{cap(an(item))} usually costs {price} {cur}, but today it is marked down by {pct}%."],
                 "What does it cost after the reduction?", ("After the reduction it costs", f" {cur}."),
                 F(price) - F(price * pct, 100),
                 f"{price}-{price}*{pct}/100")


# ------------------------------------------------------------------ two and three steps
def gain_then_lose(rng):
    p, (_, many) = pick(rng, ["Ana", "Farid", "Pia", "Sven"]), pick(rng, THINGS)
    a, b = rng.randint(10, 90), rng.randint(5, 50)
    c = rng.randint(3, a + b - 2)
    g, l_ = pick(rng, GAIN_VERBS)[1], pick(rng, LOSS_VERBS)[1]
    return Parts([f"{p} had {a} {many}.", f"Then {p} {g} {b} more and {l_} {c}."],
                 f"How many {many} does {p} have at the end?", (f"At the end {p} has", f" {many}."),
                 F(a + b - c), f"{a}+{b}-{c}")


def used_and_more(rng):
    p, (_, many) = pick(rng, ["Kofi", "Ines", "Mrs. Okafor", "Yusuf"]), pick(rng, THINGS)
    a, b = rng.randint(2, 30), rng.randint(2, 30)
    total = a + b + rng.randint(3, 60)
    return Parts([f"{p} started the week with {total} {many}.", f"{p} used {a} on Monday and {b} more later."],
                 f"How many {many} are remaining?", ("Remaining:", f" {many}."), F(total - a - b),
                 f"{total}-{a}-{b}")


def boxes_plus_loose(rng):
    box, boxes = pick(rng, CONTAINERS)
    _, many = pick(rng, THINGS)
    n, k, loose = rng.randint(2, 15), rng.randint(4, 25), rng.randint(1, 20)
    return Parts([f"{pick(rng, ['Rosa', 'Hiro', 'Viktor'])} has {n} {boxes} of {k} {many} and {loose} loose ones."],
                 f"How many {many} is that?", ("That is", f" {many} in all."), F(n * k + loose), f"{n}*{k}+{loose}")


def pool_and_share(rng):
    a_name, b_name = two_people(rng)
    _, many = pick(rng, THINGS)
    n = rng.randint(2, 6)
    total = n * rng.randint(4, 30)
    a = rng.randint(1, total - 1)
    return Parts([f"{a_name} brings {a} {many} and {b_name} brings {total - a}.",
                  f"They share them equally among {n} people."], f"How many {many} does each person get?",
                 ("Each person gets", f" {many}."), F(total, n), f"({a}+{total - a})/{n}")


def shopping_two(rng):
    p = pick(rng, ["Uma", "Jonah", "Leila"])
    cur = pick(rng, CURRENCIES)[1]
    (o1, m1), (o2, m2) = rng.sample(THINGS, 2)
    q1, p1, q2, p2 = rng.randint(2, 9), rng.randint(1, 12), rng.randint(2, 9), rng.randint(1, 12)
    return Parts([f"{p} buys {q1} {m1} at {p1} {cur} each and {q2} {m2} at {p2} {cur} each."],
                 f"How much does {p} spend?", (f"{p} spends", f" {cur}."), F(q1 * p1 + q2 * p2),
                 f"{q1}*{p1}+{q2}*{p2}")


def shopping_change(rng):
    p = pick(rng, ["Dara", "Xiu", "Ben"])
    cur = pick(rng, CURRENCIES)[1]
    i1, i2 = rng.sample(ITEMS, 2)
    q, each, other = rng.randint(2, 5), rng.randint(2, 15), rng.randint(3, 30)
    bill = pick(rng, [b for b in (50, 100, 200) if b > q * each + other])
    return Parts([f"{p} buys {q} of the same {i1} at {each} {cur} each and one {i2} for {other} {cur}.",
                  f"{p} hands over {bill} {cur}."], "How much change comes back?",
                 ("The change is", f" {cur}."), F(bill - q * each - other), f"{bill}-{q}*{each}-{other}")


def more_than_other(rng):
    a_name, b_name = two_people(rng)
    _, many = pick(rng, THINGS)
    a, d = rng.randint(6, 60), rng.randint(2, 25)
    return Parts([f"{a_name} has {a} {many}.", f"{b_name} has {d} more {many} than {a_name}."],
                 f"What is the combined number of {many} the two of them own?", ("Together they have", f" {many}."),
                 F(a + a + d), f"{a}+{a}+{d}")


def perimeter(rng):
    w, length = rng.randint(3, 40), rng.randint(5, 60)
    what = pick(rng, ["a vegetable patch", "a playground", "a goat pen", "a tennis court", "a photo frame"])
    unit = pick(rng, ["metres", "feet"])
    if rng.random() < 0.5:
        return Parts([f"A fence goes all the way round {what} that is {length} {unit} by {w} {unit}."],
                     "How long is the fence?", ("The fence is", f" {unit} long."), F(2 * (length + w)),
                     f"2*({length}+{w})")
    return Parts([f"{cap(what)} measures {length} {unit} by {w} {unit}."], "What is its area in square " + unit + "?",
                 ("Its area is", f" square {unit}."), F(length * w), f"{length}*{w}")


def three_step_weekly(rng):
    p = pick(rng, ["Sven", "Nadia", "Oskar"])
    per_day, days = rng.randint(2, 15), rng.randint(3, 7)
    given = rng.randint(1, per_day * days - 2)
    eaten = rng.randint(1, per_day * days - given - 1)
    _, many = pick(rng, THINGS)
    return Parts([f"{p} collects {per_day} {many} a day for {days} days.",
                  f"{p} gives {given} to neighbours and loses {eaten}."], f"How many {many} are left?",
                 ("Left over:", f" {many}."), F(per_day * days - given - eaten), f"{per_day}*{days}-{given}-{eaten}")
