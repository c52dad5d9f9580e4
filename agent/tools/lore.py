"""LoreSearch: the model's tool over a collection of (title, text) entries (agent.text_search's BM25+ index).

Returns the best entry as "Title: text" (cut to a sentence-friendly length),
or "no lore found" when no entry shares a term with the query.
"""
from __future__ import annotations

import re
from typing import Sequence

from pydantic import BaseModel, Field

from agent.text_search import NO_LORE, LoreIndex  # the index lives in a module with no model in it; re-exported here

from .base import Tool


class LoreArgs(BaseModel):
    query: str = Field(..., min_length=1, max_length=200, description="words to look up")


def make_lore_search(entries: Sequence[tuple[str, str]]) -> Tool:
    index = LoreIndex(entries)
    return Tool(
        name="LoreSearch",
        description="look up the world's lore, e.g. [LoreSearch(the oasis well) -> ...]",
        args_model=LoreArgs,
        fn=lambda args: index.answer(args.query),
        inline_field="query",
        nothing_found=NO_LORE,
        doubt=_counting_query,
    )


def _counting_query(args: LoreArgs, context: str) -> str | None:
    """Lore is found by names; a query holding a number ("Qarth Vale, 81 copper"), or one made right after a
    sentence of figures ("had 740 loaves and sold 188 of them at Ember Ford, which left"), is most often a sum
    begun in the wrong tool."""
    if any(c.isdigit() for c in args.query):
        return "the query holds a number, and lore is found by names"
    if len(re.findall(r"\d+", re.split(r"[.?!]\s", context)[-1])) >= 2:
        return "the sentence it is made in counts with two numbers or more"
    return None
