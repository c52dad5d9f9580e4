"""Which numbers a text says, in digits or in words, so a Calculator call can be checked against its text.

"A school has 432 girls and 482 boys" says 432 and 482; `482*433` uses a number the text never said, the mark
of a small model copying digits badly. Numbers said by a word count ("half", "twice", "a dozen", "percent", "%"),
and minutes and hours ("60", "24") are always allowed: word problems leave them unsaid.

Deliberately left out: fractions in words ("two thirds"), ordinals, and numbers above the thousands in words.
"""
from __future__ import annotations

import re
from decimal import Decimal

_DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_UNITS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
SPELLED_NUMBERS = {**_UNITS, **_TENS}  # the words for 0-19 and the tens (also the narration check's, game.narration)
_SAID_AS = {"half": 2, "halves": 2, "twice": 2, "double": 2, "doubled": 2, "pair": 2, "pairs": 2, "triple": 3,
            "thrice": 3, "tripled": 3, "dozen": 12, "dozens": 12, "hundred": 100, "percent": 100, "quarter": 4,
            "quarters": 4, "third": 3, "thirds": 3, "week": 7, "weeks": 7, "score": 20}
UNSAID_CONSTANTS = frozenset(Decimal(n) for n in (24, 60))


def numbers_in(text: str) -> set[Decimal]:
    """Every number the text says: digits ("1,200", "3.5"), words ("forty-two", "a dozen") and their parts."""
    found = {_value(digits) for digits in _DIGITS.findall(text)}
    if "%" in text:
        found.add(Decimal(100))
    words = re.findall(r"[a-z]+", text.lower().replace("-", " "))
    for i, word in enumerate(words):
        if word in _UNITS:
            found.add(Decimal(_UNITS[word]))
        elif word in _TENS:
            unit = _UNITS.get(words[i + 1], 0) if i + 1 < len(words) and 0 < _UNITS.get(words[i + 1], 0) < 10 else 0
            found |= {Decimal(_TENS[word]), Decimal(_TENS[word] + unit)}
        elif word in _SAID_AS:
            found.add(Decimal(_SAID_AS[word]))
    return found


def unsaid_numbers(expression: str, text: str) -> list[str]:
    """The numbers of `expression` that `text` never says (the always-allowed constants aside)."""
    said = numbers_in(text) | UNSAID_CONSTANTS
    return [digits for digits in _DIGITS.findall(expression) if _value(digits) not in said]


def _value(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))  # `_DIGITS` matches only what Decimal reads
