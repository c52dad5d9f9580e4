"""The deterministic parser: words -> an `Action` over things actually present.

It knows the lexicon's verb synonyms (game.understanding.lexicon; a story may add its own) and abbreviations
(n s e w u d, i, x, l), strips politeness and articles, and matches nouns against what is in scope now
(game.understanding.nouns: names, aliases, adjectives, and prefixes of at least three letters: "lant" ->
lantern; then the looser readings of game.understanding.loose_names). Exits can be named by direction or by
destination room.

Results, by `status`:
  ok          an action the engine should try (it may still refuse it)
  ambiguous   several things fit; `candidates` lists them for one question
  absent      the noun names a real story thing that is not here
  incomplete  a known verb without the noun it needs ("take")
  unknown     not understood; the intent layer may let the model rank actions

Deliberately left out: pronouns, several commands in one line, spelling and sentence shapes ("use the key to
unlock the door"): game.understanding.normalise and the lexicon's frames bring the player's words to this
parser's plain commands first; multiple objects ("take all") are not supported.
"""
from __future__ import annotations

import re

from game.understanding.cleaning import ARTICLES, clean
from game.understanding.described import contained_thing, described_thing, names_its_kind, near_a_name
from game.understanding.going import go_phrase
from game.understanding.lexicon import DIRECTION_WORDS, verb_synonyms
from game.understanding.loose_names import (
    HANDS,
    in_the_state_said,
    one_word_off,
    whole_for_its_part,
    without_where,
)
from game.understanding.nouns import (
    DISTINGUISHING,
    SEPARATORS,
    everything,
    match_nouns,
    named_words,
    noun_words,
    vocabulary,
)
from game.understanding.parse_result import ParseResult
from game.understanding.spelling import fix_word, game_words, per_story
from game.world import queries as q
from game.world.events import Action
from game.world.model import Story
from game.world.state import WorldState

_ARTICLES = ARTICLES
_POLITE = ("please", "now", "then", "i want to", "i would like to", "id like to", "i'd like to", "let's", "lets",
           "let me", "i will", "ill", "i", "try to", "go and", "carefully", "quickly")
VERB_SYNONYMS = verb_synonyms()


def _by_first_word(table: dict[str, str]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(verb of each phrase, the phrases by their first word, the longest first): a line is matched only
    against the phrases that start with its own first word."""
    starting: dict[str, list[str]] = {}
    for phrase in sorted(table, key=lambda p: -len(p.split())):
        starting.setdefault(phrase.split(" ", 1)[0], []).append(phrase)
    return table, starting


_LEXICON_TABLE = _by_first_word(VERB_SYNONYMS)


def _verb_table(story: Story | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The lexicon's verb phrases, with the story's own (`Story.verbs`) added."""
    if story is None or not story.verbs:
        return _LEXICON_TABLE
    return per_story(story, "verb phrases",
                     lambda s: _by_first_word(verb_synonyms({clean(k): v for k, v in s.verbs.items()})))


_WAIT_WORDS = frozenset({"a bit", "a while", "for a while", "a moment", "here", "around", "a minute", "awhile",
                         "for a bit", "for a moment"})
_SPLIT_PUT = re.compile(r"\s+(?:in|into|inside|on|onto|upon|on top of|to)\s+")  # "return the cup to the shelf"
_WITH = re.compile(r"\s+(?:with|using|for|by means of|by using)\s+")
_FROM = re.compile(r"\s+(?:from|out of|off|off of|of)\s+")  # "of" last: names hold it ("coil of rope")


def _strip_polite(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for phrase in _POLITE:
            if text.startswith(phrase + " "):
                text, changed = text[len(phrase) + 1:], True
        if text.endswith(" please"):
            text, changed = text[: -len(" please")], True
    return text


def verb_readings(text: str, story: Story | None = None) -> list[tuple[str, str]]:
    """(verb, rest) for every verb phrase the text starts with, the longest first."""
    table, starting = _verb_table(story)
    return [(table[p], text[len(p):].strip()) for p in starting.get(text.split(" ", 1)[0], ())
            if text == p or text.startswith(p + " ")]


def _resolve(story: Story, state: WorldState, verb: str, phrase: str, scope: list[str],
             make=lambda some_id: None) -> ParseResult:
    if not noun_words(phrase):
        return ParseResult("incomplete", message=f"What do you want to {verb}?")
    hits = match_nouns(story, phrase, scope) or contained_thing(story, state, phrase, scope, match_nouns)
    if not hits:  # "that big door", "the buckles of the bag": match on the words that name things
        named = named_words(story)
        kept = [w for w in noun_words(phrase) if w in named]
        dropped = set(noun_words(phrase)) - set(kept)
        # only words the game does not know at all: "the red key" is never the blue one, "open" is never noise
        if kept and dropped and not dropped & (DISTINGUISHING | SEPARATORS | game_words(story).words) and \
                not any(near_a_name(w, named) for w in dropped):  # "the kife from the counter" is no counter
            hits = match_nouns(story, " ".join(kept), scope)
    hits = hits or in_the_state_said(story, state, phrase, scope)  # "the locked chest" when it is locked
    hits = hits or one_word_off(story, phrase, scope)  # "the old saddlebag" where no saddlebag is old
    if verb in ("open", "close", "unlock", "lock", "examine"):  # "lift the trunk lid" is no taking of the trunk
        hits = hits or whole_for_its_part(story, phrase, scope)  # "the fridge door", "the lid of the trunk"
    hits = hits or described_thing(story, phrase, scope, vocabulary)  # "the lad with straw in his hair"
    if len(hits) == 1 and phrase.split()[0] in ("a", "an") and not names_its_kind(story, hits[0], noun_words(phrase)):
        return ParseResult("ambiguous", message=f"Do you mean {_or_list(story, [make(hits[0])])}?",
                           candidates=[make(hits[0])])  # "grab a cloud": a kind of thing, not the cloud shard
    if len(hits) == 1:
        return ParseResult("ok", make(hits[0]))
    if len(hits) > 1:
        options = [make(h) for h in hits]
        return ParseResult("ambiguous", message="Which do you mean: " + _or_list(story, options) + "?",
                           candidates=options)
    elsewhere = match_nouns(story, phrase, everything(story))
    if elsewhere:
        dark = not q.is_lit(story, state)
        return ParseResult("absent", message="It is too dark to see." if dark else "You don't see that here.")
    return ParseResult("unknown", message=f"I don't know what \"{phrase}\" is.")


def _or_list(story: Story, actions: list[Action]) -> str:
    return " or ".join(a.phrase(story) for a in actions)


def parse(story: Story, state: WorldState, text: str) -> ParseResult:
    """Parse one command. Never raises; returns status 'unknown' for anything odd."""
    text = _strip_polite(clean(text))
    if not text:
        return ParseResult("incomplete", message="Say what you want to do.")
    if text in DIRECTION_WORDS:
        return go_phrase(story, state, text)
    readings = verb_readings(text, story)
    if not readings:
        return ParseResult("unknown", message="I don't understand that.", no_verb=True)
    # The longest verb phrase first; a shorter one when the longer leaves nothing sensible
    # ("put out of date calendar on stand" is a put, not "put out").
    first = None
    for verb, rest in readings:
        result = _parse_verb(story, state, text, verb, rest)
        if result.status in ("ok", "ambiguous"):
            return result
        first = first or result
    return first


_MEAL_WORDS = frozenset({"meal", "the", "a", "my", "our", "dinner", "food", "lunch", "supper", "breakfast", "now",
                         "it", "some"})


_SAID_AS_ANSWER = ("you are ", "youre ", "its ", "it is ", "thats ", "that is ")


def _parse_verb(story: Story, state: WorldState, text: str, verb: str, rest: str) -> ParseResult:
    if verb.startswith("go ") and rest.split()[:1] and rest.split()[0] in DIRECTION_WORDS:
        verb = "go"  # "head off east": the way said wins over the one the verb has
    elif verb.startswith("go "):  # "exit", "descend"...
        verb, rest = "go", verb[3:] + (" " + rest if rest else "")
    if verb == "go":
        return go_phrase(story, state, rest)
    if verb == "prepare":  # "prepare meal"; "prepare the cheese on the oven" is something else (cook, a frame)
        if rest and not set(rest.split()) <= _MEAL_WORDS:
            return ParseResult("unknown", message="I don't understand that.")
        return ParseResult("ok", Action("prepare"))
    if verb == "cut":
        how = text.split()[0]
        return _tool_verb(story, state, "cut", rest, how)
    if verb == "cook":
        return _tool_verb(story, state, "cook", rest, None)
    if verb in ("look", "examine") and rest and _names_this_room(story, state, rest):
        return ParseResult("ok", Action("look"))  # "look around the market", "survey the sanctum"
    if verb in ("look", "inventory", "wait"):
        if verb == "look" and rest and rest not in ("around", "room", "about"):
            verb, rest = "examine", rest.removeprefix("at ").strip()
        elif verb == "wait" and rest and rest not in _WAIT_WORDS:  # "rest the pepper on the stove" is no wait
            return ParseResult("unknown", message="I don't understand that.")
        else:
            return ParseResult("ok", Action(verb))
    if verb == "answer" and not text.startswith("answer") and not q.riddles_here(story, state):
        # "say hello to the boy" away from any gate is not a riddle answer: leave it to ranking
        return ParseResult("unknown", message="I don't understand that.")
    if verb in ("answer", "lore"):
        rest = rest.removeprefix("about ").strip()
        rest = " ".join(w for w in rest.split() if w not in _ARTICLES) if verb == "lore" else rest
        while verb == "answer" and rest.startswith(_SAID_AS_ANSWER):  # "whisper to the gate: you are the breeze"
            rest = rest.split(" ", 2 if rest.startswith(("you are ", "it is ", "that is ")) else 1)[-1]
        if not rest:
            return ParseResult("incomplete", message="Say what you want to answer, e.g. 'answer wind'."
                               if verb == "answer" else "Recall lore about what?")
        return ParseResult("ok", Action(verb, text=rest))
    return _object_verb(story, state, verb, rest)


_ROOM_WORDS = frozenset({"around", "round", "about", "at", "the", "this", "whole", "entire", "room", "place", "area",
                         "here", "in", "inside", "of", "over", "once", "again", "more", "one", "final", "last", "time"})


def _names_this_room(story: Story, state: WorldState, rest: str) -> bool:
    """The room the player stands in, named ("the market" in the Bazaar if it says so, "this place"), and no thing."""
    room = story.room(state.location)
    words = [w for w in rest.split() if w not in _ROOM_WORDS]
    if not words:
        return bool(set(rest.split()) & {"room", "place", "area"})
    names = {w for phrase in [room.name, *room.aliases] for w in clean(phrase).split()}
    return set(words) <= names and not match_nouns(story, " ".join(words), q.in_scope(story, state))


def _surface(story: Story, some_id: str) -> bool:
    item = story.item(some_id) if story.kind_of(some_id) == "item" else None
    return item is not None and item.container is not None and item.container.kind == "on"


def _object_verb(story: Story, state: WorldState, verb: str, rest: str) -> ParseResult:
    scope = q.in_scope(story, state)
    doors, people = q.doors_here(story, state), q.people_here(story, state)
    if verb == "put":
        thing, target, sep, failed = _two_nouns(story, state, verb, rest, _SPLIT_PUT, q.held(story, state), scope)
        if failed or target is None:
            return failed or ParseResult("incomplete", message="Put it where? Say 'put X in Y' or 'put X on Y'.")
        if sep.strip() == "to":  # the holder's own way, in or on
            return ParseResult("ok", Action("put", thing, target))
        prep = "on" if sep.strip() in ("on", "onto", "upon", "on top of") else "in"
        after = rest.split(sep, 1)[-1].split()
        if prep == "in" and ("on" in after or "of" in after) and _surface(story, target):
            prep = "on"  # "into one of the hollows on the altar": in a part of a surface is on it
        return ParseResult("ok", Action("put", thing, target, text=prep))
    if verb == "buy":
        parts = _WITH.split(rest, maxsplit=1)
        amount = None
        if len(parts) == 2:
            digits = [w for w in parts[1].split() if w.isascii() and w.isdigit()]
            amount = digits[0] if digits else None
        stock = [i for c in people for i in q.stock_of(story, state, c)]
        return _resolve(story, state, verb, _drop_from(parts[0]), stock, lambda i: Action("buy", i, text=amount))
    if verb in ("open", "close") and match_nouns(story, (_WITH.split(rest, maxsplit=1) + [""])[1], scope):
        verb = {"open": "unlock", "close": "lock"}[verb]  # "close the locker with the latchkey" locks it
    if verb in ("unlock", "lock"):  # "with the brass key": the handler checks that it fits
        locks = doors + [i for i in scope if (story.item(i).container or None) and story.item(i).container.lockable]
        noun, *key_phrase = _WITH.split(rest, maxsplit=1)
        if not noun_words(noun) and len(locks) == 1:  # "unlock with the key": the only lock here
            if not key_phrase or not noun_words(key_phrase[0]):
                return ParseResult("ok", Action(verb, locks[0]))
            return _resolve(story, state, verb, key_phrase[0], scope, lambda k: Action(verb, locks[0], k))
        lock, key, _, failed = _two_nouns(story, state, verb, rest, _WITH, locks, scope)
        return failed or ParseResult("ok", Action(verb, lock, key))
    if verb == "talk":
        noun = _WITH.split(rest, maxsplit=1)[0].removeprefix("to ").removeprefix("with ")
        noun = noun.split(" about ")[0]
        if not noun_words(noun) and len(people) == 1:
            return ParseResult("ok", Action("talk", people[0]))
        return _resolve(story, state, verb, noun, people, lambda c: Action("talk", c))
    if verb == "sell":
        noun = re.split(r"\s+to\s+", rest, maxsplit=1)[0]
        return _with_origin_said(story, state, verb, noun, q.held(story, state), lambda i: Action("sell", i))
    if verb == "drop":
        return _with_origin_said(story, state, verb, rest, q.held(story, state), lambda i: Action("drop", i))
    if verb == "take":  # "take X from Y": X must be in or on Y (the handler says so if not)
        not_carried = [i for i in scope if i not in q.carried_directly(state)]
        thing, holder, _, failed = _two_nouns(story, state, verb, rest, _FROM, not_carried or scope, scope)
        first, *place = _FROM.split(rest, maxsplit=1)
        if failed and place and not set(noun_words(place[0])) & named_words(story):  # "off the step": no holder
            return _resolve(story, state, verb, first, not_carried or scope, lambda i: Action("take", i))
        if not failed and thing == holder:  # "take that shard of wind": one thing named in two halves
            thing, holder, _, failed = _two_nouns(story, state, verb, _FROM.sub(" ", rest), _FROM,
                                                  not_carried or scope, scope)
        return failed or ParseResult("ok", Action("take", thing, holder))
    if verb in ("examine", "read"):
        pool = scope + people + doors + q.riddles_here(story, state)
    elif verb in ("open", "close"):
        pool = scope + doors
    else:
        pool = scope

    def make(i: str) -> Action:  # reading a gate or a door means studying it: examine shows a riddle's words
        return Action(verb if story.kind_of(i) == "item" or verb in ("open", "close") else "examine", i)

    whole = _with_origin_said(story, state, verb, rest, pool, make)
    if whole.status in ("ok", "ambiguous"):
        return whole
    first, *tool = _WITH.split(rest, maxsplit=1)
    named = named_words(story)
    known = game_words(story)
    if tool and any(w not in known.words and (near_a_name(w, named) or fix_word(w, known)[0] in named)
                    for w in noun_words(tool[0])):
        return whole  # "with the type 3 laatchkey": a thing of the game, misspelt, is no manner
    done = _resolve(story, state, verb, first, pool, make)  # "open the chest with care"
    if verb == "light" and tool and done.status == "ok" and not _lights_it(story, done.action.obj, tool[0], pool):
        return ParseResult("unknown", message="That will not light it.")  # "light the lamp with the rope"
    return done


def _lights_it(story: Story, lamp: str, tool: str, pool: list[str]) -> bool:
    """A thing named to light a lamp with is what the lamp needs; words that name no thing here say only how."""
    named = match_nouns(story, tool, pool)
    needs = story.item(lamp).light.needs if story.kind_of(lamp) == "item" and story.item(lamp).light else None
    return not named or named == [needs]


_TOOL = re.compile(r"\s+(?:with|using|in|on|by means of)\s+")


def _tool_verb(story: Story, state: WorldState, verb: str, rest: str, how: str | None) -> ParseResult:
    """'slice the carrot with the knife', 'cook the carrot in the oven': the food, then the tool."""
    scope = q.in_scope(story, state)
    food, tool, _, failed = _two_nouns(story, state, verb, rest, _TOOL, scope, scope)
    if failed or tool is None:
        return failed or ParseResult("incomplete", message=f"{(how or verb).capitalize()} it with what?")
    return ParseResult("ok", Action(verb, food, tool, how))


def _two_nouns(story: Story, state: WorldState, verb: str, phrase: str, separators: re.Pattern,
               first_pool: list[str], second_pool: list[str]):
    """(first id, second id or None, separator, None) for "X <separator> Y" or "X" -- or
    (None, None, "", ParseResult) saying what failed.

    Names may hold the separator words ("shut off tablet", "case for glasses"), so the whole phrase
    naming one thing wins; otherwise each place the phrase can be cut is tried, left to right."""
    whole = _resolve(story, state, verb, phrase, first_pool, lambda i: Action(verb, i))
    if whole.status == "ok":
        return whole.action.obj, None, "", None
    failure = None if whole.status == "unknown" else whole
    for cut in separators.finditer(phrase):
        first = _resolve(story, state, verb, phrase[:cut.start()], first_pool, lambda i: Action(verb, i))
        head = without_where(story, phrase[:cut.start()])
        if first.status != "ok" and head:  # "slice the pepper on the counter with the knife"
            first = _resolve(story, state, verb, head, first_pool, lambda i: Action(verb, i))
        second = _resolve(story, state, verb, phrase[cut.end():], second_pool, lambda i: Action(verb, i))
        if first.status == "ok" and second.status == "ok":
            return first.action.obj, second.action.obj, cut.group(0), None
        failure = failure or (first if first.status != "ok" else second)
    return None, None, "", failure or whole


_ORIGIN = re.compile(r"\s+(?:from|near|beside|next to|out of|off)\s+(?P<where>.+)$")  # not "by": "by" may be buy


def _with_origin_said(story: Story, state: WorldState, verb: str, phrase: str, pool: list[str], make) -> ParseResult:
    """One thing, and where it came from or lies ("sell the bracelet from the pool", "eat the apple from the
    fridge"): the place says nothing the engine needs when the thing alone names one thing here."""
    whole = _resolve(story, state, verb, phrase, pool, make)
    match = _ORIGIN.search(phrase)
    if whole.status in ("ok", "ambiguous") or match is None:
        return whole
    places = per_story(story, "place_words", lambda s: frozenset(
        w for r in s.rooms for name in [r.name, *r.aliases] for w in clean(name).split()))
    where = noun_words(match["where"])
    if not where or (where[-1] not in named_words(story) | places and match["where"].strip() not in HANDS):
        return whole
    head = _resolve(story, state, verb, phrase[:match.start()], pool, make)
    return head if head.status == "ok" else whole


def _drop_from(phrase: str) -> str:
    """'key from the chest' -> 'key' (the engine knows where the key is)."""
    return _FROM.split(phrase, maxsplit=1)[0]
