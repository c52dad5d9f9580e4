"""Grounding: is one sentence of narration backed by this turn's facts? Checked before it is shown.

    lexicon = Lexicon(story)                                   # once per story
    facts = build_facts(story, events, state, lexicon)         # once per turn, from typed values
    rejection = check_sentence("It swings open.", facts, earlier=[], lexicon=lexicon)
    rejection.reason  -> "contradiction"  (None when the sentence may be shown)

The facts are built from the turn's `Event`s (their ids and numbers in `data`, their messages) and
the room as `describe_room` shows it, plus what the state says of doors, gates and containers in
view and what the player carries (the sidebar shows it). A sentence is rejected, with one typed
reason, when it:
  unknown_thing    names a story thing, person, place or door not in the facts or the room
  unknown_name     uses a capitalised name (not the sentence's first word) the engine did not show
  invented_thing   brings in a thing no word of the facts backs ("a narrow alleyway", "the salt seller"):
                   a noun phrase after an article none of whose words is in the facts or AMBIENCE
  number           states a number (digits or number words) that is not in the facts
  unknown_exit     names a compass direction that is no exit here and not in the facts
  wrong_direction  puts a place the engine knows in another direction ("the elder's house is east")
  contradiction    says a shut door or gate opens (or an open one is shut), that you take, buy, drop
                   or sell what the events did not, or that you arrive somewhere you are not
  call_syntax      holds tool-call syntax ("[Calculator(", "->", "Dice(")
  prompt_text      holds prompt or template text ("You are the narrator", "Facts:", role tags)
  repeat           repeats an earlier sentence, or a phrase within itself
  cut_off          does not end in . ! ? (or a closing quote after one)
  not_prose        is under three words or mostly symbols

Deliberately left out: paraphrase and coreference ("it opens" is not traced to a door; a true
thing said in words no story name uses passes on its words alone), the number "one" (mostly a
pronoun), up/down/in/out as exits (mostly ordinary words), the first word of a sentence as an
invented name, and any model: these are rules over the engine's values, deterministic and fast.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.narration.grounding_words import (
    AMBIENCE,
    ARRIVE_RE,
    BEING_IN,
    CALL_RE,
    CAPITAL_RE,
    CLAIMS,
    COMPASS,
    COMPASS_RE,
    ENDS_RE,
    GENERIC_ALIASES,
    GENERIC_DOOR_RE,
    IDIOMS,
    NEGATION_RE,
    NP_RE,
    NP_STOP,
    NUMBER_RE,
    NUMBER_WORDS,
    OPEN_RE,
    PROMPT_RE,
    SHUT_NEGATION_RE,
    SHUT_RE,
    WORD_RE,
)
from game.world import queries as q
from game.world.actions import describe_room
from game.world.events import Event
from game.world.model import Story
from game.world.state import WorldState

UNKNOWN_THING, UNKNOWN_NAME, NUMBER, INVENTED = "unknown_thing", "unknown_name", "number", "invented_thing"
UNKNOWN_EXIT, WRONG_DIRECTION, CONTRADICTION = "unknown_exit", "wrong_direction", "contradiction"
CALL_SYNTAX, PROMPT_TEXT, REPEAT, CUT_OFF, NOT_PROSE = "call_syntax", "prompt_text", "repeat", "cut_off", "not_prose"
REASONS = (UNKNOWN_THING, UNKNOWN_NAME, INVENTED, NUMBER, UNKNOWN_EXIT, WRONG_DIRECTION, CONTRADICTION,
           CALL_SYNTAX, PROMPT_TEXT, REPEAT, CUT_OFF, NOT_PROSE)

@dataclass(frozen=True)
class Rejection:
    sentence: str
    reason: str  # one of REASONS
    detail: str = ""

    def to_dict(self) -> dict:
        return {"sentence": self.sentence, "reason": self.reason, "detail": self.detail}


class Lexicon:
    """Every surface form (name, alias) of the story's rooms, doors, items, people and riddle gates."""

    def __init__(self, story: Story) -> None:
        self.ids: dict[str, set[str]] = {}
        self.kind: dict[str, str] = {}
        for kind, things in (("room", story.rooms), ("door", story.doors), ("item", story.items),
                             ("character", story.characters), ("riddle", story.riddles)):
            for thing in things:
                self.kind[thing.id] = kind
                for form in [thing.name, *getattr(thing, "aliases", [])]:
                    form = _norm(form)
                    form = re.sub(r"^(?:the|a|an)\s+", "", form)
                    if form and form not in GENERIC_ALIASES and len(form) > 1:
                        self.ids.setdefault(form, set()).add(thing.id)
        forms = sorted(self.ids, key=len, reverse=True)
        self._re = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in forms) + r")(?:e?s)?\b") if forms else None

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(form, start, end) of every mention in `text` (already normalised), longest forms first."""
        if self._re is None:
            return []
        found = []
        for m in self._re.finditer(text):
            word = m.group(0)
            form = word if word in self.ids else re.sub(r"e?s$", "", word)
            if form in self.ids:
                found.append((form, m.start(), m.end()))
        return found


@dataclass
class TurnFacts:
    text: str  # the engine's words this turn (events and the room), normalised
    allowed: set[str] = field(default_factory=set)  # story ids in the facts or in view
    allowed_forms: set[str] = field(default_factory=set)
    numbers: set[int] = field(default_factory=set)
    directions: set[str] = field(default_factory=set)
    relations: dict[str, set[str]] = field(default_factory=dict)  # room id -> directions it lies in
    location: str | None = None
    did: dict[str, set[str]] = field(default_factory=dict)  # "take" / "buy" / "drop" / "sell" -> item ids
    event_kinds: set[str] = field(default_factory=set)
    shut: set[str] = field(default_factory=set)  # doors, gates, containers in view that are shut now
    open_: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").lower()


def _story_ids(value, story: Story, lexicon: Lexicon, out: set[str], numbers: set[int]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        numbers.add(abs(value))
    elif isinstance(value, str) and value in lexicon.kind:
        out.add(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _story_ids(v, story, lexicon, out, numbers)
    elif isinstance(value, dict):
        for v in value.values():
            _story_ids(v, story, lexicon, out, numbers)


def numbers_in(text: str) -> list[int]:
    values = []
    for m in NUMBER_RE.finditer(text):
        word = m.group(0).lower()
        if word.isdigit():
            values.append(int(word))
        else:
            head, _, tail = word.partition("-")
            values.append(NUMBER_WORDS[head] + (NUMBER_WORDS.get(tail, 0) if tail else 0))
    return values


def compass_in(text: str) -> list[tuple[str, int, int]]:
    found = []
    for m in COMPASS_RE.finditer(text):
        word = (m.group(1) + m.group(2)) if m.group(1) else m.group(3)
        found.append((COMPASS[word.lower()], m.start(), m.end()))
    return found


def build_facts(story: Story, events: list[Event], state: WorldState | None = None,
                lexicon: Lexicon | None = None) -> TurnFacts:
    """The facts a sentence may use: the events, the room as `describe_room` shows it, the state in view."""
    lexicon = lexicon or Lexicon(story)
    room = describe_room(story, state) if state is not None else None
    messages = [e.message for e in events if e.message]
    if room is not None and room.message not in messages:
        messages.append(room.message)
    text = _norm("\n".join(messages))
    facts = TurnFacts(text=text, location=state.location if state is not None else None)
    for event in events + ([room] if room is not None else []):
        _story_ids(event.data, story, lexicon, facts.allowed, facts.numbers)
        facts.event_kinds.add(event.kind)
        if event.kind == "moved":
            facts.directions.add(event.data.get("direction", ""))
            facts.location = facts.location or event.data.get("to")
            for rid in (event.data.get("to"), event.data.get("from")):
                facts.relations.setdefault(rid, set()).add(event.data.get("direction", ""))
        for claim, (_, kinds) in CLAIMS.items():
            if event.kind in kinds and event.data.get("id"):
                facts.did.setdefault(claim, set()).add(event.data["id"])
    if state is not None:
        facts.allowed.update(q.held(story, state))
        facts.allowed.update(q.doors_here(story, state))
        for exit_ in q.exits_here(story, state):
            facts.directions.add(exit_.direction)
            facts.relations.setdefault(exit_.to, set()).add(exit_.direction)
        for did in q.doors_here(story, state):
            (facts.open_ if q.door_is_open(story, state, did) else facts.shut).add(did)
        for rid in q.riddles_here(story, state):
            (facts.open_ if rid in state.solved else facts.shut).add(rid)
        for iid in q.in_scope(story, state):
            container = story.item(iid).container
            if container is not None and container.openable:
                (facts.open_ if q.is_open(story, state, iid) else facts.shut).add(iid)
    for form, _, _ in lexicon.find(text):
        facts.allowed_forms.add(form)
        facts.allowed.update(lexicon.ids[form])
    for form, ids in lexicon.ids.items():
        if ids & facts.allowed:
            facts.allowed_forms.add(form)
    facts.numbers.update(numbers_in(text))
    facts.directions.update(d for d, _, _ in compass_in(text))
    facts.directions.discard("")
    facts.words = set(WORD_RE.findall(text))
    return facts


def sentence_key(sentence: str) -> str:
    return " ".join(WORD_RE.findall(_norm(sentence)))


def _repeats(sentence: str, earlier: list[str]) -> str:
    key = sentence_key(sentence)
    words = key.split()
    for other in earlier:
        other_key = sentence_key(other)
        if key == other_key:
            return "the same as an earlier sentence"
        a, b = set(words), set(other_key.split())
        if len(a) >= 4 and len(b) >= 4 and len(a & b) / len(a | b) >= 0.8:
            return "nearly the same as an earlier sentence"
    grams = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    seen = set()
    for gram in grams:
        if gram in seen and any(len(w) > 3 for w in gram):
            return f"repeats '{' '.join(gram)}'"
        seen.add(gram)
    return ""


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def check_sentence(sentence: str, facts: TurnFacts, earlier: list[str] | tuple = (),
                   lexicon: Lexicon | None = None, story: Story | None = None) -> Rejection | None:
    """The first reason `sentence` may not be shown, or None. Give `lexicon` (or `story`)."""
    if lexicon is None:
        if story is None:
            raise ValueError("check_sentence needs the story's lexicon (or the story)")
        lexicon = Lexicon(story)
    stripped = sentence.strip()

    def no(reason: str, detail: str = "") -> Rejection:
        return Rejection(stripped, reason, detail)

    if PROMPT_RE.search(stripped):
        return no(PROMPT_TEXT, PROMPT_RE.search(stripped).group(0))
    if CALL_RE.search(stripped):
        return no(CALL_SYNTAX, CALL_RE.search(stripped).group(0))
    words = stripped.split()
    letters = sum(ch.isalpha() for ch in stripped)
    if len(words) < 3 or letters / max(1, len(stripped.replace(" ", ""))) < 0.6:
        return no(NOT_PROSE, "too short" if len(words) < 3 else "mostly symbols")
    if not ENDS_RE.search(stripped):
        return no(CUT_OFF, "no closing punctuation")
    repeated = _repeats(stripped, list(earlier))
    if repeated:
        return no(REPEAT, repeated)

    text = _norm(stripped)
    mentions = lexicon.find(text)
    for form, _, _ in mentions:
        if form not in facts.allowed_forms and not (lexicon.ids[form] & facts.allowed):
            return no(UNKNOWN_THING, form)
    spans = [(s, e) for _, s, e in mentions]
    first_word = re.match(r"\W*\w+", stripped)
    for m in CAPITAL_RE.finditer(stripped):
        word = _norm(m.group(0)).removesuffix("'s")
        if first_word and m.start() < first_word.end() or word in ("i", "you", "your") or word in facts.words:
            continue
        if any(s <= m.start() < e for s, e in spans) or stripped[max(0, m.start() - 2):m.start()].strip() in ('"', '“'):
            continue
        return no(UNKNOWN_NAME, m.group(0))
    for value in numbers_in(_masked(text, spans)):
        if value not in facts.numbers:
            return no(NUMBER, str(value))
    directions = compass_in(_masked(text, spans))
    for direction, _, _ in directions:
        if direction not in facts.directions:
            return no(UNKNOWN_EXIT, direction)
    for form, start, end in mentions:
        for rid in lexicon.ids[form]:
            if lexicon.kind.get(rid) != "room" or rid not in facts.relations or not directions:
                continue
            nearest = min(directions,
                          key=lambda d: min(abs(d[1] - end), abs(start - d[2])) + (0.5 if d[2] <= start else 0))
            if min(abs(nearest[1] - end), abs(start - nearest[2])) <= 40 and nearest[0] not in facts.relations[rid]:
                return no(WRONG_DIRECTION, f"{form} is {'/'.join(sorted(facts.relations[rid]))}, not {nearest[0]}")
    contradiction = _contradiction(stripped, text, mentions, facts, lexicon)
    if contradiction is not None:
        return contradiction
    invented = _invented(text, facts, spans)
    return no(INVENTED, invented) if invented else None


def _contradiction(stripped: str, text: str, mentions, facts: TurnFacts, lexicon: Lexicon) -> Rejection | None:
    def no(detail: str) -> Rejection:
        return Rejection(stripped, CONTRADICTION, detail)

    generic_doors = [m for m in GENERIC_DOOR_RE.finditer(text) if not any(s <= m.start() < e for _, s, e in mentions)]
    targets = [(rid, s, e) for form, s, e in mentions for rid in lexicon.ids[form] if rid in facts.shut | facts.open_]
    in_view = [tid for tid in facts.shut | facts.open_ if lexicon.kind.get(tid) in ("door", "riddle")]
    for m in generic_doors:  # "the gate" means the gates in view (the doors when no gate is called so)
        noun = m.group(0).rstrip("s")
        called = [tid for tid in in_view if any(noun in form for form, ids in lexicon.ids.items() if tid in ids)]
        targets += [(tid, m.start(), m.end()) for tid in (called or in_view)]
    for regex, opening in ((OPEN_RE, True), (SHUT_RE, False)):
        negated = (NEGATION_RE if opening else SHUT_NEGATION_RE).search(text)
        for m in regex.finditer(text):
            near = {tid for tid, s, e in targets if min(abs(m.start() - e), abs(s - m.end())) <= 20}
            if not near:
                if opening and not negated and any(min(abs(m.start() - g.end()), abs(g.start() - m.end())) <= 20
                                                   for g in generic_doors) and not (facts.shut | facts.open_):
                    return no("no door or gate here to open")
                continue
            if opening and not negated and not near & facts.open_:
                return no(f"{', '.join(sorted(near))} is shut")
            if not opening and not negated and not near & facts.shut and not OPEN_RE.search(text):
                return no(f"{', '.join(sorted(near))} is open")
    for claim, (regex, _) in CLAIMS.items():
        for m in regex.finditer(text):
            obj = re.split(r"\b(?:and|from|with|to|for|as|while)\b", m.group("obj"))[0]
            obj_words = [w for w in WORD_RE.findall(obj) if w not in ("the", "up", "a", "an", "some")]
            done = facts.did.get(claim, set())
            named = {rid for form, _, _ in lexicon.find(obj) for rid in lexicon.ids[form]
                     if lexicon.kind.get(rid) == "item"}
            if not done:
                if obj_words and obj_words[0] in IDIOMS and not named:
                    continue
                return no(f"says you {claim} something; the engine did not")
            if named and not named & done:
                return no(f"says you {claim} {', '.join(sorted(named))}; the engine did not")
    if facts.location:
        for m in ARRIVE_RE.finditer(text):
            rooms = {rid for form, _, _ in lexicon.find(m.group("obj")) for rid in lexicon.ids[form]
                     if lexicon.kind.get(rid) == "room"}
            if rooms and facts.location not in rooms:
                return no(f"you are in {facts.location}, not {', '.join(sorted(rooms))}")
            verb = " ".join(m.group("verb").lower().split())
            if verb not in BEING_IN and "moved" not in facts.event_kinds and (rooms or verb != "reach"):
                return no(f"says you {verb} somewhere; the engine did not move you")
            place = re.split(r"[,:;\"]|\b(?:and|where|that|which|with|to|as|while|at|in|on|by|near|beside|before|"
                             r"after|under|from|for)\b", m.group("obj"))[0]
            head = [w for w in WORD_RE.findall(place) if w not in ("the", "a", "an", "this", "some", "your")]
            if head and not rooms and _singular(head[-1]) not in {_singular(w) for w in facts.words}:
                return no(f"you arrive at '{' '.join(head)}', which the engine does not name")
    return None


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _invented(text: str, facts: TurnFacts, spans: list[tuple[int, int]]) -> str:
    """The first noun phrase after an article that no word of the facts backs, or ""."""
    known = facts.words | {_singular(w) for w in facts.words} | {w for f in facts.allowed_forms for w in f.split()}
    for m in NP_RE.finditer(text):
        if any(s <= m.start(1) < e for s, e in spans):
            continue
        words = []
        for word in m.group(1).split():
            if word in NP_STOP:
                break
            words.append(word)
        if words and not any(w in known or _singular(w) in known or _singular(w) in AMBIENCE or w in AMBIENCE
                             or w in COMPASS for w in words):
            return " ".join(words)
    return ""


_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s)")


def split_sentences(buffer: str) -> tuple[list[str], str]:
    """Complete sentences at the front of `buffer` (an end mark followed by space), and the rest."""
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(buffer):
        piece = buffer[start:m.end()].strip()
        if piece:
            sentences.append(piece)
        start = m.end()
    return sentences, buffer[start:]
