"""Normalisation: the player's raw line -> plain commands in the game's own words.

The line-level half of reading a player's command: cleaned (game.understanding.cleaning); split
into commands ("take the lamp and go north", "n, then e": game.understanding.splitting, above this
module, since a list of things needs the parser); stripped of politeness and filler ("please",
"i want to", "let's", "could you"); a game word typed as two joined ("tinder box"); and each word
brought to a form the game knows (game.understanding.spelling: word forms, typos, words by ear).

Every change is recorded (`Normalised.changes`) so the layer above can say
what it understood and the benchmark can count what each step settles.

Deliberately left out: pronouns, "again" and "oops" (they need the previous
turn: game.understanding), and any change to riddle answers beyond this
cleaning: the engine judges answers, a spelling fix must not make one right.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.lexicon import DIRECTION_WORDS
from game.understanding.relative import without_relative_clause
from game.understanding.sounds import function_word_slip, joined_verb
from game.understanding.spelling import GameWords, fix_word, game_words, per_story
from game.world.model import Story

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
    "my plan is to", "the plan is to", "time to", "its time to", "right so", "before i forget", "while im at it",
    "while i m at it", "while i am at it", "while im here", "while i am here",
    "i intend to", "i wish to", "it would be prudent to", "it would be wise to", "at last i can", "at last",
    "without hesitation", "without further delay", "first of all", "before anything else", "first things first",
    "i might as well", "i may as well", "might as well", "may as well", "perhaps", "without further ado", "onward",
    "onwards", "out of curiosity", "at this point", "pray", "prithee", "pray tell", "hark", "lo", "verily",
    "forsooth", "mayhap", "perchance", "alas", "i would fain", "id fain", "i d fain", "fain", "what if i",
    "what if we", "u can", "you can", "we can", "you should", "you ought to", "i ought to", "we ought to",
    "ought to",
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
    "i knew it", "i know", "i got it", "final answer", "is my final answer",
    "thats my final answer", "with me", "along with me", "over there", "right there", "over here",
    "from my hand", "from my hands", "if thats alright", "if thats ok", "if thats okay", "if thats all right",
    "if i may", "if you dont mind",
    "lets try that", "let s try that", "lets try it", "let s try it", "lets do that", "let s do that", "lets do it",
    "let s do it", "try that", "worth a try", "worth a shot", "go for it",  # "probably west? let's try that"
    "xd", "xp", "haha", "hehe", "yay", "woo", "woohoo",
    "come on", "cmon", "already", "ffs", "jeez", "geez", "ugh",
    "id wager", "i d wager", "i wager", "both", "one final time", "one last time", "once more",
    "without further ado", "without further delay", "without delay", "straight away", "right away", "i say",
    "hurry", "hurry up", "quick", "quick quick", "asap", "fast", "real quick", "real fast", "pronto", "chop chop",
    "exactly", "precisely", "even", "anyway", "anyways", "i wonder",
), key=lambda p: -len(p)))
# "I put the knife down", "my character opens the door": the narrator is the player, the verb's form is mended later
_LEADING = FILLER_BEFORE + ("i", "we", "u", "my character", "my char", "my guy", "my hero", "the hero", "our hero",
                            "the player", "my player", "my avatar")
FILLER_WORDS = frozenset(p for p in FILLER_BEFORE + FILLER_AFTER if " " not in p)
_FILLER_SET = frozenset(FILLER_BEFORE + FILLER_AFTER)
_BEFORE = re.compile("^(?:" + "|".join(re.escape(p) for p in sorted(_LEADING, key=lambda p: -len(p))) + ") ")
# "the next step in the recipe is to cook the onion", "the smart thing now is to take the key": a plan for now
_PLAN = re.compile(r"^(?:(?:the|my|our) )?(?:next|smart|best|obvious|right|only|logical|sensible|wise|clever|first|"
                   r"last|final|natural) (?:(?:sensible|smart|best|obvious|logical|wise) )?"
                   r"(?:thing|step|move|job|task|order of business)(?: [a-z]+){0,5}? "
                   r"(?:is|would be|will be|should be) (?:to )?")
_AFTER = re.compile(" (?:" + "|".join(re.escape(p) for p in FILLER_AFTER) + ")$")
# A line that says how things are, not what to do: "it's dark down there, so I light my lantern".
STATEMENTS = ("its ", "it is ", "it s ", "thats ", "that is ", "there is ", "theres ", "there are ", "this is ",
              "i see ", "i can see ", "i hear ", "i saw ", "looks like ", "seems ")


@dataclass
class Normalised:
    text: str  # the command, normalised
    raw: str  # the part of the player's line it came from
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, before, after)


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
        match = _PLAN.match(text) or _BEFORE.match(text)  # one alternation, longest first, not a loop over ~300
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


_GOING = frozenset({"go", "walk", "head", "run", "move", "travel", "step", "proceed"})
_WAYS = ("north", "south", "east", "west", "up", "down", "in", "out")


def _way_slip(word: str, known: GameWords) -> str:
    """'go rest' -> go west, 'go eat' -> go east, 'go iin' -> go in: after a verb of going only a way fits, so a word
    one slip from exactly one way is that way, even a real word (never a name of this game, never "on" or "to")."""
    if len(word) < 3 or word in DIRECTION_WORDS or word in known.names:
        return word
    close = [way for way in _WAYS if OSA.distance(word, way) == 1]
    return close[0] if len(close) == 1 else word


_AFTER_BACK = frozenset({"in", "into", "on", "onto", "off", "from", "out", "inside", "upon", "atop"})


def _idle_back(words: list[str], i: int) -> bool:
    """"back" after a thing and before where it goes or comes from adds nothing ("put it back in the bag"); after a
    verb of going it is a way ("go back in"), and alone it is where the player came from ("go back")."""
    return (words[i] == "back" and 0 < i < len(words) - 1 and words[i + 1] in _AFTER_BACK
            and words[i - 1] not in _GOING | {"get", "come", "turn", "double", "head"})


_BEFORE_A_THING = ARTICLES | {"on", "onto", "in", "into", "inside", "from", "with", "under", "at", "of", "off", "out",
                               "upon", "over", "near", "beside", "using"}


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
    if len(words) >= 2 and words[0].endswith("ly") and words[0] not in known.words and words[1] in known.verb_starts:
        words = words[1:]  # "roughly chop the potato": how, before the verb
    kept = [w for i, w in enumerate(words) if not _idle_back(words, i)  # "take the key back off the desk"
            and not (w == "again" and 0 < i < len(words) - 1)]  # "lock the chest again with the key"
    if kept != words:
        result.changes.append(("filler", " ".join(words), " ".join(kept)))
        words = kept
    words = [slip if english_too and w not in known.words and (slip := function_word_slip(w)) else w
             for w in words]  # "form the fridge", "teh meal": letters swapped in a little word
    joined = join_compounds(" ".join(words), known)
    if joined != " ".join(words):
        result.changes.append(("form", " ".join(words), joined))
        words = joined.split()
    people = per_story(story, "people_names", lambda s: frozenset(
        clean(name) for c in s.characters for name in [c.name, *c.aliases]))
    shorter = without_relative_clause(words, known.names, people)  # "the lamp I bought": the lamp
    if shorter != words:
        result.changes.append(("relative", " ".join(words), " ".join(shorter)))
        words = shorter
    if english_too and len(words) >= 2 and words[0] not in known.verb_starts and words[1] not in known.words:
        joined = joined_verb(words[0], words[1], known.verb_sounds)  # dictated: "eggs amine the mural"
        if joined:
            result.changes.append(("sound", " ".join(words[:2]), joined))
            words = [joined, *words[2:]]
    words = [_way_slip(w, known) if i and words[i - 1] in _GOING and (i == len(words) - 1 or w not in known.verb_starts)
             else w for i, w in enumerate(words)]  # "go eat the apple" is no way
    answering = bool(words) and (words[0] in ("answer", "say", "reply") or stripped.startswith(
        ("the answer is", "my answer is", "i think its", "its "))
        or (stripped.startswith("is it ") and len(words) <= 4))  # "is it wind?", not "is it possible to ..."
    answering = answering or stripped.startswith(_TOPICS)  # a lore topic is as free as an answer: "Qasr al-Rih"
    fixed = []
    for i, word in enumerate(words):
        new, kind = (word, None) if answering else fix_word(word, known, english_too, first=i == 0,
                                                             noun=i > 0 and words[i - 1] in _BEFORE_A_THING,
                                                             after_name=(i > 0 and words[i - 1] in known.names) or (
                                                                 i + 1 < len(words) and words[i + 1] in known.names))
        if kind:
            result.changes.append((kind, word, new))
        fixed.append(new)
    result.text = " ".join(fixed) if keep_filler or answering else strip_filler(" ".join(fixed))  # "key pelase"
    return result
