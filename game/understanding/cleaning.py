"""Cleaning: any raw text -> lowercase words and digits, the same way every time.

Unicode folded (NFKC), control characters and punctuation dropped (the splitter may keep ", ; ."),
apostrophes removed ("what's" -> "whats"), letters stretched for emphasis cut to two ("ooopen"),
"w/" and "&" spelled out, texting spellings spelled out ("wat", "pls"), cut to `MAX_INPUT_CHARS`.

Deliberately left out: anything that needs the game (typos, word forms: game.understanding.spelling)
or the meaning of the words (filler, politeness: game.understanding.normalise).
"""
from __future__ import annotations

import re
import unicodedata

from game.understanding.sounds import spoken_punctuation

MAX_INPUT_CHARS = 300
ARTICLES = frozenset({"the", "a", "an", "some", "my", "that", "this", "your", "these", "those"})

_SHORTHAND = re.compile(r"(?<![a-z])w/(?=\s|$)|&|\s\+\s|-+>|=>|\bwith (?:the )?help of\b|"
                        r"(?<=[a-z]{3} )w(?= [a-z])")  # "dice the onion w knife"; "n w e", "go w" stay west


def _spelled(match: re.Match) -> str:
    token = match.group(0).strip()
    return " to " if token.endswith(">") else " and " if token in ("&", "+") else " with "


def _expand(text: str) -> str:
    """'w/' and "with the help of" -> with, '&' and ' + ' -> and, '->' -> to ("onion -> floor"), before punctuation
    goes ('w/' would read as 'w', west)."""
    return _SHORTHAND.sub(_spelled, text)


# Texting spellings of ordinary words ("u" stays: it is also "up")
SPELLED_OUT = {"wat": "what", "wot": "what", "ur": "your", "prob": "probably", "probs": "probably", "cos": "because",
               "coz": "because", "bc": "because", "rly": "really", "abt": "about", "bout": "about", "thru": "through",
               "tho": "though", "plz": "please", "pls": "please", "wanna": "want to", "lemme": "let me", "frm": "from",
               "outa": "out of", "outta": "out of", "em": "them",
               # a role-player's old English: "what doth the tablet say?", "'tis a cloud", "unto the gate"
               "doth": "does", "dost": "do", "hath": "has", "thee": "you", "thou": "you", "thy": "your",
               "thine": "your", "sayeth": "says", "saith": "says", "lieth": "lies", "tis": "it is", "unto": "to",
               "yonder": "that"}


_STRETCHED = re.compile(r"([a-z])\1{2,}")  # "ooopen", "LOOOCK": two of a letter at most
_EMOTICON = re.compile(r"(?<![\w:;=])[:;=]-?[()dpo3/\\|\[\]*]+(?!\w)")  # ":D" is no "d" (down)


def clean(text: str, keep: str = "") -> str:
    """Lowercase words and digits only; control characters and punctuation become spaces
    (but the characters in `keep`: the splitter keeps ", ; ."); texting spellings spelled out."""
    text = _EMOTICON.sub(" ", unicodedata.normalize("NFKC", text)[:MAX_INPUT_CHARS].lower())
    text = spoken_punctuation(_expand(text))
    text = _STRETCHED.sub(r"\1\1", text.replace("\u2019", "'").replace("\u2018", "'").replace("'", ""))
    text = "".join(ch if ch.isalnum() or ch == " " or ch in keep else " " for ch in text)
    return " ".join(SPELLED_OUT.get(word, word) for word in text.split())
