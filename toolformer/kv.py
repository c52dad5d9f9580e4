"""Small helpers around transformers' DynamicCache: slice, repeat and rebuild.

The sampler evaluates the demonstrations once, then the text once, and
branches calls off any position by slicing that cache; nothing is recomputed.

Deliberately left out: sliding-window and quantised caches (llama has neither).
"""
from __future__ import annotations

import torch
from transformers import DynamicCache


def tensors(cache) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [(layer.keys, layer.values) for layer in cache.layers]


def build(pairs, length: int | None = None, repeat: int = 1) -> DynamicCache:
    """A fresh cache from (keys, values) per layer, cut to `length` positions and repeated `repeat` times."""
    data = []
    for keys, values in pairs:
        if length is not None:
            keys, values = keys[:, :, :length], values[:, :, :length]
        if repeat > 1:
            keys, values = keys.expand(repeat, -1, -1, -1), values.expand(repeat, -1, -1, -1)
        data.append((keys.contiguous(), values.contiguous()))
    return DynamicCache(ddp_cache_data=data)
