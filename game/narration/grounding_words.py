"""Word lists and patterns for game.narration.grounding: what counts as a direction, a number, a deed, ambience.

Deliberately left out: any logic (game.narration.grounding uses these) and other languages than English.
"""
from __future__ import annotations

import re

from agent.tools.numbers_said import SPELLED_NUMBERS

# Aliases that are everyday words far more often than they name the thing ("your skin", "you notice").
GENERIC_ALIASES = frozenset({"water", "wall", "walls", "post", "sign", "notice", "skin", "board", "bag", "painting"})
COMPASS = {"north": "north", "south": "south", "east": "east", "west": "west", "northeast": "northeast",
           "northwest": "northwest", "southeast": "southeast", "southwest": "southwest"}
COMPASS_RE = re.compile(r"\b(north|south)[- ]?(east|west)(?:ern|ward|wards)?\b|\b(north|south|east|west)"
                         r"(?:ern|erly|ward|wards)?\b", re.I)
NUMBER_WORDS = {w: n for w, n in SPELLED_NUMBERS.items() if w != "one"}  # "one" is rarely a number in prose
NUMBER_WORDS.update({"hundred": 100, "thousand": 1000, "dozen": 12, "twice": 2})
NUMBER_RE = re.compile(r"\b\d+\b|\b(?:" + "|".join(NUMBER_WORDS) + r")(?:-(?:" + "|".join(
    w for w in NUMBER_WORDS if NUMBER_WORDS[w] < 10) + r"))?\b", re.I)
CALL_RE = re.compile(r"\[|\]|->|\b[A-Z]\w*\(|\b(?:Calculator|LoreSearch|Calendar)\b|\b(?:[Dd]ice|[Cc]alculator)\s*\(")
PROMPT_RE = re.compile(
    r"you are (?:the|a|an) (?:narrator|text adventure|game|assistant|ai)|\b(?:facts?|player|narration|now|story so far"
    r"|system|user|assistant|room|around you)\s*:|game engine|\bthe engine\b|text adventure|\bnarrat(?:e|or|ion)\b"
    r"|<\|?/?\w*\|?>|im_start|im_end|\[/?inst\]|\bprompt\b|\bthe player\b|\bthe (?:answer|question|result) is\b", re.I)
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
CAPITAL_RE = re.compile(r"\b[A-Z][a-z]+(?:'s)?\b")
ENDS_RE = re.compile(r"[.!?][\"'”’)]*$")
OPEN_RE = re.compile(r"\b(?:opens?|opened|opening|swings?\s+open|swung\s+open|unlock(?:s|ed)?|ajar|gives?\s+way"
                      r"|stands?\s+open|wide\s+open|is\s+open|are\s+open|lies\s+open)\b", re.I)
SHUT_RE = re.compile(r"\b(?:shut|closed|locked|sealed|barred)\b", re.I)
NEGATION_RE = re.compile(
    r"\b(?:not|never|won't|doesn't|don't|cannot|can't|nor|no longer|refuses? to|stays?|remains?)\b", re.I)
SHUT_NEGATION_RE = re.compile(r"\b(?:not|never|no longer|nor)\b", re.I)
GENERIC_DOOR_RE = re.compile(r"\b(?:doors?|gates?)\b", re.I)
YOU = r"(?:\byou\s+(?:\w+\s+){0,2}?|^you\b[^.!?]*?\band\s+(?:then\s+)?)"  # "you (quickly) take", "you ... and eat"
CLAIMS = {  # what the sentence says you did -> the event kinds that did it
    "take": (re.compile(YOU + r"(?:take|takes|took|pick(?:s|ed)?\s+up|grab(?:s|bed)?|snatch(?:es|ed)?|pocket(?:s|ed)?"
                        r"|collect(?:s|ed)?|scoop(?:s|ed)?\s+up)\b(?P<obj>[^.,;!?]*)", re.I), ("taken", "coins")),
    "buy": (re.compile(YOU + r"(?:buy|buys|bought|purchase[sd]?|pay|pays|paid|hand\s+over)\b(?P<obj>[^.,;!?]*)", re.I),
            ("bought",)),
    "drop": (re.compile(YOU + r"(?:drop(?:s|ped)?|put\s+down|set\s+down|leave\s+behind)\b(?P<obj>[^.,;!?]*)", re.I),
             ("dropped", "put")),
    "sell": (re.compile(YOU + r"(?:sell|sells|sold)\b(?P<obj>[^.,;!?]*)", re.I), ("sold",)),
    "eat": (re.compile(YOU + r"(?:eat|eats|ate|devour(?:s|ed)?|swallow(?:s|ed)?)\b(?P<obj>[^.,;!?]*)", re.I),
            ("eaten",)),
    "drink": (re.compile(YOU + r"(?:drink|drinks|drank|gulp(?:s|ed)?)\b(?P<obj>[^.,;!?]*)", re.I), ("drunk",)),
    "place": (re.compile(YOU + r"(?:place|places|placed|lay|lays|laid|set|sets|put|puts)\b(?P<obj>[^.,;!?]*)", re.I),
              ("dropped", "put")),
}
IDIOMS = frozenset({"breath", "look", "step", "steps", "moment", "seat", "care", "time", "glance", "in", "note",
                    "stock", "heart", "your", "deep", "notice", "attention", "close", "no", "heed", "respects",
                    "homage", "tribute", "off", "bite", "sip", "out", "eyes", "hand", "hands", "foot", "feet",
                    "fingers"})
ARRIVE_RE = re.compile(YOU + r"(?P<verb>arrive|arrives|arrived|reach|reaches|reached|enter|enters|entered|step\s+into"
                       r"|walk\s+into|come\s+to|return\s+to|find\s+yourself\s+in|are\s+in|are\s+now\s+in|stand\s+in"
                       r"|are\s+back\s+in)\b(?P<obj>[^.;!?]*)", re.I)
BEING_IN = ("are in", "are now in", "stand in", "find yourself in", "are back in")  # a state, not a move


# Words a scene may use without the facts naming them: air, light, the body, time, ground.
AMBIENCE = frozenset("""air wind breeze sun sunlight light shadow dust sand sky heat warmth cool silence quiet sound
noise smell scent odor aroma moment way side distance edge time morning day ground floor feet foot hand hands eye eyes
breath finger fingers voice echo dark darkness glow stillness shade step steps path heart mind thought place spot
part corner surroundings scene view area world around nothing something everything room groan creak rumble whisper
sigh hum murmur""".split())
NP_RE = re.compile(r"\b(?:a|an|the|some|another|your)\s+((?:[a-z][a-z'-]*\s+){0,2}[a-z][a-z'-]*)")
NP_STOP = frozenset("""of in on at to with from by and or but is are was were as that which who where while into onto
over under behind before after near beside through across for it you your its their has have had will can
be been being not""".split())
