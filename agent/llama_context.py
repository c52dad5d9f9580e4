"""One llama.cpp context with a prefix cache: the unit a role owns.

A `CachedContext` remembers which tokens sit in its KV cache. Evaluating a new
prompt keeps the longest common prefix and decodes only the rest, so a
narrator prompt whose start never changes (rules, story intro, history)
costs only its new tail. Each role gets its own `CachedContext` over the same
loaded model, so roles never evict each other's cache.

It also scores continuations: after a prompt is evaluated, continuations are
decoded as branches at the end of the cached prefix and removed again.

Deliberately left out: sampling (the backend does it) and truncation policy
(the backend decides what to feed; this class refuses what does not fit).
"""
from __future__ import annotations

import ctypes
import threading

import llama_cpp
import numpy as np
from llama_cpp import _internals


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class CachedContext:
    def __init__(self, model: _internals.LlamaModel, n_ctx: int, n_batch: int, n_threads: int,
                 lora: "ctypes.c_void_p | None" = None, lora_scale: float = 1.0) -> None:
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = n_batch
        params.n_ubatch = n_batch
        params.n_threads = n_threads
        params.n_threads_batch = n_threads
        params.no_perf = True
        self.model = model
        self.ctx = _internals.LlamaContext(model=model, params=params, verbose=False)
        self.n_ctx = self.ctx.n_ctx()
        self.n_batch = n_batch
        self.n_vocab = model.n_vocab()
        self.batch = _internals.LlamaBatch(n_tokens=n_batch, embd=0, n_seq_max=1, verbose=False)
        self.lock = threading.Lock()  # one generation or scoring call at a time
        self.tokens: list[int] = []  # what the KV cache holds, position by position
        self.last_logits: np.ndarray | None = None  # logits after the last token of `tokens`
        if lora is not None:
            adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(lora)
            scales = (ctypes.c_float * 1)(lora_scale)
            if llama_cpp.llama_set_adapters_lora(self.ctx.ctx, adapters, 1, scales):
                raise RuntimeError("llama.cpp refused to attach the LoRA adapter to a context")

    # --- KV bookkeeping ---------------------------------------------------
    def _truncate_to(self, n: int) -> None:
        if n < len(self.tokens):
            self.ctx.kv_cache_seq_rm(0, n, -1)
            del self.tokens[n:]
            self.last_logits = None

    def _logits_row(self, batch_index: int) -> np.ndarray:
        ptr = llama_cpp.llama_get_logits_ith(self.ctx.ctx, batch_index)
        return np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))

    def _decode(self, tokens: list[int], logits_for: str = "last") -> np.ndarray | None:
        """Append `tokens` to the cache. logits_for: "last" or "all" (rows returned)."""
        if len(self.tokens) + len(tokens) > self.n_ctx:
            raise ValueError(f"{len(self.tokens) + len(tokens)} tokens do not fit a {self.n_ctx}-token context")
        rows = [] if logits_for == "all" else None
        for start in range(0, len(tokens), self.n_batch):
            chunk = tokens[start : start + self.n_batch]
            self.batch.set_batch(chunk, n_past=len(self.tokens), logits_all=logits_for == "all")
            self.ctx.decode(self.batch)
            self.tokens.extend(chunk)
            if rows is not None:
                rows.extend(self._logits_row(i).copy() for i in range(len(chunk)))
        self.last_logits = self._logits_row(len(chunk) - 1).copy() if tokens else self.last_logits
        return np.stack(rows) if rows else None

    # --- public -----------------------------------------------------------
    def eval_prompt(self, tokens: list[int]) -> tuple[np.ndarray, int]:
        """Make the cache hold exactly `tokens`; return (next-token logits, reused count)."""
        if not tokens:
            raise ValueError("empty prompt")
        common = 0
        limit = min(len(tokens), len(self.tokens))
        while common < limit and self.tokens[common] == tokens[common]:
            common += 1
        if common == len(tokens) and common == len(self.tokens) and self.last_logits is not None:
            return self.last_logits, common
        common = min(common, len(tokens) - 1)  # re-decode at least one token for fresh logits
        self._truncate_to(common)
        self._decode(tokens[common:])
        return self.last_logits, common

    def append(self, token: int) -> np.ndarray:
        """Decode one generated token; return the logits that follow it."""
        self._decode([token])
        return self.last_logits

    def continuation_logprobs(self, prefix: list[int], continuations: list[list[int]]) -> list[list[float]]:
        """Per-token log-probs of each continuation after `prefix`, which is evaluated once."""
        first_logits, _ = self.eval_prompt(prefix)
        first = log_softmax(first_logits.astype(np.float64))
        n_prefix = len(self.tokens)
        results = []
        for cont in continuations:
            if not cont:
                results.append([])
                continue
            scores = [float(first[cont[0]])]
            if len(cont) > 1:
                rows = log_softmax(self._decode(cont[:-1], logits_for="all").astype(np.float64))
                scores.extend(float(rows[j, cont[j + 1]]) for j in range(len(cont) - 1))
                self._truncate_to(n_prefix)
            results.append(scores)
        self.last_logits = first_logits
        return results

    def close(self) -> None:
        self.batch.close()
        self.ctx.close()
        self.tokens = []
