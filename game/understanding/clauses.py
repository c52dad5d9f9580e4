"""Clauses around a deed: "since the door is locked, ...", "reaching into the chest, ...", "the locker is shut;
open it", "is the shard within reach? grab it".

A clause that opens a line and says why, when or on what condition frames the deed after its comma
(game.understanding.splitting drops it); the one thing it names is what an "it" in the deed means.

A sentence before the deed that only says what the player sees or feels ("Bright enough up here. Snuff the
lamp.", "Dusty old bins. The shard is right there. I grab it.") is an observation: dropped, and the one thing it
names lends itself to "it" the same way.

Deliberately left out: clauses after the deed (game.understanding.splitting's reasons and consequences) and
any guess between two things a clause names: the pronoun is then left for the game to ask about.
"""
from __future__ import annotations

import re
from functools import lru_cache

from game.understanding.cleaning import ARTICLES
from game.understanding.lexicon import DIRECTION_WORDS, verb_synonyms
from game.understanding.negation import negated
from game.understanding.normalise import strip_filler
from game.understanding.senses import verb_lemmas
from game.understanding.spelling import GameWords, fix_word, zipf

# A clause that opens the line and says why, when or on what condition: the deed comes after its comma.
_SUBORDINATORS = ("since ", "as ", "because ", "cause ", "now that ", "now its ", "now the ", "once ", "while ",
                  "whilst ", "when ", "whenever ", "before ", "after ", "given ", "seeing ", "considering ",
                  "if ", "in case ", "to see ", "to check ", "to be ", "to make ", "to get ", "to save ",
                  "to lighten ", "to finish ", "to afford ", "in order to ", "so as to ", "so that ", "just to ",
                  "out of ", "for a ", "for the ", "for now", "for safekeeping", "having ", "with all ",
                  "with everything ", "without ", "if memory serves", "on second thought", "on reflection")


def subordinate(piece: str) -> bool:
    """'since the door is locked', 'now that I have the key', 'to see what's inside', 'before leaving': a clause
    that frames the deed said after it. Not a piece that is itself a deed of the game ("before" never is)."""
    head = piece.split()[0] if piece.split() else ""
    # "reaching into the trunk, ...", "following the wind shard, ...": how or when; "walking north" is the deed
    table = _verbs()
    deeds = {table[lemma] for lemma in (verb_lemmas(head) if head.endswith("ing") else []) if lemma in table}
    participle = head.endswith("ing") and bool(verb_lemmas(head)) and (
        not deeds or (deeds <= {"go"} and not set(piece.split()) & set(DIRECTION_WORDS)))
    return (participle or piece.startswith(_SUBORDINATORS)) and not piece.startswith(("out of ", "as well",
                                                                                      "once again", "once more"))


@lru_cache(maxsize=1)
def _verbs() -> dict[str, str]:
    return verb_synonyms()


_QUESTION_THEN_IT = re.compile(r"\?\s+(?=[^?]*\b(?:it|them)\b)", re.IGNORECASE)
ALSO = re.compile(r"\s+(?:as well as|along with|together with)\s+", re.IGNORECASE)
_QUESTIONS = ("is ", "are ", "where is ", "wheres ", "what is ", "whats ", "is there ", "can i see ")


def question_then_it(text: str, named: frozenset[str] = frozenset()) -> str:
    """"is the fire shard within reach? I'd like to grab it": a question about a thing, then a deed on "it" — one
    clause before the deed (see `said_of`). Other questions keep their "?" ("who keeps closing it? open it"); one
    read out in quotes before the deed is dropped (`without_quoted_question`), and so is what the player sees
    (`seen_first`)."""
    text = seen_first(without_quoted_question(text), named)
    match = _QUESTION_THEN_IT.search(text)
    if match is None or not text.lower().lstrip().startswith(_QUESTIONS):
        return text
    return f"{text[:match.start()]}; {text[match.end():]}"


_QUOTED_QUESTION = re.compile(r'^\s*["\u201c][^"\u201c\u201d]{6,}\?\s*["\u201d][\s,.:;-]*(?=\S)')


def without_quoted_question(text: str) -> str:
    """'"What bends in the wind but never breaks?" Straw.': a question read out in quotes (a riddle, a sign), then
    what the player does about it; the quote is not a command."""
    return _QUOTED_QUESTION.sub("", text, count=1)


_SEEN = re.compile(r"^\s*(?:i|we) (?:can |could )?(?:see|notice|spot|spy|make out) (?P<seen>[^.;!?]+)[.;!?]+\s+(?=\S)",
                   re.IGNORECASE)


def seen_first(text: str, named: frozenset[str]) -> str:
    """'I see a tablet. Read it.' -> 'Read tablet.': a sentence saying what the player sees is no look; the one thing
    it names is what the next "it" means, and with two ("I see a chest and a tablet. Take it.") "it" stays for the
    game to ask about."""
    match = _SEEN.match(text)
    if match is None:
        return text
    rest, thing = text[match.end():], named_run(match.group("seen").lower(), named)
    return re.sub(r"\b(?:it|them)\b", thing, rest, count=1) if thing else rest


COPULAS = frozenset({"is", "are", "isnt", "arent", "looks", "look", "seems", "seem", "wont", "stays", "remains"})


def said_of(piece: str, named: frozenset[str]) -> str:
    """'the purple locker is shut' (then 'open it'): a thing of the game and how it is — the "it" after it."""
    words = [w for w in piece.split() if w not in ARTICLES]
    at = next((i for i, w in enumerate(words) if w in COPULAS), 0)
    if piece.startswith(_QUESTIONS):  # "is the fire shard within reach?" (then "grab it")
        return named_run(piece, named)
    if words and all(w in named for w in words):  # "ah, a tinderbox. I take it"
        return " ".join(words)
    return " ".join(words[:at]) if at and all(w in named for w in words[:at]) else ""


def named_runs(piece: str, named: frozenset[str]) -> list[str]:
    """The runs of the game's naming words in a clause, each once ("the elder told me to read the tablet" ->
    ["elder", "tablet"])."""
    runs: list[str] = []
    run: list[str] = []
    for word in [*piece.split(), ""]:
        if word in named and word not in ARTICLES:
            run.append(word)
            continue
        runs, run = runs + ([" ".join(run)] if run else []), []
    return list(dict.fromkeys(runs))


def named_run(piece: str, named: frozenset[str]) -> str:
    """The one run of the game's naming words in a clause ("since the wooden door is locked" -> "wooden door"),
    to stand for an "it" in the deed after it; "" when the clause names none or several."""
    runs = named_runs(piece, named)
    return runs[0] if len(runs) == 1 else ""  # two things named: which one "it" is stays a question


_ANSWERING = frozenset({"answer", "answers", "word", "solution", "riddle", "guess", "it", "them"})
_SAYS_HOW = ("there ", "theres ", "its ", "it s ", "thats ", "this ", "that ", "something ", "someone ", "nothing ",
             "so ")


def observation(piece: str, known: GameWords, named: frozenset[str], after: bool = False) -> bool:
    """'bright enough up here', 'the shard is right there', 'a cedar chest', 'so is my key': what the player sees,
    said before the deed; `after` it ("walking north, map says the backyard is there") only a piece that says how
    things are ("the lamp too" names one more thing). Never a piece that opens with a verb (of this game or any:
    "dance"), a way to go, or a word no dictionary holds (it may be a command the game does not know)."""
    said = strip_filler(piece)
    words = said.split()
    told = said.startswith(_SAYS_HOW) and len(words) >= 5  # "it's pitch black down those stairs"; "its wind" answers
    if not words or (words[0] not in ARTICLES and not told and (
            words[0] in known.verb_starts or fix_word(words[0], known)[0] in known.verb_starts)):
        return False
    if words[0] in DIRECTION_WORDS or not all(zipf(w) > 0 or w in known.words for w in words) or negated(said):
        return False
    if all(w in named or w in ARTICLES for w in words):
        return False  # "lamp, rope": a list of things, not what is seen (an "it" after it: `said_of`)
    if said.startswith(_SAYS_HOW) or set(words) & COPULAS:
        return not set(words) & _ANSWERING  # how things are; "the answer is wind" is an answer
    if after:
        return False
    if words[0] in ARTICLES:
        return True  # a thing named
    table = _verbs()  # "bright enough up here": no verb of the game in it ("up" here is where, not a way)
    return not verb_lemmas(words[0]) and not any(w in table and len(w) > 1 and w not in DIRECTION_WORDS for w in words)
