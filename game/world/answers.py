"""Riddle-answer normalisation: the engine, never the model, judges answers.

An answer matches when its normal form equals the normal form of an accepted
answer or synonym. The normal form: lowercase, punctuation dropped, leading
filler ("the answer is", "it's", "I think") removed, articles removed, and
each word reduced to a simple singular ("clouds" -> "cloud", "fires" ->
"fire", "boxes" -> "box").

Deliberately left out: spelling correction, stemming beyond plurals, and any
semantic similarity — "a breeze" is right only if the story lists "breeze".
"""
from __future__ import annotations

import re

_WORDS = re.compile(r"[a-z0-9]+")
_ARTICLES = frozenset({"a", "an", "the", "some"})
_FILLERS = (
    "the answer is", "answer is", "my answer is", "i think it is", "i think its", "i think", "i guess",
    "it must be", "it is", "its", "it s", "is it", "maybe", "perhaps", "i say", "answer", "say", "reply",
    "the word", "the words", "word", "with the word", "with",
)


def singular(word: str) -> str:
    """Strip a simple English plural ending; short words and '-ss' words stay."""
    if len(word) <= 3 or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("us", "is")):
        return word[:-1]
    return word


def normalise_answer(text: str) -> str:
    words = _WORDS.findall(text.lower().replace("'", ""))
    joined = " ".join(words)
    changed = True
    while changed:  # "i think the answer is ..." needs more than one pass
        changed = False
        for filler in _FILLERS:
            if joined == filler:
                break
            if joined.startswith(filler + " "):
                joined = joined[len(filler) + 1:]
                changed = True
    return " ".join(singular(w) for w in joined.split() if w not in _ARTICLES)


def accepts(answers: list[str], synonyms: list[str], text: str) -> bool:
    given = normalise_answer(text)
    return bool(given) and any(given == normalise_answer(a) for a in [*answers, *synonyms])
