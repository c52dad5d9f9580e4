"""Calendar: "Today is <weekday>, <month> <day>, <year>." (Toolformer's wording).

The date comes from a `today` callable: the game passes its own clock; without
a game it is the real date. The tool takes no input, as in the paper.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from pydantic import BaseModel, ConfigDict

from .base import Tool


class CalendarArgs(BaseModel):
    model_config = ConfigDict(extra="ignore")  # the paper's call has no input; ignore stray text


def format_date(day: dt.date) -> str:
    return f"Today is {day:%A}, {day:%B} {day.day}, {day.year}."


def make_calendar(today: Callable[[], dt.date] = dt.date.today) -> Tool:
    return Tool(
        name="Calendar",
        description="today's date, e.g. [Calendar() -> Today is Monday, May 4, 2026.]",
        args_model=CalendarArgs,
        fn=lambda _args: format_date(today()),
        inline_field=None,
    )
