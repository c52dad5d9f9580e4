"""LazyBackend: a Backend whose model loads in a background thread.

The TUI builds its GameSession with this at once, so the opening and the
first screen never wait for the model. It is a `ForwardingBackend`: every
model call and capability goes to the loaded backend, after blocking until
the load has finished; if the load failed (logged as a warning), every call
raises `ModelError`, which the narrator and intent ranker already treat as
"the model failed" (engine text is shown instead, the game goes on). Only the
name, the stats, `unavailable` and `close` answer before the load is done.

Deliberately left out: reloading or switching models while playing.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from agent.backend import Backend, ForwardingBackend, GenerationStats, ModelError

log = logging.getLogger(__name__)


class LazyBackend(ForwardingBackend):
    def __init__(self, loader: Callable[[], Backend], label: str = "model") -> None:
        super().__init__(None)  # type: ignore[arg-type]  # nothing to forward to until `load` has run
        self._label = label
        self._loader = loader
        self._ready = threading.Event()
        self._loaded: Backend | None = None
        self._own_stats = GenerationStats()
        self.error = ""
        self.load_s: float | None = None

    # --- loading ---------------------------------------------------------------------
    def load(self) -> Backend | None:
        """Run the loader (call from a worker thread). Returns the backend, or None on failure."""
        started = time.perf_counter()
        try:
            self._loaded = self._loader()
        except Exception as exc:  # any failure: the game still runs on engine text
            self.error = f"{type(exc).__name__}: {exc}"[:300]
            log.warning("the model did not load; the game goes on with the engine's text: %s", self.error)
        finally:
            self.load_s = time.perf_counter() - started
            self._ready.set()
        return self._loaded

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def loaded(self) -> bool:
        return self._loaded is not None

    def wait(self, timeout: float | None = None) -> bool:
        return self._ready.wait(timeout)

    @property
    def inner(self) -> Backend:
        """The loaded backend, once the load has finished; ModelError if it failed."""
        self._ready.wait()
        if self._loaded is None:
            raise ModelError(f"the model did not load: {self.error}")
        return self._loaded

    # --- what answers before the load is done ---------------------------------------------
    @property
    def name(self) -> str:
        return self._loaded.name if self._loaded is not None else self._label

    @property
    def n_ctx(self) -> int:
        return self._loaded.n_ctx if self._loaded is not None else Backend.n_ctx

    @property
    def last_stats(self) -> GenerationStats:
        return self._loaded.last_stats if self._loaded is not None else self._own_stats

    @last_stats.setter
    def last_stats(self, value: GenerationStats) -> None:
        if self._loaded is not None:
            self._loaded.last_stats = value
        else:
            self._own_stats = value

    @property
    def unavailable(self) -> str | None:
        """Why the loaded backend cannot be used now (a server that stopped answering), else None."""
        return self._loaded.unavailable if self._loaded is not None else None

    def close(self) -> None:
        if self._loaded is not None:
            self._loaded.close()
