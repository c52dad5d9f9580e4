"""Words that sound like the game's words: a player spelling by ear ("tayk", "tinderbocks",
"lyt") or a dictation program writing what it heard ("eggs amine the mural", "flame period").

How a word sounds is its Metaphone code (jellyfish's, a kept library): "tayk" and "take" are
both TK, "tinderbocks" and "tinderbox" TNTRBKS. A sound-alike counts only when exactly one
word of this game has the same code, starts with the same letter and is spelled within a few
edits of it; the layer above still needs the parser to read the result and the engine to do it.

Dictated punctuation ("question mark", "full stop") is turned back into the mark it names.

Left out: homophones that are words of their own in the same place ("by the lantern",
"cell the bracelet"): the normaliser never changes a word English knows on its first pass, and
the bolder pass (english_too) takes only a same-sounding word one edit away ("reed" -> read,
"kee" -> key). Codes of one letter ("K") say too little to act on alone.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, Indel

_DICTATED_ANYWHERE = re.compile(r"\b(?:question mark|exclamation (?:mark|point)|comma)\b")
_DICTATED_AT_END = re.compile(r"\s+(?:full stop|period|dot)\s*$")
_MARKS = {"question mark": "?", "exclamation mark": "!", "exclamation point": "!", "comma": ","}


def spoken_punctuation(text: str) -> str:
    """'what does it say question mark' -> 'what does it say ?'; 'flame period' -> 'flame .' (lowercase
    text; "period" and "full stop" only at the end, where a dictated line puts them; single spaces after)."""
    if not any(word in text for word in ("mark", "point", "comma", "stop", "period", "dot")):
        return text
    text = _DICTATED_ANYWHERE.sub(lambda m: " " + _MARKS[m.group(0)] + " ", text)
    return " ".join(_DICTATED_AT_END.sub(" .", text).split())


@lru_cache(maxsize=65536)
def sound(word: str) -> str:
    return jellyfish.metaphone(word)


def by_sound(words) -> dict[str, tuple[str, ...]]:
    """Metaphone code -> the words with it (built once per game, with its vocabulary)."""
    index: dict[str, list[str]] = defaultdict(list)
    for word in words:
        if word.isalpha():
            index[sound(word)].append(word)
    return {code: tuple(sorted(found)) for code, found in index.items()}


def sounds_like(word: str, index: dict[str, tuple[str, ...]], max_edits: int | None = None,
                min_code: int = 2) -> str | None:
    """The game word that sounds like `word`, starts with its letter, is spelled within `max_edits`
    of it (default: a third of its length, at least 2) and is closer in spelling than any other
    such word (edits, then letters in common: "tayk" is take, not tuck; the first letter may differ
    only one edit away: "cell" is sell); None when none or a tie, or
    when the sound is shorter than `min_code` letters ("kee" is only K)."""
    code = sound(word)
    if len(code) < min_code or _function_word_typo(word):
        return None
    limit = max(2, len(word) // 3) if max_edits is None else max_edits
    found = sorted((edits, Indel.distance(word, w), w) for w in index.get(code, ())
                   if w != word and (w[0] == word[0] or limit <= 1)  # "cell" -> sell: one letter off
                   and (edits := OSA.distance(word, w, score_cutoff=limit)) <= limit)
    if not found or (len(found) > 1 and found[0][:2] == found[1][:2]):
        return None
    return found[0][2]


_FUNCTION_WORDS = ("the", "and", "then", "to", "it", "of", "in", "on", "with", "at", "from", "for", "is", "my", "me",
                   "up", "out", "off", "its", "this", "that", "there", "by", "as", "an", "or", "so", "we", "be")


def _function_word_typo(word: str) -> bool:
    """"teh": a slip of "the", never "tea" ("by" itself is a word of its own)."""
    return word not in _FUNCTION_WORDS and any(
        len(f) == len(word) and OSA.distance(word, f, score_cutoff=1) <= 1 for f in _FUNCTION_WORDS)


def function_word_slip(word: str) -> str | None:
    """"form" -> from, "teh" -> the, "adn" -> and: the little word whose letters these are, swapped."""
    if len(word) < 3 or word in _FUNCTION_WORDS:
        return None
    found = [f for f in _FUNCTION_WORDS if sorted(f) == sorted(word) and OSA.distance(word, f) == 1]
    return found[0] if len(found) == 1 else None


def prefer_same_sound(word: str, closest: list[str]) -> list[str]:
    """Of several words equally close in spelling, the ones that also sound like `word`
    ("tak": take, not talk)."""
    same = [c for c in closest if sound(c) == sound(word)]
    return same or closest


def joined_verb(first: str, second: str, verbs: dict[str, tuple[str, ...]]) -> str | None:
    """Two dictated words that sound like one verb: "eggs amine" -> examine."""
    return sounds_like(first + second, verbs, max_edits=max(3, len(first + second) // 3))
