"""The frozen text encoder: per-token hidden states of the embedded SmolLM2 GGUF.

As in Imagen, the language model is frozen and only the denoiser learns. The
states come from llama.cpp (pooling off, one 576-dim vector per token), which
loads in a fraction of a second where transformers' GGUF loader takes ~25 s.
Each vector is normalised (zero mean, unit variance) because the last layer's
raw activations reach ±30. Encodings are cached per caption.

Prompts longer than `max_tokens` tokens are truncated (the tail is dropped);
an empty prompt is the unconditional input (all zeros), which classifier-free
guidance uses.

Deliberately left out: other encoders. The pipeline records the GGUF's file
name and refuses to run with a different one, because the denoiser only
understands the states it was trained on.
"""
from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import numpy as np

HIDDEN = 576


class TextEncoderMismatch(RuntimeError):
    pass


class SmolLMTextEncoder:
    def __init__(self, gguf_name: str, max_tokens: int = 32, model_path: str | os.PathLike | None = None) -> None:
        from agent.model_files import default_model_path

        path = Path(model_path) if model_path else default_model_path()
        if path.name != gguf_name:
            raise TextEncoderMismatch(f"the scene model was trained on the states of {gguf_name}, not {path.name}")
        self.path, self.max_tokens = path, max_tokens
        self._llm = None
        self._lock = threading.Lock()
        self.cache: dict[str, np.ndarray] = {}

    def _model(self):
        if self._llm is None:
            import llama_cpp

            from agent.llama_process import apply_buffer_policy, silence_llama_logs

            apply_buffer_policy()  # the same llama.cpp settings as the game's own model (AMX: SIGILL in some VMs)

            # verbose=True, its chatter sent to a Python-level sink: with verbose=False llama-cpp-python dup2()s
            # /dev/null over fd 1 and 2 while it loads, and the game screen drawn meanwhile from another thread
            # would be lost. Llama(verbose=True) also turns llama.cpp's log on for the process: off again after.
            with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
                self._llm = llama_cpp.Llama(str(self.path), embedding=True, n_ctx=max(64, self.max_tokens + 8),
                                            pooling_type=llama_cpp.LLAMA_POOLING_TYPE_NONE, n_threads=1,
                                            n_threads_batch=1, verbose=True)
            silence_llama_logs()
        return self._llm

    def encode_one(self, prompt: str) -> np.ndarray:
        """(n_tokens, 576) float32; zero rows for the empty prompt."""
        prompt = " ".join(prompt.split())
        if not prompt:
            return np.zeros((1, HIDDEN), np.float32)
        hit = self.cache.get(prompt)
        if hit is not None:
            return hit
        with self._lock:
            llm = self._model()
            tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False)[: self.max_tokens]
            states = np.asarray(llm.embed(llm.detokenize(tokens).decode("utf-8", "replace")), np.float32)
        states = states[: self.max_tokens]
        states = (states - states.mean(-1, keepdims=True)) / (states.std(-1, keepdims=True) + 1e-5)
        self.cache[prompt] = states
        return states

    def encode(self, prompts: list[str]):
        """(states [B, max_tokens, 576], mask [B, max_tokens]) as torch tensors."""
        import torch

        states = torch.zeros(len(prompts), self.max_tokens, HIDDEN)
        mask = torch.zeros(len(prompts), self.max_tokens, dtype=torch.bool)
        for i, prompt in enumerate(prompts):
            one = torch.from_numpy(self.encode_one(prompt))
            states[i, : len(one)] = one
            mask[i, : len(one)] = True
        return states, mask
