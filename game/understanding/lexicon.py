"""The verb lexicon: every way a player may say each of the engine's verbs.

Keyed by the engine's own action catalogue (`game.world.events.VERBS`): for each verb its plain
synonyms ("grab" -> take, here) and its frames (game.understanding.frame_table), whole sentence
shapes with slots that rewrite into the parser's canonical command ("use {y} to unlock {x}" ->
"unlock {x} with {y}"). A new verb or phrasing is one entry; a story adds its own verb synonyms in
YAML (`Story.verbs`).

Frame patterns are lowercase words over the normalised input (game.understanding.normalise):
  {x} {y}   a noun phrase (resolved later by the parser against what is here)
  {d}       a direction word ("north", "n", "in", "up"...)
  {w}       free words (a riddle answer, a topic)
  (a|b)     alternatives;  [a]  an optional word or phrase
The parser (game.understanding.parser) still resolves every noun and refuses what is not
here: a frame only changes word order and vocabulary, never the meaning. Tentative frames
(`tentative_frames`) give a second reading, tried only where the plain one would be refused and
kept only where the engine would carry it out ("put the key in the chest" when it is locked with it).

Deliberately left out: verbs the engine has no rule for (give, push, burn,
break...): they are left unknown so that the layer above asks back.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from game.understanding.frame_table import FRAMES, TENTATIVE_FRAMES

DIRECTIONS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "up", "down",
              "in", "out")
DIRECTION_WORDS = {
    "n": "north", "s": "south", "e": "east", "w": "west", "ne": "northeast", "nw": "northwest",
    "se": "southeast", "sw": "southwest", "u": "up", "d": "down", "north": "north", "south": "south",
    "east": "east", "west": "west", "northeast": "northeast", "northwest": "northwest", "southeast": "southeast",
    "southwest": "southwest", "up": "up", "down": "down", "in": "in", "inside": "in", "out": "out",
    "outside": "out", "upstairs": "up", "downstairs": "down",
}

# engine verb -> plain verb phrases that mean it (the longest phrase at the start of a command wins).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "take": ("take", "get", "grab", "snag", "gimme", "pick up", "collect", "pocket", "snatch", "nab", "fetch",
             "acquire", "obtain", "lift", "pluck", "scoop up", "gather", "retrieve", "steal", "carry", "hold",
             "yoink", "nick", "hoover up", "swipe", "bag", "pinch", "want", "pickup", "withdraw", "loot",
             "commandeer", "appropriate", "claim", "seize", "procure", "extract", "draw out",
             "dig out", "dig up", "yank", "yank out", "possess", "keep hold of", "hang on to", "hang onto",
             "hold on to"),
    "drop": ("drop", "let go of", "put down", "discard", "set down", "lay down", "leave", "throw away", "toss", "ditch",
             "chuck", "get rid of", "dump", "throw down", "release",
             "unload", "cast aside", "cast away", "set aside", "jettison", "abandon", "relinquish", "shed",
             "rid myself of", "part with", "dispose of"),
    "put": ("put", "place", "insert", "set", "lay", "stick", "slot", "rest", "stuff", "slide", "plop", "plonk", "stow",
            "deposit", "bung"),
    "examine": ("examine", "x", "exa", "exam", "ex", "look at", "inspect", "check", "study", "describe",
                "look closely at", "take a look at", "have a look at", "observe", "view", "search", "look over",
                "peer at",
                "look in", "look inside", "peek in", "peek into", "look into", "check out", "watch", "see",
                "investigate", "scrutinize", "scrutinise", "eye", "peep", "clock", "eyeball", "have a butchers at",
                "have a gander at", "have a squiz at", "have a dekko at", "have a peek at", "take a peek at",
                "suss out", "take a closer look at", "take closer look at", "have a closer look at", "contemplate",
                "ponder", "gaze at", "gaze upon", "gaze on", "look upon", "behold"),
    "look": ("look", "l", "look around", "look about", "glance around", "survey", "take a look around",
             "look around me", "look about me",
             "have a look around", "look round", "have a look round"),
    "inventory": ("inventory", "inv", "i", "check inventory", "check my inventory"),
    "read": ("read", "peruse", "decipher"),
    "open": ("open", "open up", "reopen", "pry open", "prise open", "unfasten", "unbuckle", "undo", "unseal"),
    "close": ("close", "shut", "seal", "fasten", "buckle"),
    "unlock": ("unlock", "unbolt", "unlatch"),
    "lock": ("lock", "secure", "bolt", "latch", "relock", "lock up"),
    "eat": ("eat", "feast on", "dine on", "consume", "devour", "gobble", "gobble up", "scoff", "wolf down",
            "polish off", "munch", "bite", "taste", "swallow", "nibble", "chew", "chow down on", "snack on",
            "finish off", "tuck into", "dig into", "bite into", "take a bite of", "take a bite out of", "scarf",
            "scarf down", "nom", "partake of", "savour", "savor", "ingest", "sample"),
    "drink": ("drink", "sip", "gulp", "quaff", "slurp", "swig"),
    "cut": ("slice", "dice", "chop"),
    "cook": ("cook", "roast", "fry", "grill", "bake", "heat", "toast", "boil", "sear", "brown", "saute", "broil",
             "warm", "warm up"),
    "prepare": ("prepare meal", "prepare", "make meal", "make the meal", "make a meal", "cook meal",
                "cook a meal", "cook the meal", "make dinner", "make food", "make a food", "make the food",
                "make some food", "cook dinner", "follow the recipe", "follow recipe", "whip up", "compose the meal",
                "compose meal", "assemble the meal", "assemble meal", "prepare a meal", "prepare the meal"),
    "light": ("light", "lite", "ignite", "kindle", "turn on", "switch on", "light up", "fire up", "set alight",
              "spark up", "spark"),
    "extinguish": ("extinguish", "douse", "blow out", "put out", "turn off", "switch off", "snuff", "snuff out"),
    "buy": ("buy", "purchase", "pay for", "shop for"),
    "sell": ("sell", "trade", "flog", "pawn", "vend"),
    "talk": ("talk to", "talk with", "speak to", "speak with", "talk", "greet", "ask", "chat with", "chat to",
             "have a word with", "have a chat with", "have a talk with", "strike up a conversation with",
             "say hello to", "say hi to", "hail", "address", "converse with", "question", "tell", "hello",
             "hi", "wave to", "have a chinwag with", "have a natter with", "natter with", "natter to",
             "chinwag with", "holla at", "chat up", "inquire of", "enquire of"),
    "answer": ("answer", "say", "reply", "shout", "whisper", "speak", "utter", "respond", "yell", "call out",
               "cry", "guess"),
    "wait": ("wait", "z", "rest", "sleep", "pause", "sit", "relax", "wait a bit", "wait a while", "wait for a while",
             "kill time", "bide my time", "pass time", "pass some time", "take a break", "take a nap", "nap",
             "chill", "afk", "bide our time", "bide time", "hang about", "hang around"),
    "lore": ("lore", "recall", "remember", "consult lore about"),
    "go": ("go", "walk", "run", "head", "move", "climb", "travel", "enter", "go to", "walk to", "go through",
           "push through", "pass through", "squeeze through", "step through", "slip through",
           "step", "proceed", "stroll", "wander", "march", "hurry", "dash", "jog", "sprint", "venture", "journey",
           "make way", "make your way", "make my way", "return", "go back", "head back", "walk back", "leave for",
           "visit", "crawl", "sneak", "hike", "follow", "take the path", "take path", "set off", "set out",
           "stride", "trudge", "saunter", "amble", "make for", "traverse"),
    "go out": ("exit", "leave the room", "get out", "go outside", "bounce", "scram", "skedaddle", "leg it",
               "make tracks", "clear off", "head off", "split",
               "back out", "back out of here", "get out of here", "step outside", "head outside", "walk outside"),
    "go down": ("descend", "climb down", "go downstairs"),
    "go up": ("ascend", "climb up", "go upstairs"),
}

_PARTICLES = frozenset({"at", "in", "into", "inside", "under", "over", "through", "around", "round", "about", "up",
                        "down", "out", "to", "with", "on", "off", "closely"})
_SLOTS = {"x": r"(?P<x>.+?)", "y": r"(?P<y>.+?)", "w": r"(?P<w>.+?)",
          "d": "(?P<d>" + "|".join(sorted(DIRECTION_WORDS, key=len, reverse=True)) + ")"}


@dataclass(frozen=True)
class Frame:
    pattern: str
    canonical: str
    regex: re.Pattern

    def rewrite(self, text: str) -> str | None:
        match = self.regex.match(text)
        if match is None:
            return None
        slots = {k: v.strip() for k, v in match.groupdict().items() if v is not None}
        if "d" in slots:
            slots["d"] = DIRECTION_WORDS[slots["d"]]
        return self.canonical.format(**slots)


def _longest_first(match: re.Match) -> str:
    """'(on|on top of)' -> '(on top of|on)': the regex takes the first alternative that fits."""
    return "(" + "|".join(sorted(match.group(1).split("|"), key=len, reverse=True)) + ")"


def compile_pattern(pattern: str) -> re.Pattern:
    """Frame syntax -> an anchored regex over normalised text (single spaces, lowercase)."""
    out = re.sub(r"\(([^()\[\]{}]*)\)", _longest_first, pattern)
    out = re.sub(r"\[([^()\[\]{}]*)\]", lambda m: "[" + _longest_first(m)[1:-1] + "]", out)
    # an optional part at the start carries the space after it ("[now] [do] the same"), any other one the
    # space before it ("over [to {y}] [for gold]"), so optional parts in a row, or at the end, still match
    lead = re.match(r"(?:\[[^\[\]]*\] )*", out).group(0)
    rest = re.sub(r" \[([^\[\]]*)\]", "\x04\\1\x05", out[len(lead):])
    out = re.sub(r"\[([^\[\]]*)\] ", "\x02\\1\x03", lead) + rest
    out = out.replace("[", "(?:(?:").replace("]", "))?")
    out = out.replace("\x02", "(?:(?:").replace("\x03", ")\x06)?").replace("\x04", "(?:\x06(?:").replace("\x05", "))?")
    out = re.sub(r"\((?!\?)", "(?:", out)
    out = re.sub(r"\{(\w)\}", lambda m: _SLOTS[m.group(1)], out)
    out = out.replace(" ?", "\\s*").replace(" ", "\\s+").replace("\x06", "\\s+")
    return re.compile("^" + out + "$")


_SEPARABLE = ("out", "off", "up", "down", "on", "away", "over")  # "on" only for turn and switch: "feast on" holds on


def separated_frames() -> list[tuple[str, str]]:
    """A phrasal verb with its thing in the middle: "put out" -> "put {x} out", "switch {x} on", "wolf {x} down"."""
    out = []
    for verb, phrases in SYNONYMS.items():
        if verb in ("go", "go out", "go up", "go down", "look", "inventory", "wait", "prepare", "answer", "talk"):
            continue
        for phrase in phrases:
            words = phrase.split()
            if len(words) == 2 and words[1] in _SEPARABLE and (words[1] != "on" or words[0] in ("turn", "switch")):
                out.append((f"{words[0]} {{x}} {words[1]}", f"{verb} {{x}}"))
    return out


@lru_cache(maxsize=1)
def frames() -> tuple[Frame, ...]:
    """The frame table, then the separated phrasal verbs (a written frame says it first and wins)."""
    return tuple(Frame(p, c, compile_pattern(p)) for p, c in [*FRAMES, *separated_frames()])


@lru_cache(maxsize=1)
def tentative_frames() -> tuple[Frame, ...]:
    """Frames for a second reading, tried when the plain one would be refused (frame_table.TENTATIVE_FRAMES)."""
    return tuple(Frame(p, c, compile_pattern(p)) for p, c in TENTATIVE_FRAMES)


def verb_synonyms(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Player verb phrase -> engine verb (or "go out" style fixed moves); a story's own entries win."""
    table = {phrase: verb for verb, phrases in SYNONYMS.items() for phrase in phrases}
    table.update(extra or {})
    return table


@lru_cache(maxsize=8192)
def verbs_for_word(word: str) -> frozenset[str]:
    """Every engine verb a single word can stand for ("grab" -> {take}); empty for non-verbs.

    A word that is a verb by itself means only that ("take", never examine for being the start of
    "take a look at"); other words count by the phrases and frames they begin ("pick" -> take)."""
    table = verb_synonyms()
    alone = {table[word].split()[0]} if word in table else set()
    if alone:  # and the particle verbs it starts: "look" -> look, and examine for "look at"
        alone |= {verb.split()[0] for phrase, verb in table.items()
                  if phrase.split()[0] == word and set(phrase.split()[1:]) <= _PARTICLES}
        return frozenset(alone)
    found: set[str] = set()
    for phrase, verb in table.items():
        if phrase.split()[0] == word:
            found.add(verb.split()[0])
    for pattern, canonical in FRAMES:
        first = re.findall(r"[a-z]+", pattern.split()[0])
        if word in first:
            verb = canonical.split()[0]
            found.add(table.get(verb, verb).split()[0])
    return frozenset(found)


def verbs_said_whole(text: str, extra: dict[str, str] | None = None) -> frozenset[str]:
    """Engine verbs whose whole phrase is in the words, as a synonym or as the verb a frame opens with
    ("tuck into the stew" -> eat, "hand over the bangle" -> sell; "tuck it under my arm" has only the first
    word of "tuck into", which says no eating): what a costly deed needs to be done."""
    said = f" {text} "
    table = verb_synonyms(extra)
    found = {verb.split()[0] for phrase, verb in table.items() if f" {phrase} " in said}
    for opening, verb in _frame_openings():
        if f" {opening} " in said:
            found.add(table.get(verb, verb).split()[0])
    return frozenset(found)


@lru_cache(maxsize=1)
def _frame_openings() -> tuple[tuple[str, str], ...]:
    """(words a frame opens with, its engine verb): "(sell|trade|offer|hand over) {x} ..." -> ("hand over", sell)."""
    out = []
    for pattern, canonical in FRAMES:
        group = re.match(r"^\(([a-z |]+)\)", pattern) or re.match(r"^([a-z]+)", pattern)
        if group:
            out += [(alternative.strip(), canonical.split()[0]) for alternative in group.group(1).split("|")
                    if set(alternative.split()) - _FUNCTION_WORDS]
    return tuple(out)


# words that open frames without saying any deed ("(i|we) ...", "(what|whats) ...")
_FUNCTION_WORDS = frozenset({"i", "we", "you", "the", "a", "an", "my", "your", "what", "whats", "is", "it", "its",
                             "do", "does", "did", "can", "could", "would", "where", "how", "who", "which", "there",
                             "this", "that", "to", "of", "in", "on", "at", "and", "or", "im", "id", "ill", "me", "so",
                             "ok", "now", "please", "just", "let", "lets", "s", "m", "d", "ll", "am", "are", "be"})
