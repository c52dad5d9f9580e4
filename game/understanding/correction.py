"""A correction inside a line: what comes after it is what the player means.

  "go north, no wait, east"            -> east (a whole command replaces the one before)
  "take the lamp... I mean the key"    -> take the key (a bare phrase replaces the one thing named)
  "answer hay no wait straw"           -> answer straw
  "is it water? no wait, fire"         -> fire (a bare phrase after no command of one thing: said alone)

The markers are "no wait", "wait no", "I mean", "sorry", "or rather", "scratch that", "make that", "oops",
and a bare "no", "nope", "actually", "er" or "uh" between punctuation (", no,", ", er,"). Only the last
correction counts.

Left out: correcting one slot of two ("put the key on the table, no, the chest"): the bare phrase is
said alone, so the game asks what to do with it rather than guess the slot.
"""
from __future__ import annotations

import re

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.lexicon import DIRECTION_WORDS
from game.understanding.negation import negated
from game.understanding.normalise import strip_filler
from game.understanding.parser import named_words
from game.understanding.spelling import fix_word, game_words
from game.world.model import Story

_MARKER = re.compile(r"(?:^|[\s,.;:!?-]+)(?:no wait|wait no|no no|i mean|i meant|or rather|scratch that|make that|"
                     r"oops|sorry)(?:[\s,.;:!?-]+|$)"
                     r"|[,.;:!?-]+\s*(?:no|nope|actually|rather|correction|er|erm|uh|um)(?:[\s,.;:!?-]+|$)")
_ANSWERING = ("answer", "say", "reply", "guess", "is it", "its", "it s", "the answer is", "i think its")
_SLOTS = frozenset({"on", "onto", "in", "into", "inside", "with", "using", "from", "to", "at", "under", "off"})


def corrected(text: str, story: Story) -> str | None:
    """The line as corrected (see above); None when it holds no correction."""
    if not isinstance(text, str):
        return None
    matches = list(_MARKER.finditer(text.lower()))
    if not matches:
        return None
    said, last = text[: matches[-1].start()], matches[-1]
    before = strip_filler(clean(re.split(r"[,.;!?]", said)[-1])) or strip_filler(clean(said))  # the last clause
    after = strip_filler(clean(text[last.end():]))
    if not before or not after:
        return None  # "sorry, go east": an apology first, no correction
    if negated(clean(text[last.start():])) == ("cancel", ""):
        return None  # "three gates. no idea. hmm": not knowing, not a correction to "idea"
    known = game_words(story)
    head = after.split()[0]
    verbs = known.verb_starts - ARTICLES - named_words(story)
    if head in DIRECTION_WORDS or head in verbs or fix_word(head, known, first=True)[0] in verbs:
        return after  # a whole command
    if before.startswith(_ANSWERING):
        return f"answer {' '.join(w for w in after.split() if w not in ARTICLES) or after}"
    words = before.split()
    start = next((i for i, w in enumerate(words) if i and (w in ARTICLES or w in named_words(story))), None)
    if start is None or set(words[start:]) & _SLOTS:
        return after  # no one thing to replace: said alone, the game asks what to do with it
    return " ".join([*words[:start], after])
