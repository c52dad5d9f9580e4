"""The villagers eval's questions and how their answers are judged (eval.py runs the eval).

- The planted fact (`FACT`) and its key terms: an answer "says yes" when it
  states a key term or affirms ("yes", "I heard"); it is backed when one of the
  villager's memory records holds a key term.
- Recall questions (`questions_for`) are generated from what a villager itself
  perceived; an answer is correct when it carries two of the record's content
  words (`answer_matches`, on 5-letter stems), and grounded when every content
  word of it is in the villager's memories, the question or its own name and
  trade (`backed_answer`).

Deliberately left out: judging answers with a model (word matching is cruder
but cannot be flattered by a fluent model).
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .answers import DONT_KNOW, stems
from .memory import MemoryRecord

if TYPE_CHECKING:
    from .simulation import Village

FACT = "Hassan is throwing a party at the Stables on day 2 at sunset because his camel Zarqa gave birth to twins."
FACT_KEYS = ("zarqa", "twin")
FACT_NEWS = ("Zarqa", "twins", "party at the Stables")  # what an author would mark
FACT_QUESTION = "Have you heard any news about Hassan's camel?"
_YES = re.compile(r"^\W*(yes|yeah|indeed|of course)\b|\bI (have )?heard\b", re.I)
_STOP = {"with", "that", "this", "from", "have", "there", "their", "they", "what", "when", "where", "which",
         "about", "into", "your", "while", "walks", "talks", "uses", "rests", "the", "and", "was", "her", "his",
         "she", "him", "are", "has", "had", "for", "not", "but", "you", "its", "our", "all", "who", "out"}


@dataclass
class Question:
    villager: str
    text: str
    expected: tuple[str, ...]  # content words the answer must carry
    source: int  # the memory record id it was generated from


def content_words(text: str, drop: set[str] = frozenset()) -> tuple[str, ...]:
    words = [w for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in _STOP and w not in drop]
    return tuple(dict.fromkeys(words))


def _stem(word: str) -> str:
    return word[:5]


def answer_matches(answer: str, expected: tuple[str, ...]) -> bool:
    """At least two of the expected content words (all of them when fewer), compared on 5-letter stems."""
    if not expected:
        return False
    said = {_stem(w) for w in re.findall(r"[a-z]{3,}", answer.lower())}
    hits = sum(_stem(w) in said for w in expected)
    return hits >= min(2, len(expected))


def says_yes(answer: str, keys: tuple[str, ...] = FACT_KEYS) -> bool:
    low = answer.lower()
    return any(k in low for k in keys) or bool(_YES.search(answer))


def states_fact(answer: str, keys: tuple[str, ...] = FACT_KEYS) -> bool:
    return any(k in answer.lower() for k in keys)


def backed(records: list[MemoryRecord], keys: tuple[str, ...] = FACT_KEYS) -> bool:
    return any(any(k in r.text.lower() for k in keys) for r in records)


def questions_for(village: Village, vid: str, per_villager: int, rng: random.Random,
                  since: int) -> list[Question]:
    """Questions about what `vid` itself perceived after minute `since` (never seed memories)."""
    names = {v.name: v for v in village.script.villagers}
    places = {p.name: p for p in village.script.places}
    out: list[Question] = []
    for r in village.states[vid].stream.records:
        if r.kind != "event" or r.created < since or any(k in r.text.lower() for k in FACT_KEYS):
            continue
        m = re.match(r"At the (.+?): (.+)$", r.text)
        if m:
            out.append(Question(vid, f"What happened at the {m.group(1)}?",
                                content_words(m.group(2), set(content_words(m.group(1)))), r.id))
            continue
        who = next((n for n in sorted(names, key=len, reverse=True) if r.text.startswith(n + " ")), None)
        if who is None:
            continue
        rest = r.text[len(who) + 1:].rstrip(".")
        m = re.match(r"walks to the (.+)$", rest)
        if m:
            out.append(Question(vid, f"Where did you see {who} going?", content_words(m.group(1)), r.id))
            continue
        m = re.match(r"(.+) at the (.+)$", rest)
        if m and m.group(2) in places:
            drop = set(content_words(who))
            out.append(Question(vid, f"What did you see {who} doing at the {m.group(2)}?",
                                content_words(m.group(1), drop), r.id))
    out = [q for q in out if q.expected]
    # Different people/sights first: one question per distinct expected answer.
    unique = list({(q.text, q.expected): q for q in out}.values())
    rng.shuffle(unique)
    return sorted(unique[:per_villager], key=lambda q: q.source)


def backed_answer(village: Village, vid: str, question: str, answer: str) -> bool:
    """An honest "I don't know", or every content word of the answer is in one of the villager's memories
    (its whole stream, not just what the answer cited), the question or its own name and trade."""
    if answer.strip() == DONT_KNOW:
        return True
    person = village.people[vid]
    known = set().union(*(stems(r.text) for r in village.states[vid].stream.records), stems(question),
                        stems(f"{person.name} {person.occupation}"))
    said = stems(answer)
    return bool(said) and said <= known


def ask_all(village: Village, questions: list[Question], no_memory: bool = False,
            progress: Callable | None = None, hits: list[bool] | None = None,
            grounded: list[bool] | None = None, sources: list[str] | None = None) -> float | None:
    """Share of questions answered correctly; `hits` collects whether retrieval brought back the source,
    `grounded` whether each answer was backed (`backed_answer`)."""
    if not questions:
        return None
    correct = 0
    for q in questions:
        if no_memory:
            with village._paying(q.villager):
                answer = village.talk.answer(village.people[q.villager], [], q.text, village.clock, village.start)
        else:
            answer = village.ask(q.villager, q.text)
        correct += answer_matches(answer.text, q.expected)
        if hits is not None:
            hits.append(q.source in answer.ids)
        if grounded is not None:
            grounded.append(backed_answer(village, q.villager, q.text, answer.text))
        if sources is not None:
            sources.append(answer.source)
        if progress:
            progress(1)
    return correct / len(questions)
