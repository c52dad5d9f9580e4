"""LazyBackend: a Backend whose model loads in a background thread.

The TUI builds its GameSession with this at once, so the opening and the
first screen never wait for the model. Every model call blocks until the load
has finished; if the load failed, every call raises `ModelError`, which the
narrator and intent ranker already treat as "the model failed" (engine text
is shown instead, the game goes on).

Deliberately left out: reloading or switching models while playing.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterator, Sequence

from agent.backend import Backend, GenerateOptions, GenerationStats, ModelError


class LazyBackend(Backend):
    def __init__(self, loader: Callable[[], Backend], label: str = "model") -> None:
        super().__init__()
        self.name = label
        self._loader = loader
        self._ready = threading.Event()
        self._inner: Backend | None = None
        self.error = ""
        self.load_s: float | None = None

    # --- loading ---------------------------------------------------------------------
    def load(self) -> Backend | None:
        """Run the loader (call from a worker thread). Returns the backend, or None on failure."""
        started = time.perf_counter()
        try:
            self._inner = self._loader()
            self.name = getattr(self._inner, "name", self.name)
            self.n_ctx = getattr(self._inner, "n_ctx", self.n_ctx)
        except Exception as exc:  # any failure: the game still runs on engine text
            self.error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            self.load_s = time.perf_counter() - started
            self._ready.set()
        return self._inner

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    @property
    def unavailable(self) -> str | None:
        """Why the loaded backend cannot be used now (a server that stopped answering), else None."""
        return getattr(self._inner, "unavailable", None) if self._inner is not None else None

    def wait(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    def _backend(self) -> Backend:
        self._ready.wait()
        if self._inner is None:
            raise ModelError(f"the model did not load: {self.error}")
        return self._inner

    # --- Backend: forward everything ---------------------------------------------------
    @property
    def last_stats(self) -> GenerationStats:
        return self._inner.last_stats if self._inner is not None else self._own_stats

    @last_stats.setter
    def last_stats(self, value: GenerationStats) -> None:
        self._own_stats = value

    def stream(self, prompt: str, options: GenerateOptions | None = None) -> Iterator[str]:
        return self._backend().stream(prompt, options)

    def chat_prompt(self, messages, add_generation_prompt: bool = True, *, prefill: str = "") -> str:
        return self._backend().chat_prompt(messages, add_generation_prompt, prefill=prefill)

    def chat_stream(self, messages, options: GenerateOptions | None = None, *, prefill: str = "", **kw):
        return self._backend().chat_stream(messages, options, prefill=prefill, **kw)

    # the loaded model's own chat format (its template, its end-of-turn strings), never ChatML by default
    @property
    def chat_format(self):
        return self._backend().chat_format

    @property
    def template_kind(self) -> str:
        return self._backend().template_kind

    @property
    def chat_stop(self) -> tuple[str, ...]:
        return self._backend().chat_stop

    @property
    def supports_prefill(self) -> bool:
        return self._backend().supports_prefill

    def rank(self, prefix: str, options: Sequence[str], role: str = "rank") -> list[float]:
        return self._backend().rank(prefix, options, role=role)

    def logprobs(self, context: str, continuation: str, role: str = "score") -> list[float]:
        return self._backend().logprobs(context, continuation, role=role)

    def embed(self, text: str) -> list[float]:
        return self._backend().embed(text)

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return self._backend().tokenize(text, add_bos)

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
