"""Narration: the model retells the turn's events; it can never change the world.

The prompt is built for the runtime's prefix cache (role "narrator"):

  system   rules + story title + intro + the story's narrator rules
           -> byte-identical on every turn of a game
  user     "Story so far:" + the history window, then "Now:" + this turn's
           input and facts, last

The history window moves in blocks of `HISTORY_BLOCK` turns: it starts at a
multiple of the block size and only grows until the next block boundary, so
consecutive prompts share everything up to the newest history line. History
holds the player's input and the engine's short facts, never earlier model
prose, so a confused narration cannot feed on itself.

Inline tools (Calculator, Dice, LoreSearch, Calendar) run through
`agent.inline.run_inline`; call syntax is hidden from the player, only results
are shown. If the model fails, answers nothing, or answers garbage, the
narration falls back to the engine's own event text (`source == "fallback"`).

Deliberately left out: image prompts (a later issue) and any parsing of the
narration for state: it is only ever text.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Generator, Iterator

from agent.backend import Backend, GenerateOptions
from agent.inline import CALL_TEXT, run_inline
from agent.tools import default_registry

from .events import Event, facts_text
from .world import Story

HISTORY_BLOCK = 4


def drain(pieces: Generator, on_text: Callable[[str], None] | None = None):
    """Run a generator of text pieces to its end, passing each piece to `on_text`; return its value."""
    while True:
        try:
            piece = next(pieces)
        except StopIteration as done:
            return done.value
        if on_text:
            on_text(piece)
OPENING = "You"
MAX_FACTS_CHARS = 700
MAX_HISTORY_LINE = 140
RULES = (
    "You are the narrator of a text adventure. The game engine decides everything that happens; "
    "you only retell the facts you are given, vividly and briefly, in the second person. "
    "Never invent exits, items, people, numbers or outcomes that are not in the facts, "
    "and never ask the player questions.\n\n"
    "Example:\nFacts:\nYou take the rusty key.\n"
    "Narration: You close your fingers around the rusty key. It is cold, and heavier than it looks."
)
_CONTROL = re.compile(r"<\|[^|]*\|>|<\/?s>|\[INST\]|\[\/INST\]")


def trim_history(history: list["HistoryEntry"]) -> list["HistoryEntry"]:
    """Drop old entries two whole blocks at a time, so the window keeps its alignment
    (dropping one entry per turn would shift the window and defeat the prefix cache)."""
    return history[2 * HISTORY_BLOCK:] if len(history) >= 4 * HISTORY_BLOCK else history


@dataclass
class HistoryEntry:
    input: str
    summary: str


@dataclass
class Narration:
    text: str
    source: str  # "model", "fallback" (engine text) or "none" (narration off)
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    completion_tokens: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0
    tool_calls: list[str] = field(default_factory=list)
    error: str = ""


def summarise(events: list[Event]) -> str:
    """One short line per turn for the history: room names instead of full descriptions."""
    parts = []
    for event in events:
        if event.kind in ("room", "dark"):
            parts.append(f"[{event.message.splitlines()[0]}]")  # a tag, not prose the model can parrot
        elif event.kind not in ("moved", "score") and event.message:
            parts.append(event.message.splitlines()[0])
    return " ".join(parts)[:MAX_HISTORY_LINE]


def repeats_itself(text: str) -> bool:
    """True once a finished sentence repeats an earlier one: a small model's loop."""
    sentences = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", text)]
    finished = [s for s in sentences[:-1] if s]
    return len(finished) != len(set(finished))


def looks_like_prose(text: str) -> bool:
    """Reject empty, tiny, symbol-soup or template-leaking output."""
    stripped = text.strip()
    if len(stripped.split()) < 3 or _CONTROL.search(stripped):
        return False
    letters = sum(ch.isalpha() for ch in stripped)
    return letters / max(1, len(stripped.replace(" ", ""))) >= 0.6


def _drop_repeats(text: str) -> str:
    kept, seen = [], set()
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        key = sentence.strip().lower()
        if key and key in seen:
            break
        seen.add(key)
        kept.append(sentence)
    return " ".join(kept).strip()


class CallHider:
    """Streams text but swallows `[Tool(args) -> ` up to `]`, emitting only the result."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> str:
        self.pending += piece
        out = ""
        while self.pending:
            start = self.pending.find("[")
            if start < 0:
                out, self.pending = out + self.pending, ""
                break
            out += self.pending[:start]
            self.pending = self.pending[start:]
            end = self.pending.find("]")
            if end < 0:
                if len(self.pending) > 200:  # not a call after all
                    out, self.pending = out + self.pending, ""
                break
            call = CALL_TEXT.match(self.pending[: end + 1])
            out += (call.group(3) or "").strip() if call else self.pending[: end + 1]
            self.pending = self.pending[end + 1:]
        return out

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


class Narrator:
    def __init__(self, backend: Backend | None, story: Story, *, max_tokens: int = 80,
                 temperature: float = 0.5, tools: bool = True,
                 today: Callable[[], dt.date] | None = None) -> None:
        self.backend = backend
        self.story = story
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.registry = default_registry(lore=[(e.title, e.text) for e in story.lore],
                                         today=today or (lambda: story.clock.start.date())) if tools else None
        self._system = "\n\n".join(p for p in (RULES, f"Story: {story.title}", story.intro.strip(),
                                               story.narrator_rules.strip()) if p)

    def messages(self, history: list[HistoryEntry], player_input: str, events: list[Event]) -> list[dict]:
        start = max(0, (len(history) // HISTORY_BLOCK - 1) * HISTORY_BLOCK)
        lines = [f"Player: {h.input}\n{h.summary}" for h in history[start:]]
        facts = facts_text([e for e in events if e.kind != "score"])[:MAX_FACTS_CHARS]
        user = ("Story so far:\n" + ("\n".join(lines) if lines else "(the game begins)")
                + f"\n\nNow:\nPlayer: {player_input}\nFacts:\n{facts}\n\nNarrate these facts in two or three sentences.")
        return [{"role": "system", "content": self._system}, {"role": "user", "content": user}]

    def narrate(self, history: list[HistoryEntry], player_input: str, events: list[Event], *,
                seed: int = 0, on_text: Callable[[str], None] | None = None) -> Narration:
        """Narrate, calling `on_text` with each visible piece; returns the finished Narration."""
        return drain(self.narrate_iter(history, player_input, events, seed=seed), on_text)

    def narrate_iter(self, history: list[HistoryEntry], player_input: str, events: list[Event], *,
                     seed: int = 0) -> Generator[str, None, Narration]:
        """Yield visible pieces as they stream; the generator's return value is the Narration.
        If the result is judged garbage, `source` is "fallback" and `text` is the engine's
        text: a streaming UI should then replace what it showed with `text`."""
        fallback = facts_text(events)
        if self.backend is None:
            return Narration(fallback, "none")
        started = time.perf_counter()
        first: float | None = None
        hider, shown, calls = CallHider(), [], []
        try:
            # The reply is started for the model: a tiny model then stays in the second
            # person and cannot open with an echo of the prompt's format.
            prompt = self.backend.chat_prompt(self.messages(history, player_input, events)) + OPENING
            for piece in self._stream(prompt, seed, calls):
                if not shown:  # our opening word goes first, unless the model starts afresh itself
                    fresh = piece.lstrip().startswith(OPENING) or piece[:1].isupper()
                    piece = piece.lstrip() if fresh else OPENING + piece
                if first is None:
                    first = time.perf_counter() - started
                visible = hider.feed(piece)
                if visible:
                    shown.append(visible)
                    yield visible
                if visible and repeats_itself("".join(shown)):
                    break  # stop the loop early: closing the stream stops the model
            tail = hider.flush()
            if tail:
                shown.append(tail)
                yield tail
        except Exception as exc:  # the model failing must degrade prose only
            return Narration(fallback, "fallback", first, error=f"{type(exc).__name__}: {exc}"[:200])
        stats = self.backend.last_stats
        first = stats.ttft_s or first  # the model's own first token, as the runtime measured it
        text = _drop_repeats("".join(shown).strip())
        result = Narration(text, "model", first, stats.tokens_per_s or None, stats.completion_tokens,
                           stats.prompt_tokens, stats.cached_tokens, calls)
        if not looks_like_prose(text):
            result.text, result.source = fallback, "fallback"
        return result

    def _stream(self, prompt: str, seed: int, calls: list[str]) -> Iterator[str]:
        opts = GenerateOptions(max_tokens=self.max_tokens, temperature=self.temperature, seed=seed,
                               role="narrator", stop=("<|im_end|>", "\n\n", "Facts:", "Player:", "Now:"))
        if self.registry is None:
            yield from self.backend.stream(prompt, opts)
            return
        # run_inline's own backend.stream calls carry the stats; calls are recorded as they close
        from agent.inline import InlineRun

        record = InlineRun()
        yield from run_inline(self.backend, prompt, self.registry, opts, record=record)
        calls.extend(f"{c.tool}({c.argument}) -> {c.result.text}" for c in record.calls)
