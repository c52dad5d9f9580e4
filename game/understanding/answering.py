"""What may answer a riddle: the checks made before "answer X" reaches the engine, which alone judges it.

An answer must be words (of English or of the game: "jfkdlsa" is none), few of them, no deed ("hurl the
wind"), no pronoun ("reed it") and not a placeholder ("say the answer", "the answer to the gate", "the east gate").

Left out: whether it is right (game.world.answers) and any spelling fix: a fix must not make an answer right.
"""
from __future__ import annotations

from game.understanding.cleaning import clean
from game.understanding.referents import PRONOUNS
from game.understanding.senses import verb_lemmas
from game.understanding.spelling import a_word
from game.world.events import Action
from game.world.model import Story

MAX_RIDDLE_WORDS = 3  # a bare line at a gate answers it only this short
NOT_ANSWERS = frozenset({"the", "a", "an", "my", "answer", "riddle", "it", "that", "this", "something", "word",
                         "solution", "right", "correct", "one", "them", "to", "gate", "gates", "door", "question",
                         "so", "as", "much", "such", "ill", "id", "i", "say", "said", "other", "another", "next",
                         "last", "first", "same", "too", "and", "now", "hmm", "hm", "um", "umm", "uh", "er", "erm",
                         "ah", "oh", "eh", "huh", "meh", "well", "ok", "okay"})  # "the east one: hmm" answers nothing


_SAYING = frozenset({"answer", "say", "reply", "respond", "guess", "ill", "id", "tell"})


# a riddle named by where it is: "the east gate" or "the north one" points at a riddle, it answers none
RIDDLE_NAMES = frozenset({"gate", "gates", "door", "riddle", "question", "one"})
_WHERE = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "left", "right",
                    "middle", "upper", "lower"})


def placeholder_answer(action: Action) -> bool:
    """"say the answer", "answer it", "the east gate": words in the place of an answer, naming none."""
    words = set(clean(action.text or "").split())
    names_a_riddle = bool(words & RIDDLE_NAMES) and words <= NOT_ANSWERS | RIDDLE_NAMES | _WHERE
    return action.verb == "answer" and (words <= NOT_ANSWERS or names_a_riddle)


def fair_answer(answer: str, story: Story, most: int) -> bool:
    """Words that could answer a riddle (see above), at most `most` of them."""
    said = answer.split()
    return (0 < len(said) <= most and all(a_word(w, story) for w in said)
            and not (len(said) > 1 and verb_lemmas(said[0])) and not set(said) & set(PRONOUNS)
            and not (len(said) > 1 and set(said) & _SAYING)  # "a cloud ill answer cloud": a sentence, not a word
            and not placeholder_answer(Action("answer", text=answer)))
