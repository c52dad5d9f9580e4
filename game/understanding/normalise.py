"""Normalisation: the player's raw line -> plain commands in the game's own words.

Before anything tries to understand a line, it is cleaned the same way every
time: Unicode folded, control characters and punctuation dropped, lowercase,
apostrophes removed ("what's" -> "whats"), cut to `MAX_INPUT_CHARS`; split into
commands ("take the lamp and go north", "n, then e": game.understanding.splitting, above this
module, since a list of things needs the parser); stripped of politeness and filler ("please",
"i want to", "let's", "could you"); and each word brought to a form the game knows:

  word forms   "westwards" -> west, "heading" -> head, "keys" -> key
  typos        "notrh" -> north, "firdge" -> fridge: only onto words of this
               game (its names, aliases, adjectives, rooms and the verb
               lexicon), only for words English does not know as they are
               (wordfreq), and only when one candidate is clearly closest
               (rapidfuzz's optimal-string-alignment distance)

Every change is recorded (`Normalised.changes`) so the layer above can say
what it understood and the benchmark can count what each step settles.

Deliberately left out: pronouns, "again" and "oops" (they need the previous
turn: game.understanding), and any change to riddle answers beyond this
cleaning: the engine judges answers, a spelling fix must not make one right.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from game.understanding.frame_table import FRAMES
from game.understanding.lexicon import DIRECTION_WORDS, SYNONYMS
from game.understanding.senses import verb_lemmas
from game.understanding.sounds import (
    by_sound,
    function_word_slip,
    joined_verb,
    prefer_same_sound,
    sound,
    sounds_like,
    spoken_punctuation,
)
from game.world.answers import singular
from game.world.model import Story

MAX_INPUT_CHARS = 300
ARTICLES = frozenset({"the", "a", "an", "some", "my", "that", "this", "your", "these", "those"})
# Said before the command: dropped, longest first, repeatedly ("ok so please could you take...").
FILLER_BEFORE = tuple(sorted((
    "please", "pls", "plz", "kindly", "now", "then", "ok", "okay", "so", "and", "well", "hmm", "um", "uh", "oh",
    "alright", "right", "yes", "yeah", "also", "thanks", "thank you", "cool", "great", "nice", "time to", "next",
    "first", "finally", "after that", "and then",
    "i want to", "i wanna", "i would like to", "i d like to", "id like to", "i would", "i will", "ill", "i ll",
    "lets", "let s", "let me", "let us", "i am going to", "im going to", "i m going to", "im gonna", "i m gonna",
    "i am gonna", "gonna", "going to", "i need to", "i have to", "i must", "i should", "we should", "i try to",
    "try to", "try and", "attempt to", "i attempt to", "go and", "carefully", "quickly", "slowly", "quietly",
    "gently", "just", "simply", "could you", "can you", "would you", "will you", "would you be so kind as to",
    "would you be so good as to", "be so kind as to", "be so good as to", "can i", "could i", "may i",
    "shall i", "shall we", "should i", "i can", "i decide to", "i choose to", "maybe i should", "i think ill",
    "i think i will", "i think i ll", "you", "we", "to", "how about", "what about", "i am", "im", "i m",
    "obviously", "of course", "surely", "definitely", "clearly", "probably", "honestly", "anyway", "hmm ok",
    "i think", "having", "then i", "so i", "and i", "i then", "i believe", "i reckon", "i suppose", "i feel like",
    # texting and slang: said around the command, never part of it
    "ngl", "tbh", "lol", "lmao", "yo", "oi", "imma", "ima", "lemme", "gotta", "i gotta", "tryna", "im tryna",
    "i should think", "right then", "go on", "go on then", "ok then", "alright then", "fine", "sure", "maybe",
    "i shall", "we shall", "i should like to", "me", "brb", "omw", "is it possible to", "is it possible for me to",
    "would it be possible to", "would it be possible for me to", "is it alright for me to", "is it alright if i",
    "is it okay if i", "is it ok if i", "is it okay for me to", "is it ok for me to", "would it be alright if i",
    "would it be okay if i", "would it be ok if i", "is it alright to", "is it okay to", "is it ok to",
    "i would very much like to", "i would really like to",
    "id really like to", "i really want to", "id love to", "i would love to",
    "i guess", "i guess ill", "i guess i ll", "i guess i will", "guess ill", "best to", "probably best to",
    "id better", "i d better", "i better", "i had better", "better",
    "game", "hey game", "narrator",  # the game addressed: "okay game, open the safe for me"
    "k", "kk", "okie", "oki", "xd",
    "next up", "up next", "come on", "cmon", "ugh", "jeez", "geez", "ffs", "sheesh", "great", "oh great",
    "seriously", "whatever", "sure whatever", "sigh", "my next move is", "my next move is to", "next move",
    "my plan is to", "the plan is to", "time to", "its time to", "right so",
), key=lambda p: -len(p)))
FILLER_AFTER = tuple(sorted((
    "please", "pls", "now", "for me", "if you can", "if possible", "thanks", "thank you", "right now",
    "quickly", "carefully", "at once", "again", "too", "as well", "ok", "okay", "maybe", "perhaps", "i think",
    "i guess", "right", "or what", "i suppose", "obviously", "of course", "surely", "i reckon", "i believe",
    "definitely", "clearly", "probably", "for sure", "i bet", "dont you think", "i hope", "first", "at first",
    "to begin with",
    "afterwards", "already", "yet", "then", "next",
    "obvs", "innit", "ofc", "duh", "lol", "lmao", "tbh", "ngl", "rn", "fr", "imo", "deffo", "mate", "eh", "yeah",
    "cheers", "ta", "thx", "ty", "thank you very much", "thanks very much", "thanks a lot", "perchance", "actually",
    "do you reckon", "shall we", "if you would", "if you please", "just yet", "just now", "until it is cooked",
    "until its cooked", "until cooked", "until done", "until it is done", "until its done", "for now", "for a sec",
    "for a bit", "for a min", "for a moment", "a min", "a sec", "a tick", "a moment", "a mo", "out loud", "aloud",
    "um", "uh", "er", "erm", "hmm", "brb", "ty", "here", "from here", "just here", "right here", "i know it",
    "i knew it", "i know", "i got it",
    "from my hand", "from my hands", "if thats alright", "if thats ok", "if thats okay", "if thats all right",
    "if i may", "if you dont mind",
    "lets try that", "let s try that", "lets try it", "let s try it", "lets do that", "let s do that", "lets do it",
    "let s do it", "try that", "worth a try", "worth a shot", "go for it",  # "probably west? let's try that"
    "xd", "xp", "haha", "hehe", "yay", "woo", "woohoo",
    "come on", "cmon", "already", "ffs", "jeez", "geez", "ugh",
), key=lambda p: -len(p)))
# "I put the knife down", "my character opens the door": the narrator is the player, the verb's form is mended later
_LEADING = FILLER_BEFORE + ("i", "we", "my character", "my char", "my guy", "my hero", "the hero", "our hero",
                            "the player", "my player", "my avatar")
FILLER_WORDS = frozenset(p for p in FILLER_BEFORE + FILLER_AFTER if " " not in p)
_FILLER_SET = frozenset(FILLER_BEFORE + FILLER_AFTER)
_BEFORE = re.compile("^(?:" + "|".join(re.escape(p) for p in sorted(_LEADING, key=lambda p: -len(p))) + ") ")
_AFTER = re.compile(" (?:" + "|".join(re.escape(p) for p in FILLER_AFTER) + ")$")
_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
_DIRECTION_FORM = re.compile(r"^(north|south|east|west|northeast|northwest|southeast|southwest)(wards?|erly|ern)$")
_PAST = {"took": "take", "went": "go", "lit": "light", "left": "leave", "got": "get", "ate": "eat", "drank": "drink",
         "sold": "sell", "bought": "buy", "gave": "give", "spoke": "speak", "said": "say", "ran": "run",
         "put": "put", "shut": "shut", "read": "read", "grabbed": "grab", "dropped": "drop", "stepped": "step",
         "climbed": "climb", "knelt": "kneel", "struck": "strike", "told": "tell", "came": "come", "used": "use"}
# A line that says how things are, not what to do: "it's dark down there, so I light my lantern".
STATEMENTS = ("its ", "it is ", "it s ", "thats ", "that is ", "there is ", "theres ", "there are ", "this is ",
              "i see ", "i can see ", "i hear ", "i saw ", "looks like ", "seems ")


@dataclass
class Normalised:
    text: str  # the command, normalised
    raw: str  # the part of the player's line it came from
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, before, after)


_SHORTHAND = re.compile(r"(?<![a-z])w/(?=\s|$)|&|\bwith (?:the )?help of\b|"
                        r"(?<=[a-z]{3} )w(?= [a-z])")  # "dice the onion w knife"; "n w e", "go w" stay west


def _expand(text: str) -> str:
    """'w/' and "with the help of" -> with, '&' -> and (before punctuation goes: 'w/' would read as 'w', west)."""
    return _SHORTHAND.sub(lambda m: " and " if m.group(0) == "&" else " with ", text)


# Texting spellings of ordinary words ("u" stays: it is also "up")
SPELLED_OUT = {"wat": "what", "wot": "what", "ur": "your", "prob": "probably", "probs": "probably", "cos": "because",
               "coz": "because", "bc": "because", "rly": "really", "abt": "about", "bout": "about", "thru": "through",
               "tho": "though", "plz": "please", "pls": "please", "wanna": "want to", "lemme": "let me", "frm": "from",
               "outa": "out of", "em": "them"}


_STRETCHED = re.compile(r"([a-z])\1{2,}")  # "ooopen", "LOOOCK": two of a letter at most


def clean(text: str, keep: str = "") -> str:
    """Lowercase words and digits only; control characters and punctuation become spaces
    (but the characters in `keep`: the splitter keeps ", ; ."); texting spellings spelled out."""
    text = spoken_punctuation(_expand(unicodedata.normalize("NFKC", text)[:MAX_INPUT_CHARS].lower()))
    text = _STRETCHED.sub(r"\1\1", text.replace("\u2019", "'").replace("\u2018", "'").replace("'", ""))
    text = "".join(ch if ch.isalnum() or ch == " " or ch in keep else " " for ch in text)
    return " ".join(SPELLED_OUT.get(word, word) for word in text.split())


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
             noun: bool = False) -> tuple[str, str | None]:
    """(word, kind of change or None) for one word. `english_too`: also words English knows
    ("alter" -> altar), only at distance 1 — the layer above tries that after all else failed."""
    if word in known.verb_starts or not word.isalpha():
        return word, None
    if first and english_too and not verb_lemmas(word):  # dictated homophones: "by the lamp", "cell the bangle"
        same = sounds_like(word, known.verb_sounds, 1, min_code=1)
        if same:
            return same, "sound"
    if word.endswith("ed") and len(word) > 4:  # walked -> walk, opened -> open, dropped -> drop, lifted -> lift,
        stem = word[:-2]  # "used", "closed" too, though frames name them ("what is it used for")
        for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                          stem[:-1] + "y" if stem.endswith("i") else ""):
            if candidate and candidate in known.verb_starts:
                return candidate, "form"
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
    limit = 1 if len(word) <= 6 or english_too else 2  # three letters: only a unique word one edit away
    hits = process.extract(word, known.choices, scorer=OSA.distance, score_cutoff=limit, limit=3)
    same = _heard(word, known, first, english=False)
    if not hits or (first and same and all(sound(h[0]) != sound(word) for h in hits)):
        return (same, "sound") if same else (word, None)  # "tayk": take (sounds the same) over talk (spelled near)
    best = min(h[1] for h in hits)
    closest = [h[0] for h in hits if h[1] == best]
    if len(closest) > 1:  # "raed": read (two letters swapped) over red (one dropped)
        closest = [c for c in closest if sorted(c) == sorted(word)] or closest
    if len(closest) > 1 and first:  # "tak": take (sounds the same) over talk, in the verb's place
        closest = prefer_same_sound(word, closest)
    if len(closest) > 1 and noun:  # "the stve": the stove (a thing) over save (a verb), after an article
        closest = [c for c in closest if c in known.names] or closest
    if len(closest) > 1:  # "noth": north over not; the compass is what players mistype most
        closest = [c for c in closest if _DIRECTION_FORM.match(c) or c in _COMPASS] or closest
    if len(closest) == 1:
        form = _DIRECTION_FORM.match(closest[0])
        return (form.group(1) if form else closest[0]), "typo"
    return word, None


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


def without_tail(text: str) -> str:
    """The words without what is said after a command ("thx", "for now")."""
    match = _AFTER.search(text)
    return without_tail(text[: match.start()]) if match else text


def strip_filler(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        if text in _FILLER_SET:
            return ""
        match = _BEFORE.match(text)  # one alternation, longest phrase first, instead of a loop over ~300
        if match:
            text, changed = text[match.end():], True
        match = _AFTER.search(text)
        if match:
            text, changed = text[: match.start()], True
    return text


def join_compounds(text: str, known: GameWords) -> str:
    """'drop the tinder box' -> 'drop the tinderbox': one word of the game typed as two."""
    words = text.split(" ")
    for i in range(len(words) - 1, 0, -1):
        joined = words[i - 1] + words[i].strip(",;.")
        if len(joined) >= 6 and min(len(words[i - 1]), len(words[i])) >= 3 and joined in known.words:
            words[i - 1:i + 1] = [joined + words[i][len(words[i].rstrip(",;.")):]]
    return " ".join(words)


_TOPICS = ("lore ", "recall ", "remember ", "tell me about ", "tell me of ", "whats the story", "what is the story",
           "the story of ", "history of ", "the history of ", "whats the history", "what is the history")


def normalise_command(raw: str, story: Story, english_too: bool = False, keep_filler: bool = False) -> Normalised:
    """One command (already split off its line) in the game's words."""
    known = game_words(story)
    text = clean(raw)
    result = Normalised(text, raw)
    stripped = text if keep_filler else strip_filler(text)
    if stripped != text:
        result.changes.append(("filler", text, stripped))
    words = [w for i, w in enumerate(stripped.split())  # "chop chop the apple"; "go up up" is two moves
             if i == 0 or w != stripped.split()[i - 1] or w in DIRECTION_WORDS or w.isdigit()]
    words = [slip if english_too and w not in known.words and (slip := function_word_slip(w)) else w
             for w in words]  # "form the fridge", "teh meal": letters swapped in a little word
    joined = join_compounds(" ".join(words), known)
    if joined != " ".join(words):
        result.changes.append(("form", " ".join(words), joined))
        words = joined.split()
    if english_too and len(words) >= 2 and words[0] not in known.verb_starts and words[1] not in known.words:
        joined = joined_verb(words[0], words[1], known.verb_sounds)  # dictated: "eggs amine the mural"
        if joined:
            result.changes.append(("sound", " ".join(words[:2]), joined))
            words = [joined, *words[2:]]
    answering = bool(words) and (words[0] in ("answer", "say", "reply") or stripped.startswith(
        ("the answer is", "my answer is", "i think its", "its "))
        or (stripped.startswith("is it ") and len(words) <= 4))  # "is it wind?", not "is it possible to ..."
    answering = answering or stripped.startswith(_TOPICS)  # a lore topic is as free as an answer: "Qasr al-Rih"
    fixed = []
    for i, word in enumerate(words):
        new, kind = (word, None) if answering else fix_word(word, known, english_too, first=i == 0,
                                                             noun=i > 0 and words[i - 1] in ARTICLES)
        if kind:
            result.changes.append((kind, word, new))
        fixed.append(new)
    result.text = " ".join(fixed) if keep_filler or answering else strip_filler(" ".join(fixed))  # "key pelase"
    return result
