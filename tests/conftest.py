"""Shared fixtures. `real_backend` is the embedded default model (no network)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def real_backend():
    from agent.llama_backend import LlamaCppBackend

    backend = LlamaCppBackend(n_ctx=2048)
    yield backend
    backend.close()
