"""Dice: tabletop notation `NdM(+|-)K`, rolled with a seeded RNG.

The result is the total followed by the individual rolls: "9 (4, 4)".
Limits keep a silly request cheap: at most 100 dice of at most 1000 sides.
"""
from __future__ import annotations

import random
import re

from pydantic import BaseModel, Field, field_validator

from .base import Tool

_NOTATION = re.compile(r"^\s*(\d*)\s*d\s*(\d+)\s*(?:([+-])\s*(\d+))?\s*$", re.IGNORECASE)


class DiceArgs(BaseModel):
    notation: str = Field(..., description="e.g. 2d6+1", max_length=30,
                          pattern=r"^[1-9][0-9]?d[1-9][0-9]{0,2}([+-][0-9]{1,3})?$")

    @field_validator("notation")
    @classmethod
    def _valid(cls, value: str) -> str:
        match = _NOTATION.match(value)
        if not match:
            raise ValueError("use dice notation like 2d6+1")
        count, sides = int(match.group(1) or 1), int(match.group(2))
        if not (1 <= count <= 100 and 2 <= sides <= 1000):
            raise ValueError("between 1 and 100 dice of 2 to 1000 sides")
        return value


def roll(notation: str, rng: random.Random) -> str:
    match = _NOTATION.match(notation)
    assert match is not None  # validated by DiceArgs
    count, sides = int(match.group(1) or 1), int(match.group(2))
    modifier = int(match.group(4) or 0) * (-1 if match.group(3) == "-" else 1)
    rolls = [rng.randint(1, sides) for _ in range(count)]
    return f"{sum(rolls) + modifier} ({', '.join(map(str, rolls))})"


def make_dice(seed: int | None = 0) -> Tool:
    rng = random.Random(seed)
    return Tool(
        name="Dice",
        description="roll dice, e.g. [Dice(2d6+1) -> 9 (4, 4)]",
        args_model=DiceArgs,
        fn=lambda args: roll(args.notation, rng),
        inline_field="notation",
    )
