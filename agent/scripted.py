"""ScriptedBackend: a deterministic TEST DOUBLE for unit tests. Never a default.

It replays canned completions (in order, or chosen by a matcher on the prompt),
ranks options by word overlap with the end of the prefix, and embeds text as a
hashed bag of words. It does not model language: tests that need real model
behaviour use the real default model.
"""
from __future__ import annotations

import hashlib
import math
import re
from typing import Callable, Iterator, Sequence

from .backend import Backend, GenerateOptions, GenerationStats

_WORD = re.compile(r"[a-z0-9]+")
EMBED_DIM = 64


class ScriptedBackend(Backend):
    """Test double. `responses` are returned in order (cycling when exhausted);
    `responder(prompt, options)` overrides them when given."""

    name = "scripted-test-double"

    def __init__(
        self,
        responses: Sequence[str] = ("The scene is quiet.",),
        responder: Callable[[str, GenerateOptions], str] | None = None,
        rank_scores: Callable[[str, Sequence[str]], list[float]] | None = None,
    ) -> None:
        super().__init__()
        self.responses = list(responses)
        self.responder = responder
        self.rank_scores = rank_scores
        self.calls: list[tuple[str, str]] = []  # (method, prompt) for assertions
        self._next = 0

    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        opts = options or GenerateOptions()
        self.calls.append(("stream", prompt))
        if self.responder is not None:
            text = self.responder(prompt, opts)
        else:
            text = self.responses[self._next % len(self.responses)] if self.responses else ""
            self._next += 1
        finish, hit = "eos", ""
        for stop in opts.stop:
            if stop and stop in text and (not hit or text.index(stop) < text.index(hit)):
                hit = stop
        if hit:
            text, finish = text[: text.index(hit)], "stop"
        words = text.split(" ")
        self.last_stats = GenerationStats(
            prompt_tokens=self.count_tokens(prompt), completion_tokens=len(words),
            finish_reason=finish, stop_string=hit,
        )
        for i, word in enumerate(words[: opts.max_tokens]):
            yield word if i == 0 else " " + word

    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        self.calls.append(("rank", prefix))
        if self.rank_scores is not None:
            return list(self.rank_scores(prefix, options))
        tail = set(_WORD.findall(prefix.lower().splitlines()[-1] if prefix.strip() else ""))
        scores = []
        for option in options:
            words = _WORD.findall(option.lower())
            overlap = sum(1 for w in words if w in tail)
            scores.append(overlap - 0.01 * len(words))  # ties go to the shorter option
        return scores

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        self.calls.append(("logprobs", context))
        seen = set(_WORD.findall(context.lower()))
        return [-0.1 if w in seen else -2.0 for w in _WORD.findall(continuation.lower())]

    def embed(self, text: str) -> list[float]:
        vec = [0.0] * EMBED_DIM
        for word in _WORD.findall(text.lower()):
            h = int(hashlib.md5(word.encode()).hexdigest(), 16)
            vec[h % EMBED_DIM] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        ids = [int(hashlib.md5(p.encode()).hexdigest()[:6], 16) for p in re.findall(r"\S+|\s+", text)]
        return ([0] if add_bos else []) + ids
