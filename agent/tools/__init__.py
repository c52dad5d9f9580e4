"""Built-in tools and a helper that assembles the default registry."""
from __future__ import annotations

import datetime as dt
from typing import Callable, Sequence

from .base import Tool, ToolRegistry, ToolResult
from .calculator import calculate, make_calculator
from .calendar import format_date, make_calendar
from .dice import make_dice
from .lore import LoreIndex, make_lore_search

__all__ = [
    "Tool", "ToolRegistry", "ToolResult", "calculate", "format_date", "LoreIndex",
    "make_calculator", "make_calendar", "make_dice", "make_lore_search", "default_registry",
]


def default_registry(
    lore: Sequence[tuple[str, str]] = (),
    today: Callable[[], dt.date] = dt.date.today,
    dice_seed: int | None = 0,
) -> ToolRegistry:
    """Calculator, Calendar, Dice and LoreSearch (over `lore`)."""
    return ToolRegistry(
        [make_calculator(), make_calendar(today), make_dice(dice_seed), make_lore_search(lore)]
    )
