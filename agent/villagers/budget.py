"""Counting model calls: a Backend wrapper that bills each call to villagers.

`MeteredBackend(inner)` forwards everything to `inner` (a ForwardingBackend)
and, for every generation (`stream` and `chat_stream`, hence
`complete`/`chat`), `rank` and `logprobs` call,
adds one call (and its prompt + completion tokens) to whoever is paying:
`with meter.paying({"nadia": 0.5, "farah": 0.5}): ...` splits a shared call
(the batched importance rating, a conversation) between villagers. Calls made
outside any `paying` block are billed to "village". Embedding lookups are
counted apart (`embeds`): they are cheap and cached by text, not generations.
`by_role[role] = [calls, seconds]` says where the wall time goes.

`allows(villager, hours, cost)` is the budget rule the simulation applies
before an optional call: the villager's calls so far plus `cost` may not
exceed `per_hour * (hours + 1)` (the +1 lets the first hour start).

With concurrent workers, token counts read the inner backend's `last_stats`
after each call, which another thread may have replaced: call counts are
exact, token counts approximate.

Deliberately left out: wall-time accounting per villager (the CLI measures
wall time for the whole run) and token budgets.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterator, Sequence

from agent.backend import Backend, ForwardingBackend, GenerateOptions
from agent.chat_format import Message


class MeteredBackend(ForwardingBackend):
    def __init__(self, inner: Backend, per_hour: float = 5.0) -> None:
        super().__init__(inner)
        self.per_hour = per_hour
        self.calls: dict[str, float] = defaultdict(float)
        self.tokens: dict[str, float] = defaultdict(float)
        self.embeds = 0
        self.by_role: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self._payer = threading.local()  # who pays is per thread: the village runs workers
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"metered({self.inner.name})"

    # --- billing --------------------------------------------------------------
    @contextmanager
    def paying(self, who: str | dict[str, float]):
        shares = {who: 1.0} if isinstance(who, str) else dict(who)
        total = sum(shares.values()) or 1.0
        previous = getattr(self._payer, "shares", None)
        self._payer.shares = {k: v / total for k, v in shares.items()}
        try:
            yield
        finally:
            self._payer.shares = previous

    def _time(self, role: str, started: float) -> None:
        with self._lock:
            entry = self.by_role[role]
            entry[0] += 1
            entry[1] += time.perf_counter() - started

    def _bill(self, tokens: int) -> None:
        with self._lock:
            for who, share in (getattr(self._payer, "shares", None) or {"village": 1.0}).items():
                self.calls[who] += share
                self.tokens[who] += share * tokens

    def total_calls(self) -> float:
        return sum(self.calls.values())

    def total_tokens(self) -> float:
        return sum(self.tokens.values())

    def allows(self, who: str, hours: float, cost: float = 1.0) -> bool:
        return self.calls.get(who, 0.0) + cost <= self.per_hour * (max(0.0, hours) + 1.0)

    def state(self) -> dict:
        return {"calls": dict(self.calls), "tokens": dict(self.tokens), "embeds": self.embeds}

    def restore(self, state: dict) -> None:
        self.calls = defaultdict(float, state.get("calls", {}))
        self.tokens = defaultdict(float, state.get("tokens", {}))
        self.embeds = int(state.get("embeds", 0))

    # --- what is metered (everything else is forwarded as it is) ---------------------
    def _metered(self, pieces: Iterator[str], role: str, prompt_text: str) -> Iterator[str]:
        started = time.perf_counter()
        try:
            yield from pieces
        finally:
            self._time(role, started)
            stats = self.inner.last_stats
            self._bill((stats.prompt_tokens + stats.completion_tokens) or self.inner.count_tokens(prompt_text))

    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        return self._metered(self.inner.stream(prompt, options), options.role if options else "default", prompt)

    def chat_stream(self, messages: Sequence[Message], options: GenerateOptions | None = None, *,
                    prefill: str = "", **kw) -> Iterator[str]:
        role = kw.get("role") or (options.role if options else "default")
        text = "\n".join(str(m.get("content", "")) for m in messages) + prefill
        return self._metered(self.inner.chat_stream(messages, options, prefill=prefill, **kw), role, text)

    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        started = time.perf_counter()
        try:
            return self.inner.rank(prefix, options, role=role)
        finally:
            self._time(role, started)
            self._bill(self.inner.count_tokens(prefix) + sum(self.inner.count_tokens(o) for o in options))

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        try:
            return self.inner.logprobs(context, continuation, role=role)
        finally:
            self._bill(self.inner.count_tokens(context) + self.inner.count_tokens(continuation))

    def embed(self, text: str) -> list[float]:
        self.embeds += 1
        started = time.perf_counter()
        try:
            return self.inner.embed(text)
        finally:
            self._time("embed", started)


def default_workers(backend: Backend | None) -> int:
    """How many villagers think at once: as many requests as the backend is worth sending at once."""
    return 1 if backend is None else backend.concurrency
