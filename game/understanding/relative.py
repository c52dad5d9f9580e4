"""A thing named by what happened to it: "the lamp I bought", "the bracelet Farah mentioned", "the shard I just set
down" -> the thing alone ("the lamp"), so the words the game knows are left to name it.

A relative clause is dropped only right after a word of a thing's name, and only when it is a subject (I, we, you,
he, she, they, or a person of the game) and a verb in the past, with an adverb ("just") before the verb and a
particle or "me" after it; what follows stays ("flog the bracelet Farah mentioned to the trader" keeps "to the
trader").

Deliberately left out: clauses with "that/which" and a present verb ("the key that opens the door": it describes,
and the game should check it), and places named by their history ("the camels' stable"): the game asks.
"""
from __future__ import annotations

from game.understanding.senses import verb_lemmas

_SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they"})
_ADVERBS = frozenset({"just", "already", "earlier", "recently", "once", "first", "have", "had", "ve", "d"})
_SAME_IN_PAST = frozenset({"set", "put", "cut", "let", "read", "hit", "shut", "cast", "spread"})
_AFTER = frozenset({"down", "up", "about", "me", "us", "earlier", "before", "already", "away", "back", "out", "of",
                    "yesterday", "today", "just", "now", "here", "there", "behind"})
_THAT = frozenset({"that", "which", "who"})


def _past(word: str) -> bool:
    """'bought', 'mentioned', 'set': a verb's past ("gives", "giving" are not)."""
    return word in _SAME_IN_PAST or (not word.endswith(("s", "ing")) and any(lemma != word
                                                                              for lemma in verb_lemmas(word)))


def without_relative_clause(words: list[str], names: frozenset[str], people: frozenset[str]) -> list[str]:
    """The words without a relative clause after a thing's name (see above); the words as they were otherwise.
    `people`: the people's names and aliases, whole ("stable boy": "the stable boy got ..." is no clause)."""
    people_words = {w for name in people for w in name.split()}
    for i in range(1, len(words)):
        if words[i - 1] not in names or any(f" {words[i - 1]} {words[i]} " in f" {name} " for name in people):
            continue
        start = i + (words[i] in _THAT)
        if start >= len(words) or not (words[start] in _SUBJECTS or words[start] in people_words):
            continue
        j = start + 1
        while j < len(words) and words[j] in _ADVERBS:
            j += 1
        if j >= len(words) or not _past(words[j]):
            continue
        k = j + 1
        while k < len(words) and words[k] in _AFTER:
            k += 1
        return words[:i] + words[k:]
    return words
