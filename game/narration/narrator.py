"""Narration: the model retells the turn's events; every sentence is checked before it is shown.

The prompt holds only this turn's facts and the room (no story intro, no earlier turns: a small
model copies whatever it is given, so everything in the prompt must be true now):

  system   fixed rules, then three made-up example turns -> byte-identical every turn (prefix cache)
  user     "Facts:" + the events' text + where you are, then "Tell this ... in one or two sentences."
  reply    starts with "You" for the model (prefill)

Streaming with a check: the model's text is held until a sentence is complete, that sentence is
run through `game.narration.grounding.check_sentence` against facts built from the turn's `Event`s and the
room as `describe_room` shows it, and only a passing sentence is yielded. Generation stops after
`max_sentences` kept sentences, on a repeat, or after a few rejected ones; an unfinished last
sentence is dropped. If nothing survives, `source == "fallback"` and `text` is the engine's text.
Every rejection is logged (logger "game.narration.narrator", debug) and kept on `Narration.rejected`.

Inline tools (Calculator, Dice, LoreSearch, Calendar) run through `agent.inline.run_inline` only on
turns where a tool can apply (`tools_apply`: the facts hold a number, a price, a sale or lore).
Other turns are told in the role "narrator-plain", which the shipped Toolformer adapter (given to
the role "narrator" only) does not reach, and the call-opening tokens are banned there too. Call
syntax is hidden from the player; a result the facts do not hold is rejected like any number.

The call syntax and its hiding (`CallHider`) are agent.inline's, shared with Toolformer.

Deliberately left out: earlier prose or turns in the prompt, and any parsing of the narration for
state or pictures: it is only ever text, and the engine's facts are always the truth (scene images
are drawn from the engine's state by game/images/scene_prompt.py, never from the narration).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Generator, Iterator

from agent.backend import Backend, GenerateOptions
from agent.inline import CallHider, InlineRun, count_call_starts, run_inline
from agent.tools import default_registry
from game.narration.grounding import (
    REPEAT,
    Lexicon,
    Rejection,
    build_facts,
    check_sentence,
    split_sentences,
)
from game.world.events import Event, facts_text
from game.world.model import Story
from game.world.state import WorldState

log = logging.getLogger(__name__)

HISTORY_BLOCK = 4
OPENING = "You"
MAX_FACTS_CHARS = 700
MAX_HISTORY_LINE = 140
# Chosen on the DEV turns (the first half of the bundled walkthrough); see docs/BENCHMARKS.md "Narration".
MAX_TOKENS = 60
TEMPERATURE = 0.3
MAX_SENTENCES = 2
MAX_TRIES = 4  # sentences produced before giving up on a turn
RULES = ("You narrate a game for the player, in the second person and the present tense. "
         "Retell only the facts you are given, in one or two short, complete sentences. "
         "Name no person, thing, place, direction or number that the facts do not name, "
         "and ask no questions.")
ASK = "Tell this to the player in one or two sentences."
# Made-up turns shown as earlier chat turns. On the DEV turns two of them lifted the kept share from
# 0.40 to 0.69; once arriving without moving was a contradiction, a third (no move) took it from 0.61
# to 0.66. A copied "candle" or "stove" fails the check (invented_thing) unless the facts hold one.
EXAMPLES = (
    ("Facts:\nYou open the wooden box. Inside: a candle.", "You lift the lid of the wooden box. A candle lies inside."),
    ("Facts:\nKitchen\nA small kitchen with a stove.\nExits: north.",
     "You step into a small kitchen with a stove. The only way on is north."),
    ("Facts:\nThe lamp is dented. It is not lit.", "You turn the dented lamp over in your hands. It is not lit."),
)
# On a turn that moved nobody these words can only start a false arrival ("You step into the square"):
# their tokens are banned there (the check would reject the sentence anyway; this saves the sentence).
MOVE_WORDS = (" step", " steps", " stepped", " walk", " walks", " walked", " enter", " enters", " entered",
              " arrive", " arrives", " arrived")
PLAIN_ROLE = "narrator-plain"  # tool-free turns: no adapter (see _stream)
TOOL_KINDS = frozenset({"bought", "sold", "coins", "lore"})


def drain(pieces: Generator, on_text: Callable[[str], None] | None = None):
    """Run a generator of text pieces to its end, passing each piece to `on_text`; return its value."""
    while True:
        try:
            piece = next(pieces)
        except StopIteration as done:
            return done.value
        if on_text:
            on_text(piece)


def trim_history(history: list["HistoryEntry"]) -> list["HistoryEntry"]:
    """Drop old entries two whole blocks at a time (the session keeps a short history of turns)."""
    return history[2 * HISTORY_BLOCK:] if len(history) >= 4 * HISTORY_BLOCK else history


@dataclass
class HistoryEntry:
    input: str
    summary: str


@dataclass
class Narration:
    text: str
    source: str  # "model", "fallback" (engine text) or "none" (narration off / engine mode)
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    completion_tokens: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    tool_calls: list[str] = field(default_factory=list)
    error: str = ""
    rejected: list[Rejection] = field(default_factory=list)
    sentences: int = 0  # sentences the model produced (kept + rejected)
    kept: int = 0
    raw: str = ""  # what the model wrote, call syntax included
    calls_started: int = 0  # "[" or "Tool(" in the raw text
    tools_allowed: bool = False
    first_sentence_s: float | None = None  # until the first shown sentence (or the fallback)


def summarise(events: list[Event]) -> str:
    """One short line per turn for the history: room names instead of full descriptions."""
    parts = []
    for event in events:
        if event.kind in ("room", "dark"):
            parts.append(f"[{event.message.splitlines()[0]}]")
        elif event.kind not in ("moved", "score") and event.message:
            parts.append(event.message.splitlines()[0])
    return " ".join(parts)[:MAX_HISTORY_LINE]


def tools_apply(events: list[Event]) -> bool:
    """Can a tool add anything to this turn? Numbers, prices, sales or lore in the facts."""
    return any(e.kind in TOOL_KINDS or (e.kind != "score" and re.search(r"\d", e.message)) for e in events)


class Narrator:
    def __init__(self, backend: Backend | None, story: Story, *, max_tokens: int = MAX_TOKENS,
                 temperature: float = TEMPERATURE, tools: bool = True, max_sentences: int = MAX_SENTENCES,
                 today: Callable[[], dt.date] | None = None,
                 state: Callable[[], WorldState] | None = None) -> None:
        self.backend = backend
        self.story = story
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.max_sentences = max_sentences
        self.state = state  # the world after the action: the room and what is open or shut
        self.engine_only = False  # narration mode "engine": the engine's text, no model
        self.lexicon = Lexicon(story)
        self.registry = default_registry(lore=[(e.title, e.text) for e in story.lore],
                                         today=today or (lambda: story.clock.start.date())) if tools else None
        # the tools whose "Tool(" counts as a call started, on turns told with or without them
        self._tool_names = tuple((self.registry or default_registry()).names())
        self._system = RULES
        self._move_ids: tuple[int, ...] | None = None

    def messages(self, history: list[HistoryEntry], player_input: str, events: list[Event],
                 state: WorldState | None = None) -> list[dict]:
        """This turn's facts and where the player is; `history` is not used (see the module docstring)."""
        shown = [e for e in events if e.kind not in ("score", "moved")]
        facts = facts_text(shown)[:MAX_FACTS_CHARS]
        where = ""
        if state is not None and not any(e.kind in ("room", "dark") for e in events):
            where = f"\nYou are in the {self.story.room(state.location).name}."
        shots = [m for facts_, reply in EXAMPLES for m in ({"role": "user", "content": f"{facts_}\n\n{ASK}"},
                                                          {"role": "assistant", "content": reply})]
        user = f"Facts:\n{facts}{where}\n\n{ASK}"
        return [{"role": "system", "content": self._system}, *shots, {"role": "user", "content": user}]

    def prompt(self, messages: list[dict]) -> str:
        return self.backend.chat_prompt(messages, prefill=OPENING)

    def narrate(self, history: list[HistoryEntry], player_input: str, events: list[Event], *,
                seed: int = 0, on_text: Callable[[str], None] | None = None) -> Narration:
        """Narrate, calling `on_text` with each shown piece; returns the finished Narration."""
        return drain(self.narrate_iter(history, player_input, events, seed=seed), on_text)

    def narrate_iter(self, history: list[HistoryEntry], player_input: str, events: list[Event], *,
                     seed: int = 0) -> Generator[str, None, Narration]:
        """Yield checked sentences as they complete; the generator's return value is the Narration.
        With `source == "fallback"` nothing was shown and `text` is the engine's text."""
        fallback = facts_text(events)
        if self.backend is None or self.engine_only:
            return Narration(fallback, "none")
        started = time.perf_counter()
        state = self.state() if self.state is not None else None
        facts = build_facts(self.story, events, state, self.lexicon)
        result = Narration("", "model", tools_allowed=self.registry is not None and tools_apply(events))
        hider, buffer, raw, produced, kept = CallHider(), "", [], [], []
        stream: Iterator[str] | None = None
        stopped = False

        def judge(sentence: str) -> bool:
            verdict = check_sentence(sentence, facts, produced, self.lexicon)
            produced.append(sentence)
            if verdict is None:
                kept.append(sentence)
                return True
            result.rejected.append(verdict)
            log.debug("narration sentence rejected (%s: %s): %r", verdict.reason, verdict.detail, verdict.sentence)
            return False

        try:
            banned = () if any(e.kind == "moved" for e in events) else self._move_tokens()
            messages = self.messages(history, player_input, events, state)
            stream = self._stream(messages, seed, result.tool_calls, result.tools_allowed, banned)
            for piece in stream:
                if not raw:  # our opening word goes first, unless the model starts afresh itself
                    fresh = piece.lstrip().startswith(OPENING) or piece.lstrip()[:1].isupper()
                    piece = piece.lstrip() if fresh else OPENING + piece
                raw.append(piece)
                done, buffer = split_sentences(buffer + hider.feed(piece))
                for sentence in done:
                    if judge(sentence):
                        if result.first_sentence_s is None:
                            result.first_sentence_s = time.perf_counter() - started
                        yield sentence if len(kept) == 1 else " " + sentence
                    elif result.rejected[-1].reason == REPEAT:
                        stopped = True  # the model is looping: closing the stream stops it
                    if len(kept) >= self.max_sentences or len(produced) >= MAX_TRIES:
                        stopped = True
                    if stopped:
                        break
                if stopped:
                    break
            if not stopped:
                rest = (buffer + hider.flush()).strip()
                if rest and judge(rest):
                    if result.first_sentence_s is None:
                        result.first_sentence_s = time.perf_counter() - started
                    yield rest if len(kept) == 1 else " " + rest
        except Exception as exc:  # the model failing (or the player cutting it short) degrades prose only
            result.error = f"{type(exc).__name__}: {exc}"[:200]
            level = logging.DEBUG if type(exc).__name__ == "NarrationCut" else logging.WARNING
            log.log(level, "narration fell back to the engine's text: %s", result.error)
            return self._finish(result, fallback, raw, produced, kept, started, use_model=False)
        finally:
            if stream is not None and hasattr(stream, "close"):
                stream.close()
        return self._finish(result, fallback, raw, produced, kept, started, use_model=bool(kept))

    def _finish(self, result: Narration, fallback: str, raw: list[str], produced: list[str], kept: list[str],
                started: float, use_model: bool) -> Narration:
        stats = self.backend.last_stats
        result.raw = "".join(raw)
        result.calls_started = count_call_starts(result.raw, self._tool_names)
        result.sentences, result.kept = len(produced), len(kept) if use_model else 0
        result.ttft_s = stats.ttft_s or None
        result.tokens_per_s = stats.tokens_per_s or None
        result.completion_tokens, result.prompt_tokens = stats.completion_tokens, stats.prompt_tokens
        result.cached_tokens = stats.cached_tokens
        if use_model:
            result.text = " ".join(kept)
        else:
            result.text, result.source = fallback, "fallback"
            if result.first_sentence_s is None:
                result.first_sentence_s = time.perf_counter() - started
            if not result.error:
                log.debug("narration fell back to the engine's text: all %d sentences rejected", len(produced))
        return result

    def _move_tokens(self) -> tuple[int, ...]:
        if self._move_ids is None:
            ids = (self.backend.token_id(w) for w in MOVE_WORDS)
            self._move_ids = tuple(i for i in ids if i is not None)
        return self._move_ids

    def _stream(self, messages: list[dict], seed: int, calls: list[str], tools: bool,
                banned: tuple[int, ...] = ()) -> Iterator[str]:
        stop = tuple(self.backend.chat_stop)
        # Tool-free turns use their own role: the game gives the Toolformer adapter to the "narrator" role
        # only (agent.runtime.SHIPPED_LORA_ROLES), so those turns are told by the bare model.
        opts = GenerateOptions(max_tokens=self.max_tokens, temperature=self.temperature, seed=seed,
                               role="narrator" if tools else PLAIN_ROLE, stop=stop + ("\n\n", "Facts:", "Player:"),
                               banned_token_ids=banned)
        if self.backend.template_kind == "server" and not tools:
            # a server applies the model's own chat template: its chat endpoint, not a ChatML guess
            # (the backend keeps the prefill only where the server continues one, after its liveness check)
            yield from self.backend.chat_stream(messages, opts, prefill=OPENING)
            return
        prompt = self.prompt(messages)
        if self.registry is None:
            yield from self.backend.stream(prompt, opts)
            return
        # run_inline's own backend.stream calls carry the stats; calls are recorded as they close.
        # Where no tool applies, run_inline bans the call-opening tokens (" [", "[").
        record = InlineRun()
        try:
            yield from run_inline(self.backend, prompt, self.registry, opts, record=record, disabled=not tools)
        finally:
            calls.extend(f"{c.tool}({c.argument}) -> {c.result.text}" for c in record.calls)


