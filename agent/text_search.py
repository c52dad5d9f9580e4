"""Text search without a model: BM25+ over (title, text) entries, via `rank_bm25`.

BM25+ rather than classic Okapi BM25: Okapi's idf is zero or negative for a
term found in half the entries or more, which breaks small lore books.

It is shared by the world's rules (the player's `lore` command), the
narrator's LoreSearch tool (agent.tools.lore) and the villagers' memory
retrieval, so it lives at the bottom with nothing of the model runtime in it.

Deliberately left out: stemming, phrase queries, embeddings (the villagers add those).
"""
from __future__ import annotations

import re
from typing import Sequence

from rank_bm25 import BM25Plus

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the of to in on at is are was what who where when how which and or for about".split())
MAX_RESULT_CHARS = 240
NO_LORE = "no lore found"  # what a search without a hit answers


def _terms(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


class LoreIndex:
    def __init__(self, entries: Sequence[tuple[str, str]]) -> None:
        self.entries = list(entries)
        corpus = [_terms(f"{title} {text}") for title, text in self.entries] or [[]]
        self._bm25 = BM25Plus([doc or ["_"] for doc in corpus])

    def search(self, query: str, n: int = 1) -> list[tuple[str, str, float]]:
        terms = _terms(query)
        if not terms or not self.entries:
            return []
        scores = self._bm25.get_scores(terms)
        ranked = sorted(range(len(self.entries)), key=lambda i: -scores[i])
        hits = []
        for i in ranked[:n]:
            doc_terms = set(_terms(" ".join(self.entries[i])))
            if doc_terms.intersection(terms):
                hits.append((*self.entries[i], float(scores[i])))
        return hits

    def answer(self, query: str) -> str:
        hits = self.search(query)
        if not hits:
            return NO_LORE
        title, text, _score = hits[0]
        result = f"{title}: {text}".replace("\n", " ")
        return result if len(result) <= MAX_RESULT_CHARS else result[: MAX_RESULT_CHARS - 1].rsplit(" ", 1)[0] + "…"
