"""Answers from memory: the model phrases, a check the village can make decides what is said.

`answer_from_memory(...)` answers a question (the player's `ask NAME about X`,
the eval's questions) in four steps:

1. take the villager's memories (any backing texts the caller adds, lore
   entries or engine facts, count as words it may use);
2. keep the memories that carry every content word of the question (at most
   two needed): content words are 3+ letter words that are not question
   scaffolding ("what", "heard", "news", "doing"), compared on 5-letter stems;
   they are ordered by coverage, subject, importance and recency.
   Nothing left -> "I don't know." A question with no content word ("what
   news?") gets the villager's most important recent memory instead;
3. the model answers from those memories; its answer is kept only when it is
   grounded: every content word it uses is in the memories, the question or
   the villager's persona, it carries at least one content word of a memory
   (a bare "Yes, I heard" is not an answer), and it is not a refusal;
4. otherwise the memories themselves in a plain first-person template:
   "Farah told me this morning: someone lost a bracelet by the reeds."

`Answer.source` says which reached the asker: "model", "memory" or
"unknown". Deliberately left out: answers that combine memories into a new
claim (a 135M model cannot be checked doing it), questions about the future
("will you ..."), and paraphrases no memory shares a word with ("the
merchant" for Nadia): those get "I don't know", never a guess.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Sequence

from agent.backend import Backend, GenerateOptions

from .memory import MemoryRecord
from .script import Villager

log = logging.getLogger(__name__)
ROLE = "villager-answer"
DONT_KNOW = "I don't know."
_JUNK = re.compile(r"<\|[^|]*\|>")
_WORD = re.compile(r"[a-z][a-z']+|\d+")
# Words that frame a question or a reply rather than carry its subject.
SCAFFOLD = frozenset("""
a an the and or but if of to in on at by for with from into about over under than then so as is are was were be been
being am do does did done doing have has had having i you he she it we they me him her us them my your his its our
their mine yours this that these those there here what who whom whose which where when why how any some anything
something nothing everything anyone someone everyone not no yes yeah well oh just very really also too can could will
would shall should may might must tell told telling say said saying know knew known think thought hear heard hearing
see saw seen seeing news new today yesterday tonight morning afternoon evening day ever lately recently happen
happened happening going go goes went doing done way thing things lot much many more most like get got make made
please remember recall let see look looking come came please sure ok okay traveller traveler days ago
""".split())
_REFUSAL = re.compile(r"\b(as an ai|i'?m sorry|i cannot|i can'?t|language model|i apologi[sz]e)\b", re.I)
_HEARSAY = re.compile(r"^(?P<who>[A-Z][\w' ]{0,40}) told me: (?P<what>.+)$", re.S)
_TOLD = re.compile(r"^I told (?P<who>[A-Z][\w' ]{0,40}): (?P<what>.+)$", re.S)
_AT = re.compile(r"^At the (?P<place>[^:]{1,60}): (?P<what>.+)$", re.S)
_ASKED_OPENER = re.compile(r"^(?:[A-Z]\w*, have you heard\? )+")


@dataclass
class Answer:
    text: str
    ids: list[int]  # the memories it rests on
    source: str  # "model", "memory" or "unknown"


def stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower().replace("\u2019", "'")) if w not in SCAFFOLD}


def question_terms(question: str, own_name: str) -> set[str]:
    return stems(question) - stems(own_name)


def covers(record_text: str, terms: set[str]) -> bool:
    """The memory carries every question term, or two when the question has more."""
    if not terms:
        return False
    hits = len(terms & stems(record_text))
    return hits >= min(2, len(terms))


def grounded(text: str, backing: Sequence[str], memories: Sequence[str]) -> bool:
    """Every content word of `text` is backed, and it says at least one thing a memory says."""
    said = stems(text)
    if not said or _REFUSAL.search(text):
        return False
    allowed = set().union(*(stems(b) for b in backing))
    if not said <= allowed:
        return False
    return bool(said & set().union(*(stems(m) for m in memories)))


def when_phrase(created: int, now: int, start: int) -> str:
    """"this morning", "yesterday", "3 days ago"; "" for what the villager knew before the story began."""
    if created <= start:
        return ""
    days = now // 1440 - created // 1440
    if days <= 0:
        hour = created % 1440 // 60
        return "this morning" if hour < 12 else "this afternoon" if hour < 17 else "this evening"
    return "yesterday" if days == 1 else f"{days} days ago"


def _content(text: str) -> str:
    return _ASKED_OPENER.sub("", text.strip())


def first_person(record: MemoryRecord, now: int, start: int) -> str:
    """One memory as the villager would say it, adding nothing but who and when."""
    when = when_phrase(record.created, now, start)
    text = record.text.strip()
    if record.kind == "chat":
        m = _HEARSAY.match(text)
        if m:
            return f"{m.group('who')} told me{' ' + when if when else ''}: {_content(m.group('what'))}"
        m = _TOLD.match(text)
        if m:
            return f"I told {m.group('who')}{' ' + when if when else ''}: {_content(m.group('what'))}"
    if record.kind == "thought":
        return f"I have come to think this: {text}"
    m = _AT.match(text)
    if m:
        return f"{when.capitalize() + ', a' if when else 'A'}t the {m.group('place')}: {m.group('what')}"
    if not when:
        return text
    return f"{when.capitalize()} I saw this: {text}"


def template_answer(records: Sequence[MemoryRecord], now: int, start: int, most: int = 2) -> str:
    said: list[str] = []
    for record in records:
        line = first_person(record, now, start)
        if line not in said:
            said.append(line)
        if len(said) == most:
            break
    return " Also: ".join(s if s.endswith((".", "!", "?", "\u201d")) else s + "." for s in said)


def relevant(candidates: Sequence[MemoryRecord], terms: set[str]) -> list[MemoryRecord]:
    """Memories that cover the question: most question words first, then memories whose subject (first word)
    is a question word (a question about Hassan wants what Hassan did, not who spoke of him), then the more
    important, then the later; ties keep the caller's (retrieval) order."""
    def key(item):
        i, r = item
        first = stems(content_of_memory(r.text).split(" ", 1)[0])
        return (-len(terms & stems(r.text)), not (first & terms), -r.importance, -r.created, i)

    return [r for _, r in sorted(((i, r) for i, r in enumerate(candidates) if covers(r.text, terms)), key=key)]


def content_of_memory(text: str) -> str:
    """What a memory is about: "Farah told me: Layla, have you heard? Hassan is ..." -> "Hassan is ..."."""
    for pattern in (_AT, _HEARSAY, _TOLD):
        m = pattern.match(text)
        if m:
            return _content(m.group("what"))
    return text


def answer_from_memory(backend: Backend | None, villager: Villager, question: str, candidates: Sequence[MemoryRecord],
                       news: MemoryRecord | None, now: int, start: int, backing: Sequence[str] = ()) -> Answer:
    """`candidates`: retrieved memories, best first; `news`: what to say to a question about nothing in particular."""
    terms = question_terms(question, villager.name)
    chosen = relevant(candidates, terms) if terms else ([news] if news is not None else [])
    if not chosen:
        return Answer(DONT_KNOW, [], "unknown")
    chosen = chosen[:3]
    ids = [r.id for r in chosen]
    plain = template_answer(chosen, now, start)
    if backend is None:
        return Answer(plain, ids, "memory")
    remembered = "\n".join(f"- {first_person(r, now, start)}" for r in chosen)
    prompt = backend.chat_prompt([
        {"role": "system", "content": f"You are {villager.name}, a {villager.age}-year-old {villager.occupation}. "
                                      "Answer in one or two sentences, using only what you remember."},
        {"role": "user", "content": f"What you remember:\n{remembered}\n\nQuestion: {question}"},
    ])
    try:
        text = backend.complete(prompt, GenerateOptions(max_tokens=60, temperature=0.0, role=ROLE,
                                                        stop=backend.chat_stop))
    except Exception as exc:  # a dead model: the memory itself answers
        log.warning("answer: the model failed (%s: %s); %s answers with the memory", type(exc).__name__, exc,
                    villager.name)
        return Answer(plain, ids, "memory")
    text = " ".join(_JUNK.sub("", text or "").split())
    backing_texts = [r.text for r in chosen] + [first_person(r, now, start) for r in chosen] + [
        question, villager.name, villager.occupation, *backing]
    if grounded(text, backing_texts, [r.text for r in chosen]):
        return Answer(text, ids, "model")
    log.info("answer: %s's model answer %r is not backed by its memories; the memory answers", villager.name,
             text[:80])
    return Answer(plain, ids, "memory")
