"""Toolformer (Schick et al. 2023) for the local model: sample, execute, filter, train, export, eval, run.

For the game: `shipped_adapter_for(model_path)` returns the adapter in
assets/toolformer/ when it was made for exactly that base model, else None
(so `adventure play` uses it by default and `--no-lora` turns it off).
"""
from __future__ import annotations

from pathlib import Path

SHIPPED_ADAPTER = Path(__file__).resolve().parent.parent / "assets" / "toolformer" / "adapter.gguf"


def shipped_adapter_for(model_path) -> Path | None:
    """The shipped LoRA adapter if it fits `model_path`, else None (never raises)."""
    if not SHIPPED_ADAPTER.exists():
        return None
    try:
        from .export import check_adapter

        check_adapter(SHIPPED_ADAPTER, model_path)
    except Exception:  # noqa: BLE001 - any mismatch simply means "no adapter for this model"
        return None
    return SHIPPED_ADAPTER
