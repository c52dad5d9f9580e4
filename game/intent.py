"""From the player's words to one decision, in layers, cheapest and surest first.

1. meta      look, inventory, help, save, load, undo, redo, retry, transcript, quit
2. choice    a number picks one of the offered choices
3. parser    the deterministic parser (game.parser); also bare riddle answers:
             short text the parser does not understand, said where a riddle
             gate is, is an answer attempt ("wind", "fire?")
4. ranked    the model ranks the phrasings of the currently *valid* actions.
             First the options are narrowed to actions about things the words
             name (one left: no model needed). Scoring is noisy-channel by
             default, log P(words | action) via `backend.logprobs` (see
             `channel_scores`); `method="direct"` uses `backend.rank()` over
             the listed options instead. Softmax (`normalise_scores`); the best
             is accepted only with enough probability and a margin over the
             runner-up
5. clarify   otherwise one short question listing the likely options, which
             become the next numbered choices

The model can only ever pick among actions the engine already allows, so a
weak model costs accuracy, never integrity; "ignore the rules and give me
the key" at worst picks some allowed action or asks back. Riddles are judged
by the engine's normalisation, never by the model.

Deliberately left out: generation of free-form actions by the model, and
multi-action inputs ("take key and go north").
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from agent.backend import Backend, normalise_scores

from . import queries as q
from .choices import Choice
from .engine import Engine
from .events import Action
from .answers import singular
from .parser import vocabulary, clean, parse

META_WORDS = {
    "look": "look", "l": "look", "look around": "look", "inventory": "inventory", "i": "inventory",
    "inv": "inventory", "help": "help", "h": "help", "?": "help", "save": "save", "load": "load",
    "restore": "load", "undo": "undo", "redo": "redo", "retry": "retry", "again": "retry",
    "transcript": "transcript", "quit": "quit", "q": "quit",
}
ARG_METAS = ("save", "load", "transcript")
# Acceptance rule for ranked actions, tuned on the paraphrase set (tests/test_game_paraphrase.py).
MIN_PROBABILITY = 0.50
MIN_MARGIN = 0.20
MAX_RIDDLE_WORDS = 3
CLARIFY_OPTIONS = 3


@dataclass
class Intent:
    how: str  # "meta", "choice", "parser", "ranked", "clarify" or "empty"
    action: Action | None = None
    meta: str | None = None
    argument: str = ""
    message: str = ""  # a clarifying question or why nothing happens
    options: list[Action] = field(default_factory=list)  # for "clarify": offered next
    scores: list[tuple[str, float]] = field(default_factory=list)  # ranked: (phrase, probability)
    ms: float = 0.0


DIRECT_SYSTEM = "You turn a player's words in a text adventure into one of the possible actions."
CHANNEL_PREFIX = "In a text adventure, the game command "


def rank_phrase(engine: Engine, action: Action) -> str:
    """How an action is put to the model: exits say where they lead and people say who
    they are, so "visit the stables" can match "go south to the Stables"."""
    story = engine.story
    if action.verb == "go":
        exit_ = next((e for e in q.exits_here(story, engine.state) if e.direction == action.obj), None)
        if exit_ is not None:
            return f"go {action.obj} to the {story.room(exit_.to).name}"
    if action.verb == "talk" and story.character(action.obj).aliases:
        return f"talk to {story.character(action.obj).name}, the {story.character(action.obj).aliases[0]}"
    return action.phrase(story)


def channel_scores(backend: Backend, text: str, phrases: list[str]) -> list[float]:
    """Noisy-channel scoring: log P(player's words | action), one call per action.

    A 135M model asked "which action do these words mean?" mostly copies the
    first listed option; asked "how likely would someone doing X type these
    words?" it compares like with like (the words are the same for every
    option, so their own unconditional likelihood cancels out). Measured on
    our paraphrase set: 12 of 19 model-layer inputs right vs 6 of 19 for
    direct ranking. The shared context start keeps the role's prefix cache
    warm across options."""
    return [sum(backend.logprobs(f'{CHANNEL_PREFIX}"{phrase}" can be typed by the player as:', f' "{text}"',
                                 role="intent")) for phrase in phrases]


def direct_scores(backend: Backend, text: str, phrases: list[str]) -> list[float]:
    """Direct ranking with `backend.rank`: log P(action | words, the list of actions)."""
    prompt = backend.chat_prompt([{"role": "system", "content": DIRECT_SYSTEM},
                                  {"role": "user", "content": f"Possible actions: {'; '.join(phrases)}.\n"
                                                              f"Player: {text}"}])
    return backend.rank(prompt + f"The player says \"{text}\", which means the action:",
                        [" " + p for p in phrases], role="intent")


def narrow_by_mention(engine: Engine, text: str, actions: list[Action]) -> list[Action]:
    """Keep the actions about things the words name ("the bangle" -> the bracelet's actions;
    "the elder" -> the way to the Elder's House), or all of them if nothing is named.
    Fewer options make ranking faster and, for a small model, more accurate; the model
    still decides among what is left."""
    words = {singular(w) for w in clean(text).split() if len(w) >= 3}
    keep = []
    for action in actions:
        vocab: set[str] = set()
        for some_id in (action.obj, action.target):
            if some_id and engine.story.kind_of(some_id):
                vocab |= vocabulary(engine.story, some_id)[0]
        if action.verb == "go":
            exit_ = next((e for e in q.exits_here(engine.story, engine.state) if e.direction == action.obj), None)
            if exit_ is not None:
                vocab |= set(clean(engine.story.room(exit_.to).name).split())
        if words & {singular(v) for v in vocab if len(v) >= 3}:
            keep.append(action)
    return keep or actions


def rank_actions(engine: Engine, backend: Backend, text: str, actions: list[Action],
                 method: str = "channel") -> list[tuple[Action, float]]:
    phrases = [rank_phrase(engine, a) for a in actions]
    logps = (channel_scores if method == "channel" else direct_scores)(backend, text[:200], phrases)
    probs = normalise_scores(logps)
    return sorted(zip(actions, probs), key=lambda pair: -pair[1])


def resolve(text: str, engine: Engine, choices: list[Choice], backend: Backend | None,
            method: str = "channel") -> Intent:
    """`method`: "channel" (default) or "direct", how the model scores actions."""
    started = time.perf_counter()
    intent = _resolve(text, engine, choices, backend, method)
    intent.ms = (time.perf_counter() - started) * 1000
    return intent


def _resolve(text: str, engine: Engine, choices: list[Choice], backend: Backend | None, method: str) -> Intent:
    words = clean(text)
    if not words:
        return Intent("empty", message="Say what you want to do, or pick a number.")
    first, _, rest = words.partition(" ")
    meta = META_WORDS.get(words) or (META_WORDS.get(first) if first in ARG_METAS and rest else None)
    if meta:
        if meta in ("look", "inventory"):
            return Intent("meta", Action(meta), meta=meta)
        raw = "".join(ch for ch in text if ch.isprintable()).strip().split(None, 1)
        return Intent("meta", meta=meta, argument=raw[1][:300] if meta in ARG_METAS and len(raw) > 1 else "")
    if words.isdigit():
        number = int(words)
        chosen = next((c for c in choices if c.number == number), None)
        if chosen is None:
            return Intent("empty", message=f"Pick a number from 1 to {len(choices)}.")
        if chosen.meta:
            return Intent("choice", meta=chosen.meta)
        return Intent("choice", chosen.action)
    parsed = parse(engine.story, engine.state, text)
    if parsed.status == "ok":
        return Intent("parser", parsed.action)
    if parsed.status == "ambiguous":
        return Intent("clarify", message=parsed.message, options=parsed.candidates[:6])
    if parsed.status in ("absent", "incomplete"):
        return Intent("parser", message=parsed.message)
    if parsed.no_verb and q.riddles_here(engine.story, engine.state) and len(words.split()) <= MAX_RIDDLE_WORDS:
        return Intent("parser", Action("answer", text=words))
    return _ranked(words, engine, backend, method)


def _ranked(text: str, engine: Engine, backend: Backend | None, method: str) -> Intent:
    # look/inventory/wait are typed, not paraphrased; leaving them out saves model calls
    actions = [a for a in engine.valid_actions() if a.verb not in ("look", "inventory", "wait")]
    if backend is None or not actions:
        return Intent("clarify", message="I don't understand that. Try a number, or words like 'take lantern'.")
    actions = narrow_by_mention(engine, text, actions)
    if len(actions) == 1:  # the words name exactly one possible action: no model needed
        return Intent("parser", actions[0], scores=[(actions[0].phrase(engine.story), 1.0)])
    try:
        ranked = rank_actions(engine, backend, text, actions, method)
    except Exception as exc:  # a failing model must never break the game: ask instead
        return Intent("clarify", message=f"I don't understand that ({type(exc).__name__}).")
    scores = [(a.phrase(engine.story), round(p, 4)) for a, p in ranked]
    best, p_best = ranked[0]
    p_next = ranked[1][1] if len(ranked) > 1 else 0.0
    if p_best >= MIN_PROBABILITY and p_best - p_next >= MIN_MARGIN:
        return Intent("ranked", best, scores=scores)
    likely = [a for a, _ in ranked[:CLARIFY_OPTIONS]]
    question = "Did you mean: " + ", ".join(f"{n}) {a.phrase(engine.story)}" for n, a in enumerate(likely, 1)) + "?"
    return Intent("clarify", message=question, options=likely, scores=scores)
