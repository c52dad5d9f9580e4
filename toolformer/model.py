"""The base model in PyTorch: the same GGUF llama.cpp plays with, de-quantised by transformers.

`load_model` returns (model, tokenizer) on CPU (default) or CUDA when present
and asked for (`agent.adapters.fingerprint` identifies the base model file so
checkpoints and adapters made for one model are refused for another); `call_token_ids` checks
that " [", "]" and " ->" are existing tokens (no new special tokens, ever).

Deliberately left out: other model families than llama.cpp's "llama"
architecture (SmolLM2, Llama, ...), quantised training.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from agent.backend import ModelError
from agent.model_files import resolve_model_path


def model_path(explicit: str | os.PathLike | None = None) -> Path:
    return resolve_model_path(explicit)


def pick_device(device: str | None = None) -> str:
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError("--device cuda asked for, but torch sees no CUDA device; use --device cpu")
    return device


def load_tokenizer(path: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)


def load_model(path: str | os.PathLike | None = None, device: str | None = None, threads: int | None = None):
    """(model, tokenizer) in float32 on `device`, eval mode."""
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    path = model_path(path)
    if threads:
        torch.set_num_threads(threads)
    print(f"loading {path.name} into PyTorch (about 30 s on 2 cores) ...", file=sys.stderr)
    try:
        tokenizer = load_tokenizer(path)
        model = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
    except (ValueError, OSError, KeyError) as exc:
        raise ModelError(f"transformers could not load {path} ({exc}); "
                         "only llama-architecture GGUF files work") from exc
    model.to(pick_device(device)).eval()
    model.config.use_cache = True
    model._adventure_path = str(path)
    return model, tokenizer


def call_token_ids(tokenizer) -> dict[str, int]:
    """Ids of the existing tokens calls are made of; refuses a tokenizer where they are not single tokens."""
    ids = {}
    for piece in (" [", "]", " ->"):
        toks = tokenizer.encode(piece, add_special_tokens=False)
        if len(toks) != 1:
            raise ModelError(f"{piece!r} is {len(toks)} tokens in this tokenizer; Toolformer calls need it as one")
        ids[piece] = toks[0]
    return ids


def encode(tokenizer, text: str) -> list[int]:
    return tokenizer.encode(text, add_special_tokens=False)
