"""Salience: how important a new memory is, without hanging on the model alone.

importance = max(floor, rating)

- floor: what the rules know. A village script's `news:` entries (a memory that
  mentions one of `about` is news for the villagers who care: everyone when
  `cares` is empty), a scheduled event's `importance`, and the floor the game
  passes with what a villager witnessed of the engine's events (a riddle
  answered, a gate opened, an item sold: game.play.village's table);
- rating: the model's batched rating for villagers the player can see, the
  keyword rule (`memory.rule_importance`) for the others (level of detail).

So the model can raise a memory's importance but never talk news down: the
135M default model rated a planted party 1 of 10, and nothing was retold.

Matching is on word starts, case-insensitive: "twin" matches "twins" and
"Twin", not "betwixt". Deliberately left out: news that goes stale, and
caring derived from relationships (authors list who cares).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .script import VillageScript


@lru_cache(maxsize=512)
def _pattern(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + re.escape(" ".join(phrase.lower().split())))


def news_floor(script: VillageScript, owner: str, text: str) -> int:
    """The highest `importance` among the script's news entries this memory mentions and `owner` cares about."""
    low = " ".join(text.lower().split())
    floor = 0
    for news in script.news:
        if news.cares and owner not in news.cares:
            continue
        if any(_pattern(phrase).search(low) for phrase in news.about):
            floor = max(floor, news.importance)
    return floor


def combine(floor: int, rating: int) -> int:
    """The model (or keyword rule) may only raise what the rules set."""
    return max(1, min(10, max(floor, rating)))
