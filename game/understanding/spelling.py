"""Spelling: one word -> the form this game knows (word forms, typos, words spelled by ear).

  word forms   "westwards" -> west, "heading" -> head, "keys" -> key, "took" -> take
  typos        "notrh" -> north, "firdge" -> fridge: only onto words of this game (its names,
               aliases, adjectives, rooms and the verb lexicon), only for words English does not
               know as they are (wordfreq), and only when one candidate is clearly closest
               (rapidfuzz's optimal-string-alignment distance)
  by ear       "tayk" -> take, "tinderbocks" -> tinderbox (game.understanding.sounds)

`GameWords` is what a game knows, built once per loaded story (`per_story`).

Deliberately left out: the line around the word (filler, compounds, riddle answers that must not be
"fixed": game.understanding.normalise decides which words are given to `fix_word`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from game.understanding.cleaning import clean
from game.understanding.frame_table import FRAMES
from game.understanding.lexicon import DIRECTION_WORDS, SYNONYMS
from game.understanding.senses import verb_lemmas
from game.understanding.sounds import by_sound, prefer_same_sound, sound, sounds_like
from game.world.answers import singular
from game.world.model import Story

_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
_DIRECTION_FORM = re.compile(r"^(north|south|east|west|northeast|northwest|southeast|southwest)(wards?|erly|ern)$")
_PAST = {"took": "take", "went": "go", "lit": "light", "left": "leave", "got": "get", "ate": "eat", "drank": "drink",
         "sold": "sell", "bought": "buy", "gave": "give", "spoke": "speak", "said": "say", "ran": "run",
         "put": "put", "shut": "shut", "read": "read", "grabbed": "grab", "dropped": "drop", "stepped": "step",
         "climbed": "climb", "knelt": "kneel", "struck": "strike", "told": "tell", "came": "come", "used": "use"}

@dataclass(frozen=True)
class GameWords:
    """Every word this game knows: what typos may be corrected to."""
    words: frozenset[str]
    verb_starts: frozenset[str]  # first words of verb phrases and frames: where a new command can begin
    choices: tuple[str, ...]
    sounds: dict[str, tuple[str, ...]]  # how the choices sound: "tayk" -> take (game.understanding.sounds)
    verb_sounds: dict[str, tuple[str, ...]]
    names: frozenset[str] = frozenset()  # words of things' and rooms' names: what follows "the"


@lru_cache(maxsize=32)
def _lexicon_words() -> tuple[frozenset[str], frozenset[str]]:
    words, starts = set(DIRECTION_WORDS), set(DIRECTION_WORDS)
    for phrases in SYNONYMS.values():
        for phrase in phrases:
            words |= set(phrase.split())
            starts.add(phrase.split()[0])
    for pattern, _ in FRAMES:
        literal = re.sub(r"\{\w\}", " ", pattern)
        words |= set(re.findall(r"[a-z]+", literal))
        head = pattern.split()[0]
        starts |= set(re.findall(r"[a-z]+", head)) if not head.startswith("{") else set()
    meta = {"look", "inventory", "help", "save", "load", "restore", "undo", "redo", "retry", "again", "quit",
            "transcript", "oops"}
    words |= meta
    starts |= meta | {"i", "g", "whats", "what", "where", "who", "how", "is", "its"}
    return frozenset(words), frozenset(starts)


_STORY_CACHE: dict[tuple[int, str], tuple[Story, object]] = {}


def per_story(story: Story, name: str, build):
    """`build(story)` once per loaded story (a Story never changes after loading)."""
    cached = _STORY_CACHE.get((id(story), name))
    if cached is not None and cached[0] is story:
        return cached[1]
    if len(_STORY_CACHE) > 128:
        _STORY_CACHE.clear()
    value = build(story)
    _STORY_CACHE[(id(story), name)] = (story, value)
    return value


def game_words(story: Story) -> GameWords:
    return per_story(story, "game_words", _build_game_words)


def _build_game_words(story: Story) -> GameWords:
    lexicon, starts = _lexicon_words()
    names: set[str] = set()
    things = [*story.items, *story.doors, *story.characters, *story.riddles]
    for thing in things:
        for phrase in [thing.name, *thing.aliases, *getattr(thing, "adjectives", [])]:
            names |= set(clean(phrase).split())
    for room in story.rooms:
        names |= set(clean(room.name).split()) | {clean(a) for a in getattr(room, "aliases", [])}
    words = set(lexicon) | names
    extra = getattr(story, "verbs", {}) or {}
    for phrase in extra:
        words |= set(clean(phrase).split())
        starts = starts | {clean(phrase).split()[0]}
    forms = {d + end for d in ("north", "south", "east", "west") for end in ("ward", "wards")}
    # "pelase", "kiindly", "possbile": fixed, then dropped as filler
    courtesy = {"please", "thanks", "thank", "kindly", "shall", "would", "possible", "alright", "okay"}
    choices = tuple(sorted({w for w in words if len(w) >= 3 and w.isalpha()} | forms | courtesy))
    verbs = [w for w in starts if len(w) >= 3]
    return GameWords(frozenset(words), frozenset(starts), choices, by_sound(choices), by_sound(verbs), frozenset(names))


@lru_cache(maxsize=4096)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # here, not at the top: importing it takes 0.14 s

    return zipf_frequency(word, "en")


def _english(word: str) -> bool:
    """A word English uses as it is ("stroll", "form"): never 'corrected' into a game word."""
    return zipf(word) >= 2.5


def a_word(word: str, story: Story) -> bool:
    """A word of English (in wordfreq's list at all) or of this game: "breeze" may answer a riddle,
    "jfkdlsa" may not."""
    from wordfreq import zipf_frequency

    answers = per_story(story, "answer_words", lambda s: frozenset(
        w for r in s.riddles for a in [*r.answers, *r.synonyms] for w in clean(a).split()))
    return word in game_words(story).words or word in answers or zipf_frequency(word, "en") > 0


def fix_word(word: str, known: GameWords, english_too: bool = False, first: bool = False,
             noun: bool = False, after_name: bool = False) -> tuple[str, str | None]:
    """(word, kind of change or None) for one word. `english_too`: also words English knows
    ("alter" -> altar), only at distance 1 — the layer above tries that after all else failed. `noun`: after an
    article or a preposition; `after_name`: beside a word of a thing's name ("spherical cest", "cest drawer"), where a
    thing's word is likelier than a way or a verb, though a past tense still says how it is ("the door unlocked")."""
    if word in known.verb_starts or not word.isalpha():
        return word, None
    if first and english_too and not verb_lemmas(word):  # dictated homophones: "by the lamp", "cell the bangle"
        same = sounds_like(word, known.verb_sounds, 1, min_code=1)
        if same:
            return same, "sound"
    # walked -> walk, opened -> open, dropped -> drop, lifted -> lift; not after "the" ("the polished lamp")
    if word.endswith("ed") and len(word) > 4 and not noun:
        stem = word[:-2]  # "used", "closed" too, though frames name them ("what is it used for")
        for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                          stem[:-1] + "y" if stem.endswith("i") else ""):
            if candidate and candidate in known.verb_starts:
                return candidate, "form"
        fixed = _typo_in_form(word, stem, known)  # "graabbed", "palced"
        if fixed:
            return fixed, "typo"
    if first and word.endswith("s") and len(word) > 3:  # "my character opens the door": "the hero fries it"
        for candidate in (word[:-1], word[:-2] if word.endswith("es") else "",
                          word[:-3] + "y" if word.endswith("ies") else ""):
            if candidate and candidate in known.verb_starts:
                return candidate, "form"
    if word in known.words:
        return word, None
    form = _DIRECTION_FORM.match(word)
    if form:
        return form.group(1), "form"
    if word in _PAST:  # "I took the key", "I lit the lantern"
        return _PAST[word], "form"
    compass = [d for d in ("north", "south", "east", "west") if sorted(d) == sorted(word) and d != word]
    if compass:  # "eats", "tsew": two letters swapped in a direction, even where English has the word
        return compass[0], "typo"
    if word.endswith("ing") and len(word) > 5:  # heading -> head, taking -> take, running -> run
        stem = word[:-3]
        for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
            if candidate and candidate in known.verb_starts:
                return candidate, "form"
        fixed = _typo_in_form(word, stem, known)  # "takiing", "opneing"
        if fixed:
            return fixed, "typo"
    base = singular(word)
    if base != word and base in known.words:
        return base, "form"
    if len(word) >= 5 and word.endswith("y") and word[:-1] in known.words:  # "the windy shard"
        return word[:-1], "form"
    if len(word) < 3:
        return word, None
    if _english(word) and not (english_too and len(word) >= 5):
        same = _heard(word, known, first, english=True) if english_too else None  # "reed", "kee"
        return (same, "sound") if same else (word, None)
    if any(word.startswith(prefix) and word[len(prefix):] in known.verb_starts for prefix in ("un", "dis")):
        return word, None  # "unclose" means open: dropping the prefix as a typo would reverse the deed
    limit = 1 if len(word) <= 6 or english_too else 2  # three letters: only a unique word one edit away
    hits = process.extract(word, known.choices, scorer=OSA.distance, score_cutoff=limit, limit=3)
    swapped = {h[0] for h in hits if sorted(h[0]) == sorted(word)}
    if len(swapped) == 1:  # "cuhck": chuck (two letters swapped) over cook (sounds alike)
        form = _DIRECTION_FORM.match(fixed := swapped.pop())
        return (form.group(1) if form else fixed), "typo"
    same = _heard(word, known, first, english=False)
    if not hits or (first and same and all(sound(h[0]) != sound(word) for h in hits)):
        return (same, "sound") if same else (word, None)  # "tayk": take (sounds the same) over talk (spelled near)
    best = min(h[1] for h in hits)
    closest = [h[0] for h in hits if h[1] == best]
    if len(closest) > 1:  # "raed": read (two letters swapped) over red (one dropped)
        closest = [c for c in closest if sorted(c) == sorted(word)] or closest
    if len(closest) > 1 and first:  # "tak": take (sounds the same) over talk, in the verb's place
        closest = prefer_same_sound(word, closest)
    if len(closest) > 1 and (noun or after_name):  # "the stve": the stove (a thing) over save (a verb)
        closest = [c for c in closest if c in known.names] or closest
    if len(closest) > 1:  # "noth": north over not; the compass is what players mistype most
        closest = [c for c in closest if _DIRECTION_FORM.match(c) or c in _COMPASS] or closest
    if len(closest) == 1:
        form = _DIRECTION_FORM.match(closest[0])
        return (form.group(1) if form else closest[0]), "typo"
    return word, None


def _typo_in_form(word: str, stem: str, known: GameWords) -> str | None:
    """The verb a mistyped past tense or -ing form was made from ("graabbed" -> grab, "takiing" -> take); None when
    the word is English as it is, or no one stem is one typo from a verb."""
    if _english(word):
        return None
    single = re.sub(r"([a-z])\1", r"\1", stem)  # "taaking": a letter doubled by a slip, before any other typo
    if single != stem and (single in known.verb_starts or single + "e" in known.verb_starts):
        return single if single in known.verb_starts else single + "e"
    for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        fixed, kind = fix_word(candidate, known) if len(candidate) >= 4 else (candidate, None)
        if kind == "typo" and fixed in known.verb_starts:
            return fixed
    return None


def _heard(word: str, known: GameWords, first: bool, english: bool) -> str | None:
    """The game word a player spelling by ear meant ("tayk", "tinderbocks"; in a command's first place,
    a verb). A word English knows only becomes a much commoner one a letter away ("reed" -> read, "kee" ->
    key; "loud" stays); a word English uses at all, rarely, stays as it is ("donde" is no "dont")."""
    if english:
        same = (first and sounds_like(word, known.verb_sounds, 1, min_code=1)) or \
            sounds_like(word, known.sounds, 1, min_code=1)
        return same if same and zipf(same) - zipf(word) >= 1 else None
    if zipf(word) >= 1:
        return None
    return (first and sounds_like(word, known.verb_sounds, max(3, len(word) // 3))) or sounds_like(word, known.sounds)
