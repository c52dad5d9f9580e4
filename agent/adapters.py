"""LoRA adapters for a GGUF model: which one fits (`check_adapter`) and the shipped one (`shipped_adapter_for`).

`check_adapter` is the one check of the tree, used when the backend loads an
adapter, when Toolformer exports, evaluates or runs one, and when the game
looks for the shipped adapter. llama.cpp itself skips these checks when a key
is absent (it will attach a full model as an empty "adapter"), so they are made
here, from GGUF headers only (`gguf_header`: milliseconds, no weights loaded).

An adapter exported by `adventure toolformer export` carries the base model's
`fingerprint` (FP_KEY) and file name (NAME_KEY), so one made for another model
is refused by name; adapters from elsewhere are checked by architecture and
tensor shapes.

Deliberately left out: making adapters (toolformer/export.py), loading them
(llama_backend.py).
"""
from __future__ import annotations

import hashlib
import logging
import os
import struct
from pathlib import Path

from .backend import ModelError
from .gguf_header import model_info
from .model_files import check_gguf

log = logging.getLogger(__name__)

SHIPPED_ADAPTER = Path(__file__).resolve().parent.parent / "assets" / "toolformer" / "adapter.gguf"
FP_KEY, NAME_KEY = "adventure.base.fingerprint", "adventure.base.name"


def fingerprint(path: str | os.PathLike) -> str:
    """Cheap identity of a model file: size plus hashes of its first and last MiB."""
    path = Path(path)
    check_gguf(path)
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(0, size - (1 << 20)))
        digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


def check_adapter(adapter_path: str | os.PathLike, model_path: str | os.PathLike) -> dict:
    """Refuse (ModelError) a file that is not a LoRA adapter for exactly this base model.

    Returns {made_for: the base model's file name as recorded, or "?"; tensors: how many}."""
    adapter_path, model_path = Path(adapter_path), Path(model_path)
    check_gguf(adapter_path, "LoRA adapter")
    try:
        adapter = model_info(adapter_path)
    except (ValueError, OSError, struct.error) as exc:  # a cut or foreign header
        raise ModelError(f"{adapter_path} is not a readable GGUF adapter ({exc}); export one with "
                         "`adventure toolformer export` or run with --no-lora") from exc
    lora_kind = adapter["fields"].get("adapter.type")
    if adapter["type"] != "adapter" or lora_kind != "lora" or not any(
            name.endswith(".lora_a") for name in adapter["shapes"]):
        raise ModelError(
            f"LoRA adapter {adapter_path} does not match model {model_path.name}: it is not a LoRA adapter "
            f"(general.type={adapter['type']!r}, adapter.type={lora_kind!r}); export one with "
            "`adventure toolformer export` or run with --no-lora")
    made_for, name = adapter["fields"].get(FP_KEY), adapter["fields"].get(NAME_KEY, "?")
    if made_for and made_for != fingerprint(model_path):
        raise ModelError(f"LoRA adapter {adapter_path.name} was made for base model {name}, not "
                         f"{model_path.name}; use the model it was trained on, re-train/export it for this "
                         "model, or run with --no-lora")
    try:
        base = model_info(model_path)
    except (ValueError, OSError, struct.error) as exc:
        raise ModelError(f"model {model_path} is not a readable GGUF file ({exc})") from exc
    if adapter["arch"] != base["arch"]:
        raise ModelError(f"LoRA adapter {adapter_path.name} does not match model: it is for a {adapter['arch']!r} "
                         f"model, {model_path.name} is {base['arch']!r}; run with --no-lora")
    for tensor, shape in adapter["shapes"].items():
        weight, _, part = tensor.rpartition(".")
        target = base["shapes"].get(weight)
        if target is None or (part == "lora_a" and shape[0] != target[0]) or (
                part == "lora_b" and shape[1] != target[1]):
            raise ModelError(f"LoRA adapter {adapter_path.name} does not fit {model_path.name}: tensor {tensor} "
                             f"{shape} vs model {weight} {target}; it was made for another model — run with --no-lora")
    return {"made_for": name, "tensors": len(adapter["shapes"])}


def shipped_adapter_for(model_path: str | os.PathLike) -> Path | None:
    """The shipped LoRA adapter if it fits `model_path`, else None (a mismatch is logged, never raised)."""
    if not SHIPPED_ADAPTER.exists():
        log.info("no shipped adapter at %s", SHIPPED_ADAPTER)
        return None
    try:
        check_adapter(SHIPPED_ADAPTER, model_path)
    except ModelError as exc:
        log.info("the shipped adapter is not used: %s", exc)
        return None
    return SHIPPED_ADAPTER
