"""The memory stream and importance ratings.

A `MemoryRecord` is one thing a villager perceived (event), was told (chat) or
inferred (thought): text, kind, created and last-accessed game minutes,
importance 1-10 and, for thoughts, the ids of the records it rests on. Ids
are unique across the whole village so evidence links and the SQLite tables
need no composite keys.

`ImportanceRater.rate(texts)` rates many observations in ONE generation: the
prompt numbers them and the answer is read as lines "1: R", "2: R", ... with R
in 1..10 (with `use_grammar=True`, the village's default, a GBNF grammar
admits nothing else; measured on 1 thread it costs about what free decoding
does: 2.3 s vs 2.2 s for 10 items, docs/BENCHMARKS.md). Ratings are cached by
text (villagers who see the same scene pay once). Anything unusable — an
unparseable line, an empty answer, an error, or a degenerate answer that
just counts 1, 2, 3... or gives every line the same rating — falls back to
`rule_importance` for the affected texts, logged and counted in `fallbacks`,
never raised.

Deliberately left out: embeddings (retrieval asks the backend, which caches
them by text), forgetting, and memory compression.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Sequence

from agent.backend import Backend, GenerateOptions

log = logging.getLogger(__name__)
KINDS = ("event", "thought", "chat")
ROLE = "villager-importance"
MAX_BATCH = 24  # longer batches are split; each part is one call

_HIGH = re.compile(r"\b(dead|died|death|fire|stolen|steal|thief|lost|missing|caravan|danger|fight|wedding|married|"
                   r"ruins?|temple|treasure|secret|storm|sick|hurt|attack|gold|shard|key|sinking)\b", re.I)
_MEDIUM = re.compile(r"\b(told|says?|said|announc\w*|price|prices|trade|buy|bought|sell|sold|news|rumou?rs?|"
                     r"asked|promise\w*|stranger|traveller)\b", re.I)
_LOW = re.compile(r"\b(idle|sleeping|resting|walking|sitting|waiting|sweeping)\b", re.I)


@dataclass
class MemoryRecord:
    id: int
    owner: str  # villager id
    kind: str  # event / thought / chat
    text: str
    created: int  # game minutes
    last_access: int
    importance: int
    evidence: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"memory kind must be one of {KINDS}, not {self.kind!r}")
        self.importance = max(1, min(10, int(self.importance)))


@dataclass
class MemoryStream:
    owner: str
    records: list[MemoryRecord] = field(default_factory=list)

    def add(self, record: MemoryRecord) -> MemoryRecord:
        if record.owner != self.owner:
            raise ValueError(f"record {record.id} belongs to {record.owner}, not {self.owner}")
        self.records.append(record)
        return record

    def get(self, rid: int) -> MemoryRecord | None:
        for record in self.records:
            if record.id == rid:
                return record
        return None

    def ids(self) -> set[int]:
        return {r.id for r in self.records}

    def recent(self, n: int) -> list[MemoryRecord]:
        return self.records[-n:]

    def mentions(self, phrase: str) -> list[MemoryRecord]:
        phrase = phrase.lower()
        return [r for r in self.records if phrase in r.text.lower()]


def rule_importance(text: str) -> int:
    """The fallback rating: keyword classes, never a model call."""
    if _HIGH.search(text):
        return 7
    if _MEDIUM.search(text):
        return 4
    if _LOW.search(text):
        return 1
    return 2


def rating_grammar(n: int) -> str:
    """Only "R\n2: R\n...n: R\n" — the prompt already started the first line with "1:"."""
    lines = " ".join(f'"{i}: " r "\\n"' for i in range(2, n + 1))
    return f'root ::= " "? r "\\n" {lines}\nr ::= "10" | [1-9]\n'


def rating_prompt(backend: Backend, texts: Sequence[str]) -> str:
    listing = "\n".join(f"{i}. {t}" for i, t in enumerate(texts, 1))
    return backend.chat_prompt([
        {"role": "system", "content": "You rate how much each observation matters to a villager."},
        {"role": "user", "content": (
            "On a scale of 1 (mundane: brushing teeth, sweeping) to 10 (poignant: a break-up, a death, "
            f"college acceptance), rate each observation.\n{listing}\n"
            "Answer one line per observation as 'number: rating'.")},
    ]) + "1:"


def parse_ratings(answer: str, n: int) -> list[int | None]:
    found: list[int | None] = [None] * n
    for m in re.finditer(r"^\s*(\d+)\s*[:.)-]\s*(\d+)\s*$", answer, re.M):
        index, value = int(m.group(1)), int(m.group(2))
        if 1 <= index <= n and 1 <= value <= 10 and found[index - 1] is None:
            found[index - 1] = value
    return found


def degenerate(ratings: list[int | None]) -> bool:
    """A small model's tell: counting the line numbers, or one rating for everything."""
    given = [(i, r) for i, r in enumerate(ratings, 1) if r is not None]
    if len(given) < 3:
        return False
    return all(i == r for i, r in given) or len({r for _, r in given}) == 1


class ImportanceRater:
    def __init__(self, backend: Backend | None, cache: dict[str, int] | None = None,
                 use_grammar: bool = False) -> None:
        self.backend = backend
        self.use_grammar = use_grammar
        self.cache: dict[str, int] = {} if cache is None else cache
        self.fallbacks = 0
        self.model_ratings = 0

    def rate(self, texts: Sequence[str]) -> list[int]:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        for start in range(0, len(todo), MAX_BATCH):
            self._rate_batch(todo[start:start + MAX_BATCH])
        return [self.cache[t] for t in texts]

    def _rate_batch(self, batch: list[str]) -> None:
        ratings: list[int | None] = [None] * len(batch)
        if self.backend is not None and batch:
            try:
                answer = self.backend.complete(
                    rating_prompt(self.backend, batch),
                    GenerateOptions(max_tokens=5 * len(batch) + 4, temperature=0.0, role=ROLE,
                                    grammar=rating_grammar(len(batch)) if self.use_grammar else None,
                                    stop=self.backend.chat_stop))
                if not re.match(r"\s*1\s*:", answer):
                    answer = "1:" + answer  # the prompt started the first line
                ratings = parse_ratings(answer, len(batch))
                if degenerate(ratings):
                    log.info("importance: degenerate answer %r; rule-based fallback used", answer[:60])
                    ratings = [None] * len(batch)
            except Exception as exc:  # a broken model must not stop the village
                log.warning("importance rating failed (%s: %s); using the rule-based fallback",
                            type(exc).__name__, exc)
        missing = [t for t, r in zip(batch, ratings) if r is None]
        if missing:
            self.fallbacks += len(missing)
            log.info("importance: %d of %d ratings unparseable; rule-based fallback used", len(missing), len(batch))
        for text, rating in zip(batch, ratings):
            if rating is not None:
                self.model_ratings += 1
            self.cache[text] = rating if rating is not None else rule_importance(text)
