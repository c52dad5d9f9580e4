"""`adventure toolformer run`: decode one text with inline calls through llama.cpp (+ adapter).

Uses the project's llama.cpp backend and `agent.inline.run_inline`: a call
starts when " [" is among the top-k next tokens (paper: 10) with probability at least
`min_p`, at most
`max_calls` per input, the tool runs at "->" and its result and "]" are
inserted; `--disabled` forces " [" to zero. The adapter is checked first
(`check_adapter`) so one made for another model is refused with a clear message.

Deliberately left out: chat templates (the adapter was tuned on plain text),
streaming to a UI (the game does that).
"""
from __future__ import annotations

import sys

from agent.backend import GenerateOptions
from agent.inline import InlineRun, run_inline

from .execute import registry_for


def run_text(model_path, adapter_path, text: str, lore, top_k: int = 10, min_p: float = 0.0, max_calls: int = 1,
             checked: bool = False, doubts: bool = True, disabled: bool = False, max_tokens: int = 48,
             n_threads: int = 1, stream=sys.stdout) -> InlineRun:
    from agent.adapters import check_adapter
    from agent.llama_backend import LlamaCppBackend

    if adapter_path:
        check_adapter(adapter_path, model_path)
    backend = LlamaCppBackend(model_path, n_threads=n_threads, n_ctx=1024, lora_path=adapter_path)
    run = InlineRun()
    opts = GenerateOptions(max_tokens=max_tokens, temperature=0.0, stop=("\n",), role="run")
    try:
        for piece in run_inline(backend, text, registry_for({}, lore), opts, top_k=top_k, min_p=min_p,
                                disabled=disabled, max_calls=max_calls, record=run, checked=checked, doubts=doubts):
            if stream is not None:
                stream.write(piece)
                stream.flush()
    finally:
        backend.close()
    if stream is not None:
        stream.write("\n")
    return run
