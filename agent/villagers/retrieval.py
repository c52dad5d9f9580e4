"""Retrieval: which memories a villager brings to mind for a query.

score = w_rec * norm(recency) + w_imp * norm(importance) + w_rel * norm(relevance)

- recency = decay ** (game hours since the record was last accessed), decay 0.995;
- importance = the record's 1-10 rating;
- relevance = cosine similarity of the backend's embeddings ("embedding"), the
  BM25+ score of agent.tools.lore's index ("bm25"), or the mean of both after
  min-max normalising each ("hybrid");
- norm() is min-max normalisation over the candidates to [0, 1]; when all
  candidates have the same value every one gets 0.5 (the paper's code does the
  same), so a constant component neither helps nor hurts any record.

The top n records get their last-access time set to now (`touch=True`).
A backend whose embeddings fail (a server started without embeddings, a
dead connection) is not a crash: the retriever logs it once and scores
relevance with BM25+ from then on.

Deliberately left out: approximate nearest-neighbour indexes (a villager has
hundreds of memories, not millions) and query expansion.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Sequence

from agent.backend import Backend
from agent.tools.lore import LoreIndex

from .memory import MemoryRecord
from .script import Settings, Weights

log = logging.getLogger(__name__)

MODES = ("embedding", "bm25", "hybrid")


@dataclass
class Scored:
    record: MemoryRecord
    score: float
    recency: float  # normalised components, each in [0, 1]
    importance: float
    relevance: float


def minmax(values: Sequence[float]) -> list[float]:
    if not values:
        return []
    low, high = min(values), max(values)
    if high - low < 1e-12:
        return [0.5] * len(values)
    return [(v - low) / (high - low) for v in values]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def recency(record: MemoryRecord, now: int, decay: float) -> float:
    hours = max(0, now - record.last_access) / 60.0
    return decay ** hours


def bm25_scores(records: Sequence[MemoryRecord], query: str) -> list[float]:
    """BM25+ via LoreIndex; records sharing no term with the query score 0.

    Each entry's title is a position tag ("m0", "m1", ...) that maps a hit back
    to its record; the tag is one extra term per entry, the same for all.
    """
    index = LoreIndex([(f"m{k}", r.text) for k, r in enumerate(records)])
    scores = [0.0] * len(records)
    for title, _text, score in index.search(query, n=len(records)):
        scores[int(title[1:])] = score
    return scores


class Retriever:
    def __init__(self, backend: Backend | None, settings: Settings | None = None, mode: str | None = None) -> None:
        self.backend = backend
        self.settings = settings or Settings()
        self.mode = mode or self.settings.relevance
        if self.mode not in MODES:
            raise ValueError(f"relevance mode must be one of {MODES}")
        if self.backend is None and self.mode != "bm25":
            self.mode = "bm25"  # no model: lexical relevance only
        self.embed_calls = 0

    @property
    def weights(self) -> Weights:
        return self.settings.weights

    def relevance(self, records: Sequence[MemoryRecord], query: str) -> list[float]:
        if self.mode != "bm25" and not self.backend.has_embeddings:  # asked when needed: a model may load late
            log.info("relevance is lexical (BM25+): %s gives no embeddings", self.backend.name)
            self.mode = "bm25"
        if self.mode == "bm25":
            return bm25_scores(records, query)
        self.embed_calls += 1 + len(records)
        try:
            q = self.backend.embed(query)
            cos = [cosine(q, self.backend.embed(r.text)) for r in records]
        except Exception as exc:  # relevance degrades to lexical; the village goes on
            log.warning("embeddings failed (%s: %s); relevance falls back to BM25+", type(exc).__name__, exc)
            self.mode = "bm25"
            return bm25_scores(records, query)
        if self.mode == "embedding":
            return cos
        lex = minmax(bm25_scores(records, query))
        return [(a + b) / 2 for a, b in zip(minmax(cos), lex)]

    def score(self, records: Sequence[MemoryRecord], query: str, now: int) -> list[Scored]:
        if not records:
            return []
        rec = minmax([recency(r, now, self.settings.recency_decay) for r in records])
        imp = minmax([float(r.importance) for r in records])
        rel = minmax(self.relevance(records, query))
        w = self.weights
        return [Scored(r, w.recency * a + w.importance * b + w.relevance * c, a, b, c)
                for r, a, b, c in zip(records, rec, imp, rel)]

    def retrieve(self, records: Sequence[MemoryRecord], query: str, now: int, n: int | None = None,
                 touch: bool = True) -> list[Scored]:
        scored = self.score(records, query, now)
        # stable order on ties: higher score, then newer record
        scored.sort(key=lambda s: (-s.score, -s.record.created, -s.record.id))
        top = scored[: n or self.settings.retrieve_n]
        if touch:
            for s in top:
                s.record.last_access = max(s.record.last_access, now)
        return top
