"""Several commands in one line: "take the lamp and go north", "n, then e", "from the fridge, take the apple".

The line is split where a new command begins, and a list of things becomes one command per thing
(game.understanding.plural.split_list): "take the rope and the lamp" -> "take the rope", "take the lamp".
It sits above normalise (the words), the parser and plural (the lists), which all stay below it.

Deliberately left out: the cleaning and spelling of each command (game.understanding.normalise) and what a
command means (the parser and the intent layer).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from rapidfuzz.distance import OSA

from game.understanding.addressing import Addressee, addressed
from game.understanding.clauses import ALSO, COPULAS, named_runs, observation, question_then_it, said_of, subordinate
from game.understanding.cleaning import ARTICLES, clean
from game.understanding.correction import corrected
from game.understanding.going import COMPASS_WORDS, several_moves
from game.understanding.going import MOTION_WORDS as _MOTION
from game.understanding.lexicon import DIRECTION_WORDS, frames, verbs_for_word
from game.understanding.negation import negated
from game.understanding.normalise import STATEMENTS, join_compounds, strip_filler
from game.understanding.parser import named_words, verb_readings
from game.understanding.plural import split_list
from game.understanding.senses import verb_lemmas
from game.understanding.spelling import fix_word, game_words, per_story, zipf
from game.understanding.topics import fitting_topic
from game.world.model import Story

_SPLIT = re.compile(r"\s*(?:;|\.(?:\s|$)|,\s*and then\b|,\s*then\b|,|\band then\b|\bthen\b|\band\b|"
                    r"\bafter that\b|\bafterwards\b)\s*")

# Said before the deed, as a separate clause: "reach up and take the shard", "bend down, pick up the key".
GESTURES = frozenset({"reach up", "reach down", "reach out", "reach over", "reach in", "bend down", "bend over",
                      "kneel", "kneel down", "crouch", "crouch down", "lean over", "lean down", "lean in",
                      "stretch up", "stretch out", "turn around", "turn round", "go ahead", "stoop", "stoop down",
                      "turn", "step back", "step away", "stand back", "smile", "nod", "sigh", "pause",
                      "pause for a moment",
                      "tuck it under my arm", "tuck it away", "tuck them away", "leave it", "leave them",
                      "leave it here", "leave it there", "leave them here", "leave them there", "keep it",
                      "keeps it", "keep them", "keeps them"})
_POSTURES = frozenset({"kneel", "knelt", "crouch", "crouched", "stoop", "stooped", "squat", "squatted", "bend", "bent",
                       "lean", "leaned", "leant"})  # "kneel beside the saddlebag and undo its buckles"
_SO = ("so ", "therefore ", "hence ", "thus ")
_HEDGES = frozenset({"guess", "think", "suppose", "reckon", "bet", "hope", "believe", "mean", "know", "wonder"})
# said again after a command ("try that", "go for it" are filler: game.understanding.normalise drops them)
_GO_AHEAD = frozenset({"try it", "try this", "do that", "do it", "do this", "give it a try", "give it a go",
                       "give that a try", "give that a go"})
_LEADING_PREPOSITIONS = frozenset({"from", "with", "using", "into", "onto", "off", "on", "in", "inside"})
_BARE_MOTION = frozenset({"go", "come", "run", "hurry", "walk", "head", "try", "nip", "pop"})
_GREETINGS = frozenset({"hey", "hi", "hello", "oi", "excuse", "me", "dear", "sir", "madam", "friend", "ok", "so",
                        "good", "merchant", "lady", "mister", "please", "thanks", "my", "old", "man", "woman", "boy",
                        "girl", "traveller", "traveler", "stranger", "wanderer", "pilgrim", "kind"})


def _circumstance_first(flat: str, known, things: frozenset[str]) -> str:
    """'gathering my courage, i set off north', 'with a grunt i lift the key': what comes before the
    narrating "I" (within six words, naming no deed, thing or place of the game) says how, not what: dropped.
    "with the old key, i unlock the door" keeps its key."""
    words = flat.split(" ")
    for i, word in enumerate(words[1:7], start=1):
        if word in ("i", "we") and i + 1 < len(words):
            before = [w.strip(",;.") for w in words[:i]]
            head, deed = before[0], fix_word(words[i + 1].strip(",;."), known)[0]
            how = head.endswith("ing") or head in ("with", "without") or fix_word(head, known)[0] not in \
                known.verb_starts
            if how and (deed in known.verb_starts or verb_lemmas(deed)) and not set(before) & (things | _ASKING) \
                    and not any(p in " ".join(words[:i]) for p in ";.") and deed not in _HEDGES \
                    and not any(verbs_for_word(w) - {"answer", "lore"} for w in before[1:]):
                return " ".join(words[i:])
            break
    return flat


_LIST_MARK = re.compile(r"^\s*(?:step\s*\d+\s*[:.)-]?|\d+\s*[.):-]|[-*•>]+|todo\s*:|cmd\s*:|command\s*:|plan\s*:|"
                        r"next step\s*:|walkthrough step\s*:|(?:the\s+)?(?:solution|walkthrough)\s+says\s*:?|"
                        r"(?:solution|walkthrough|guide)(?:\s+(?:line|step))?\s*:\s*>?)\s*",
                        re.IGNORECASE)
_PASTED = re.compile(r"^\[([^\[\]]+)\]\s*(?:<-|<|--|-|per|from|copied|as|\(|according).*$", re.IGNORECASE)
_ASIDE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")  # "(step 4 of the walkthrough)", "[copied]"


def without_list_marks(text: str) -> str:
    """'Step 3: chop the onion', '1) take the key', '- open the door', 'TODO: lock it', '> take key (from the
    walkthrough)', '[take the key]': the command, without what marks it as an item of a list or a paste."""
    if not isinstance(text, str):
        return text
    out = text.strip()
    if out[:1] in "([" and out[-1:] in ")]" and len(out) > 2:
        out = out[1:-1]  # the whole line in brackets: its content
    pasted = _PASTED.match(out)
    if pasted:
        out = pasted.group(1)  # "[take latchkey] per the guide": the command pasted, then where it came from
    previous = None
    while previous != out:
        previous = out
        marked = _LIST_MARK.sub("", out, count=1)
        out = marked if re.search(r"[a-zA-Z]", marked) else out  # "2." alone is a choice
        aside = _ASIDE.sub("", out)
        out = aside if re.search(r"[a-zA-Z]", aside) else out
    return out


def _circumstance_after(piece: str, known) -> bool:
    """', leaving the room behind me', ', hinges creaking': a participle after a deed tells how it went."""
    return any((w.endswith("ing") or (w.endswith("ng") and len(w) >= 5 and w[-3] not in "aeiou"))  # "leavng"
               and w not in ("bring", "ring", "string", "sing", "king", "thing", "nothing") for w in piece.split()[:2])


_REASON = re.compile(r"(?:\s+(?:because|cause|cuz|since|so that|in order to|before (?:i|we|[a-z]+ing)|"
                     r"before (?:the|he|she|they|it|its|anyone|someone|somebody|nightfall|dark|sunset) [a-z]+|"
                     r"like (?:he|she|they) said)\b|\s*,+\s*(?:gotta|gtta|got to|there might be|there may be|"
                     r"there could be|there must be|"
                     r"(?:i )?need (?:it|them|this|that)|(?:i )?(?:dont|do not) need (?:it|them|this|that)|"
                     r"the (?:recipe|cookbook|task|quest) (?:calls|asks|wants|needs|says))\b).*$")


def _without_reason(flat: str) -> str:
    """'open the trunk, there might be something inside', 'head east since the kitchen is that way', 'travel
    north, gotta find the fridge': why the player does it is not another deed (at least two words stay)."""
    match = _REASON.search(flat)
    return flat[:match.start()] if match and len(flat[:match.start()].split()) >= 2 else flat


def _one_deed_with_and(flat: str, known) -> bool:
    """A frame that reads "and" as part of one deed matches the whole line (its verb mistyped too: "sitck")."""
    words = strip_filler(" ".join(flat.replace(",", " ").split()).strip(" .;"))
    head, _, rest = words.partition(" ")
    fixed = f"{fix_word(head, known, first=True)[0]} {rest}"
    return any(f.rewrite(words) or f.rewrite(fixed) for f in _and_frames())


@lru_cache(maxsize=1)
def _and_frames() -> tuple:
    return tuple(f for f in frames() if " and " in f.pattern or "|and)" in f.pattern)


def _n_as_and(flat: str, known) -> str:
    """'open the chest n grab the key': "n" between commands is "and", not north. It is read so only
    before an article or a verb that is no direction, and never after a verb of motion ("go n")."""
    words = flat.split(" ")
    for i in range(1, len(words) - 1):
        after = words[i + 1].strip(",;.")
        if words[i] == "n" and words[i - 1].strip(",;.") not in _BARE_MOTION and (
                after in ARTICLES or (after in known.verb_starts and after not in DIRECTION_WORDS)):
            words[i] = "and"
    return " ".join(words)


_TOPIC_MARK = re.compile(r"(?<=[a-z0-9])\s*(?::|\s[-\u2013\u2014]+)\s+(?=[^,;.:]*\b(?:it|them)\b)", re.IGNORECASE)
_TOPIC = re.compile(r"(?P<np>[^,;.]+?)\s*,\s*(?P<command>[^,;.]*\b(?:it|them|that)\b[^,;.]*?)\s*\.?")


def _topic_first(flat: str, known, people: set[str]) -> str:
    """'the wooden door, unlock it with the old key' -> 'unlock the wooden door with the old key': a thing
    named first, then a command about "it". Not when the first part is a command or someone spoken to."""
    match = _TOPIC.fullmatch(flat)
    if match is None:
        return flat
    thing = strip_filler(match["np"])
    copula = next((i for i, w in enumerate(thing.split()) if w in COPULAS), None)
    if copula is not None:  # "the chest is locked, unlock it": the thing is what comes before the "is"
        thing = " ".join(thing.split()[:copula])
    head = next((w for w in thing.split() if w not in ARTICLES), "")
    if not head or subordinate(match["np"].strip() + " ") or head in known.verb_starts \
            or fix_word(head, known)[0] in known.verb_starts or set(thing.split()) <= people | _GREETINGS:
        return flat
    words = match["command"].split()
    at = next(i for i, w in enumerate(words) if w in ("it", "them", "that"))
    return " ".join([*words[:at], thing, *words[at + 1:]])


_SELF_STATE = ("im ", "i am ", "i m ", "i feel ", "im feeling ", "i am feeling ", "im so ", "i am so ")


def _courtesy(word: str) -> bool:
    """'pease', 'plase', 'thnaks': please or thanks with a slip of the finger."""
    return any(OSA.distance(word, polite) <= (1 if len(polite) <= 6 else 2) for polite in ("please", "thanks"))


_PURPOSE = ("that ", "i can ", "we can ", "i could ", "we could ", "as to ", "i may ", "you can ")


def _consequence(flat: str, known) -> str:
    """A reason and a deed joined by "so": "it's dark down there so I light the lamp" is the lamp; "take the
    key so I can open the door" is the key (after "so I can" comes the purpose, not a deed)."""
    reason, joined, deed = flat.partition(" so ")
    if not joined or not reason.strip(" ,"):
        return flat
    if deed.startswith(_PURPOSE):
        return reason.strip(" ,")
    ways = {DIRECTION_WORDS[w] for w in reason.split() if w in COMPASS_WORDS}
    if deed.startswith(("thats where", "that is where", "that s where", "thats the way", "that is the way")) \
            and len(ways) == 1 and "not" not in deed.split():  # "the exit lies east, so that's where I'm headed"
        return f"go {ways.pop()}"
    head = strip_filler(deed).split()[:1]
    if set(deed.split()) & {"it", "them"}:
        return flat  # "there's a tinderbox in the bag so I open it": "it" is named in the reason (intent finds it)
    if head and head[0] not in ARTICLES and (head[0] in known.verb_starts or fix_word(head[0], known)[0] in
                                             known.verb_starts or set(verb_lemmas(head[0])) & known.verb_starts):
        return deed
    first = strip_filler(reason.strip(" ,")).split()[:1]
    if first and first[0] in known.verb_starts and first[0] not in ARTICLES:
        return reason.strip(" ,")  # "lock the safe with the key so nobody gets in": the deed, then its purpose
    return flat


_IN_HAND = re.compile(r"\s+(?:in (?:my |one |each )?hands?|at the ready|ready|to hand)$")


def _prepositions_last(pieces: list[str], named: frozenset[str]) -> list[str]:
    """'from the fridge, take the apple' -> 'take the apple from the fridge'; 'with the key in hand, unlock the
    door' -> 'unlock the door with the key'. A leading phrase that names nothing of the game ('with a flourish',
    'in the first hollow') says how, not with what: dropped."""
    out: list[str] = []
    pending = ""
    for n, piece in enumerate(pieces):
        words = _IN_HAND.sub("", clean(piece)).split()
        if words and (words[0] in _LEADING_PREPOSITIONS or words[:2] == ["out", "of"]) and len(words) > 1:
            if n < len(pieces) - 1 and not set(words) & named:
                continue
            pending = f"{pending} {' '.join(words)}".strip()
            continue
        out.append(f"{piece} {pending}".strip() if pending else piece)
        pending = ""
    return out + ([pending] if pending else [])


def split_commands(text: str, story: Story, villagers: Sequence[Addressee] = ()) -> list[str]:
    """Several commands in one line, split where a new command begins; otherwise the line whole.

    "take the lamp and go north" -> two; "take the salt and pepper" stays one, because
    "pepper" does not begin a command. Words said to a villager present ("Hassan, where are the
    ruins?") are one utterance, kept whole and as typed."""
    if not isinstance(text, str):
        return []
    if addressed(text, villagers) is not None:
        return [text]
    known = game_words(story)
    if clean(text).split()[:1] in (["save"], ["load"], ["restore"], ["transcript"]):
        return [text]  # a save name or a file path may hold dots and commas
    text = without_list_marks(text)  # "Step 3: chop the onion", "> take key (from the walkthrough)"
    text = corrected(text, story) or text  # "go north, no wait, east": what is meant
    text = _TOPIC_MARK.sub(",", text, count=1)  # "the screen door - open it", "the key: grab it"
    text = question_then_it(text, named_words(story))  # "is the shard within reach? I'd like to grab it"
    text = ALSO.sub(" and ", text)  # "examine the wind shard as well as the fire shard"
    said_no = negated(text)
    if said_no is not None and said_no[0] != "do":
        return [text]  # "don't take the lamp and the rope": nothing of it is done
    people = {w for c in story.characters for p in [c.name, *c.aliases] for w in clean(p).split()}
    places = per_story(story, "place_words", lambda s: frozenset(
        w for r in s.rooms for name in [r.name, *r.aliases] for w in clean(name).split()))
    named = named_words(story) | places
    as_typed = _without_reason(_circumstance_first(join_compounds(clean(text, keep=",;."), known), known, named))
    as_typed = re.sub(r"[,;]\s*so (?!that\b)", " so ", as_typed)  # "Farah lost a bracelet, so I pick it up": one piece
    flat = _consequence(_topic_first(_n_as_and(as_typed, known), known, people), known)
    if _one_deed_with_and(flat, known):
        return [flat]  # "stick the key in the lock and turn it": one deed, though it says "and"
    whole = _one_per_thing(" ".join(flat.strip(" .").replace(",", " and ").split()), story)
    if len(whole) > 1 and not any(p in flat.strip(" .") for p in (";", ".")):
        return whole  # "put the cloud and fire shards on the altar": "fire" here is no verb
    pieces = [p for p in _SPLIT.split(flat) if p and p.strip(" ,;.")]
    if len(pieces) <= 1 and not any(p in text for p in (",", ";", ".")):
        return several_moves(flat) or ([text if flat == clean(text, keep=",;.") else flat] if clean(text) else [])
    pieces = _prepositions_last(pieces, named)
    remarks = [_remark(clean(p), known, named) for p in pieces]
    merged: list[str] = []
    topics: list[str] = []  # the things a dropped clause named, for an "it" after it
    in_clause, held = False, False
    for n, piece in enumerate(pieces):
        piece = clean(piece)
        topic = fitting_topic(story, strip_filler(piece), topics)  # "... to read the tablet. so i read it"
        if topic and not merged and set(piece.split()) & {"it", "them"}:
            piece = re.sub(r"\b(?:it|them)\b", topic, piece, count=1)  # "since the door is locked, unlock it"
        elif topic and held and not merged and _wants_a_tool(piece, known) and topic not in piece:
            piece = f"{piece} with {topic}"  # "having fetched the knife, chop the onion": with the knife
        about = said_of(piece, named)
        if n < len(pieces) - 1 and not merged and (subordinate(piece) or (
                about and set(clean(pieces[n + 1]).split()) & {"it", "them"})):
            topics, in_clause = named_runs(piece, named) or topics, True
            held = bool(set(piece.split()) & _HOLDING)
            continue  # "since the door is locked, ...", "now that I have the lamp, ...": why or when, not what
        if n < len(pieces) - 1 and not merged and observation(piece, known, named):
            topics = named_runs(piece, named) or topics
            continue  # "dusty old bins. the shard is right there. I grab it": what is seen, then the deed
        head = strip_filler(piece).split()[:1]
        if in_clause and n < len(pieces) - 1 and head and head[0] not in known.verb_starts:
            continue  # "since everything is sliced and cooked, ...": the clause goes on after its "and"
        in_clause = False
        said_no = negated(piece)
        if said_no == ("cancel", "") and strip_filler(piece) in _NOT_KNOWING and not any(
                strip_filler(clean(p)) for p in pieces[n + 1:]):
            return [text]  # "three gates. no idea. hmm": the player does not know; nothing is done
        if said_no is not None and said_no[0] == "not" and len(pieces) > 1:
            merged.append(piece)  # "leave the bracelet, don't take it": a "not" is never part of another deed
            continue
        if merged and strip_filler(piece) in _MOTION and merged[-1].strip(" ,.") in DIRECTION_WORDS:
            merged[-1] = f"go {merged[-1].strip(' ,.')}"  # "east, go": the way first
            continue
        if remarks[n] and not all(remarks) and (not merged or strip_filler(piece).startswith(STATEMENTS)):
            continue  # "oh great, another empty room. going north": said about the game, not done in it
        if merged and observation(piece, known, named, after=True):
            continue  # "walking north, map says the backyard is there": what is seen, after the deed
        if not strip_filler(piece) or not strip_filler(" ".join(fix_word(w, known)[0] for w in piece.split())):
            continue  # "thanks." "ok,", "pelase": nothing to do
        if len(pieces) > 1 and set(piece.split()) <= people | _GREETINGS:
            continue  # "nadia, sell me the lamp", "..., good merchant": who is spoken to, not a command
        head = strip_filler(piece).split()[:1]
        starts = bool(head) and (head[0] in known.verb_starts or fix_word(head[0], known)[0] in known.verb_starts)
        a_noun = bool(head) and (head[0] in ARTICLES or (head[0] in known.words and not starts))
        bare_verb = bool(merged) and strip_filler(merged[-1]) in _BARE_MOTION  # "go and see the elder"
        if merged and (a_noun or bare_verb):
            merged[-1] = f"{merged[-1]} and {piece}"  # "and pepper": more of the last command's nouns
        elif len(pieces) > 1 and strip_filler(piece) in GESTURES or (
                n < len(pieces) - 1 and strip_filler(piece).split()[0] in _POSTURES):
            continue  # "reach up and grab the shard": the gesture is how, not what
        elif merged and strip_filler(piece) in _GO_AHEAD:
            continue  # "probably west? let's try that": the command before, said again
        elif n < len(pieces) - 1 and piece.startswith(("having ", "after having ")):
            continue  # "having read the tablet, I left": done before, not now
        elif merged and n > 0 and _circumstance_after(piece, known):
            continue  # "I stride east, leaving the room behind me": how, not another deed
        elif n < len(pieces) - 1 and piece.startswith(_SELF_STATE) and not set(piece.split()[1:]) & known.verb_starts:
            continue  # "I'm hungry, let me eat the meal": how the player feels, not a deed
        elif merged and head and head[0] in ("use", "using") and len(piece.split()) > 1:
            merged[-1] = f"{merged[-1]} with {piece.split(None, 1)[1]}"  # "unlock the door, use the old key"
        elif len(piece.split()) == 1 and _courtesy(piece):
            continue  # "..., pease": a slip on please
        elif n < len(pieces) - 1 and strip_filler(piece).startswith(STATEMENTS) and \
                clean(pieces[n + 1]).startswith(_SO):
            continue  # "it's dark down there, so I light my lantern": the reason, not a deed
        else:
            merged.append(piece)
    commands = [command for piece in merged for command in (several_moves(piece) or _one_per_thing(piece, story))]
    commands = [c for n, c in enumerate(commands) if not (n and _said_again(c, commands[n - 1], story))]
    # "buy the lantern, don't buy the rope": the rope is simply not bought; a line of nothing but "not"s is answered
    return [c for c in commands if (negated(c) or ("",))[0] != "not"] or commands


def _said_again(command: str, before: str, story: Story) -> bool:
    """"get rid of the potato, drop it": a verb and "it" after a command with that verb is the same deed again."""
    words = strip_filler(clean(command)).split()
    if len(words) != 2 or words[1] not in ("it", "them", "that", "this"):
        return False
    verbs = verbs_for_word(fix_word(words[0], game_words(story), first=True)[0])
    first = verb_readings(strip_filler(clean(before)), story)[:1]  # the longest verb phrase it opens with
    return bool(verbs) and bool(first) and verbs == {first[0][0].split()[0]}


def _remark(piece: str, known, named: frozenset[str]) -> bool:
    """"oh great, another empty room", "ugh, of course it's locked": said about the game, not a deed in it.
    Every word is English, none names a thing, a place or a way, and it says how things are or holds no verb."""
    said = strip_filler(piece)
    words = said.split()
    if not words or words[0] in ARTICLES or any(w in named or w in DIRECTION_WORDS or w.isdigit() for w in words):
        return False
    if not all(zipf(w) > 0 for w in words):  # "frobnicate" may be a command the game does not know
        return False
    if said.startswith(STATEMENTS):
        return True
    if verb_lemmas(words[0]):  # "dance": a deed, though not one of this game
        return False
    return not any(w in known.verb_starts or fix_word(w, known)[0] in known.verb_starts for w in words)


# before an "I", these make a question or a condition ("should i go east?", "where am i"), not a manner
_ASKING = frozenset({"should", "shall", "can", "could", "would", "may", "might", "must", "do", "does", "did", "will",
                     "if", "when", "where", "what", "whats", "why", "how", "who", "which", "whether", "am", "dont",
                     "cant", "wont", "shouldnt", "not", "never", "no", "unless", "until", "before", "after",
                     "since", "as", "because", "cause", "while", "whilst", "once", "now"})
# a clause that says the player holds its thing: that thing is the tool of a deed that needs one and names none
_HOLDING = frozenset({"have", "got", "found", "fetched", "grabbed", "took", "taken", "holding", "picked", "retrieved",
                      "hand", "hands", "carrying", "wielding", "gotten"})
_TOOL_VERBS = frozenset({"cut", "cook", "unlock", "lock"})


def _wants_a_tool(piece: str, known) -> bool:
    words = strip_filler(piece).split()
    return bool(words) and not set(words) & {"with", "using"} and bool(
        verbs_for_word(fix_word(words[0], known, first=True)[0]) & _TOOL_VERBS)


_NOT_KNOWING = frozenset({"no idea", "no clue", "dunno", "i have no idea", "not sure", "im not sure", "i dont know",
                          "idk", "no idea at all", "not a clue", "i have no clue"})
def _one_per_thing(piece: str, story: Story) -> list[str]:
    """'take the rope and the lamp' -> one command per thing (game.understanding.plural.split_list); a list with an
    item the game does not know stays whole, for the layer above to ask back."""
    listed = split_list(strip_filler(piece), story)
    return listed.commands if listed is not None and listed.commands else [piece]
