"""The bookkeeping every image trainer does after an optimiser step: the bar, the loss log, checkpoints
(written atomically with agent.files.replacing, so an interrupted save never leaves half a checkpoint).

Deliberately left out: the training loops themselves (their models, data and losses differ).
"""
from __future__ import annotations

import json
import time
from typing import Callable

import numpy as np
import torch

from agent.files import replacing


def training_device(name: str | None) -> torch.device:
    """The device asked for, else the GPU when there is one, else the CPU."""
    return torch.device(name or ("cuda" if torch.cuda.is_available() else "cpu"))


def save_checkpoint(obj, path) -> None:
    """torch.save beside `path`, then rename over it: a reader sees the old checkpoint or the new one."""
    with replacing(path) as tmp:
        torch.save(obj, tmp)


def after_step(step: int, steps: int, loss: float, losses: list[float], bar, log, started: float,
               checkpoint: Callable[[], None], checkpoint_every: int, digits: int = 4) -> None:
    """Record `loss` for `step` (already counted): bar postfix (mean of the last 50), a JSON line every 10
    steps (mean of the last 10), and a checkpoint every `checkpoint_every` steps and at the last one."""
    losses.append(loss)
    bar.update(1)
    bar.set_postfix(loss=f"{np.mean(losses[-50:]):.{digits}f}")
    if step % 10 == 0:
        log.write(json.dumps({"step": step, "loss": float(np.mean(losses[-10:])),
                              "wall_s": round(time.time() - started, 1)}) + "\n")
        log.flush()
    if step % checkpoint_every == 0 or step == steps:
        checkpoint()
