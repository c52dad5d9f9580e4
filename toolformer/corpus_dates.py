"""Calendar texts: today's weekday, date, month or year, and dates a few days away, said in many ways.

Each text carries its own `today` (the date the Calendar tool returns for it) and the answer the date gives: the
weekday, the full date, the month, the year, or the weekday or date n days from today (the Calendar gives today;
the text's continuation depends on it). Dates are in the game's years (1203-1206) and in recent real years.
Deliberately left out: time of day (the Calendar returns no time), calendars other than the Gregorian one.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Callable

from .corpus_words import PEOPLE, PLACES, ROLES, cap, pick


@dataclass(frozen=True)
class DateText:
    text: str
    answer: str
    answer_at: int
    template: str
    today: str  # ISO date the Calendar returns for this text


def _full(day: dt.date) -> str:
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _day(rng: random.Random) -> dt.date:
    start = pick(rng, [dt.date(1203, 1, 1), dt.date(2019, 1, 1)])
    return start + dt.timedelta(days=rng.randrange(365 * 4))


def _who(rng):
    return pick(rng, PEOPLE + [cap(r) for r in ROLES])


def say_today(rng, day):
    head = pick(rng, [f"{_who(rng)} looks at the sky and says: \"Today is",
                      f"\"What's the date?\" asked {_who(rng)}. \"It's",
                      f"The notice by the door of {pick(rng, PLACES)} is dated",
                      f"{_who(rng)} wrote at the top of the page:"])
    return head, _full(day), pick(rng, [".\"", ".", ", and the rain has not stopped."])


def weekday_only(rng, day):
    head, tail = pick(rng, [("It is", ", after all."), (f"{_who(rng)} sighs. Today is a", "."),
                            ("The market is busy because today is", " and the stalls are full."),
                            ("No school today, since it is", ".")])
    return head, f"{day:%A}", tail


def month_only(rng, day):
    head = pick(rng, ["The month is", f"{_who(rng)} checks the calendar: it is already",
                      "Everyone at the farm knows it is"])
    return head, f"{day:%B}", pick(rng, [".", ", and the nights are long.", " of this year."])


def year_only(rng, day):
    head = pick(rng, ["The current year is", f"{_who(rng)} reminds us that this year is",
                      "This summer, in the year"])
    return head, str(day.year), pick(rng, [".", ", the fair comes back.", ", much has changed."])


def date_without_weekday(rng, day):
    head = pick(rng, [f"{_who(rng)} signs the letter and adds today's date,",
                      "The ticket bought this morning is stamped"])
    return head, f"{day:%B} {day.day}, {day.year}", "."


def days_ahead_weekday(rng, day):
    n = rng.randint(1, 6)
    when = {1: "tomorrow", 2: "the day after tomorrow"}.get(n, f"in {n} days")
    target = day + dt.timedelta(days=n)
    head = pick(rng, [f"The parcel arrives {when}, which will be a", f"The party is {when}, on"])
    return head, f"{target:%A}", "."


def days_ahead_date(rng, day):
    n = rng.randint(2, 20)
    target = day + dt.timedelta(days=n)
    head = pick(rng, [f"{_who(rng)} leaves on a trip in {n} days, on",
                      f"The library book is due back {n} days from today, on"])
    return head, f"{target:%B} {target.day}", "."


def yesterday(rng, day):
    target = day - dt.timedelta(days=1)
    head = pick(rng, ["Yesterday was", f"{_who(rng)} remembers that yesterday, a"])
    return head, f"{target:%A}", pick(rng, [".", ", it rained all day."])


def question_weekday(rng, day):
    head = pick(rng, ["What day of the week is it today? It is", "Which day is it? Today is"])
    return head, f"{day:%A}", "."


TEMPLATES: dict[str, Callable[[random.Random, dt.date], tuple[str, str, str]]] = {
    f.__name__: f for f in (say_today, weekday_only, month_only, year_only, date_without_weekday,
                            days_ahead_weekday, days_ahead_date, yesterday, question_weekday)}


def make_date_text(rng: random.Random, template: str | None = None) -> DateText:
    name = template or pick(rng, sorted(TEMPLATES))
    day = _day(rng)
    head, answer, tail = TEMPLATES[name](rng, day)
    return DateText(f"{head} {answer}{tail}", answer, len(head), name, day.isoformat())
