"""Stage 5: LoRA fine-tuning (peft) on texts with the kept calls inline, results included.

Data: for each text with a kept call, the best call (largest L- - L+) is
inserted inline with its result, " [Calculator(13*22) -> 286] 286 ..."; the
other texts (tool-free ones, and tool texts whose calls were all filtered out)
are added unchanged so the model also learns when not to call. Plain causal LM loss over every token, no new tokens.

Runs on CPU by default (CUDA when present or asked), seeded, with a tqdm bar,
a checkpoint every `save_every` steps (adapter + optimizer + scheduler +
step; written atomically) and `--resume` that continues from the last one
and refuses a checkpoint made for another base model.

Deliberately left out: gradient accumulation, mixed precision, evaluation
during training (stage 7 does that).
"""
from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from agent.backend import ModelError
from agent.files import replacing, write_text_atomic
from agent.inline import format_call

from .calls import insert_call

TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class TrainConfig:
    rank: int = 8
    alpha: float = 16.0
    dropout: float = 0.0
    lr: float = 1e-3
    warmup: float = 0.1  # fraction of steps (paper: 10%)
    epochs: int = 12
    batch_size: int = 8
    max_len: int = 96
    seed: int = 0
    save_every: int = 10
    max_steps: int = 0  # 0 = epochs * batches
    targets: list[str] = field(default_factory=lambda: list(TARGET_MODULES))


def build_examples(filtered: list[dict], plain: list[dict], max_plain_ratio: float | None = None) -> list[str]:
    """Training texts, the paper's C*: each text with a kept call has its best call inline; every other
    text (tool-free texts, and tool texts whose calls were all filtered out) is kept unchanged, so the
    model sees where no call belongs far more often than where one does. `max_plain_ratio` caps the
    unchanged texts at that many per text with a call (None: all of them)."""
    with_call, unchanged = [], []
    for rec in filtered:
        kept = rec.get("kept") or []
        if not kept:
            unchanged.append(rec["text"])
            continue
        best = kept[0]
        call = format_call(best["tool"], best["input"], best["result"])
        with_call.append(insert_call(rec["text"], best["pos"], call))
    pool = [r["text"] for r in plain if r.get("text")] + unchanged
    n_plain = len(pool) if max_plain_ratio is None else int(len(with_call) * max_plain_ratio)
    return with_call + pool[:n_plain]


def _save_atomic(obj, path: Path) -> None:
    import torch

    with replacing(path) as tmp:
        torch.save(obj, tmp)


def train_lora(model, tokenizer, texts: list[str], out_dir: str | os.PathLike, cfg: TrainConfig,
               base_fingerprint: str, resume: bool = True, progress: bool = True,
               stop_after: int | None = None) -> dict:
    """Train and save the adapter (peft format) to out_dir/adapter; returns a summary.

    `stop_after` stops (as if interrupted) after that many steps of this call — for tests.
    """
    import torch
    from peft import (
        LoraConfig,
        get_peft_model,
        get_peft_model_state_dict,
        set_peft_model_state_dict,
    )
    from tqdm import tqdm

    if not texts:
        raise ValueError("no training texts: the filter kept no calls (lower tau_f or sample more texts)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ckpt_path = out_dir / "checkpoint.pt"
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    device = next(model.parameters()).device
    lcfg = LoraConfig(r=cfg.rank, lora_alpha=cfg.alpha, lora_dropout=cfg.dropout, target_modules=cfg.targets,
                      bias="none", task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, lcfg)
    params = [p for p in peft_model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    batches_per_epoch = math.ceil(len(texts) / cfg.batch_size)
    total = cfg.max_steps or cfg.epochs * batches_per_epoch
    warm = max(1, int(cfg.warmup * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (total - s) / max(1, total - warm)) if s >= warm
        else (s + 1) / warm)
    step, losses = 0, []
    if resume and ckpt_path.exists():
        state = torch.load(ckpt_path, map_location="cpu", weights_only=False)
        if state.get("base_fingerprint") != base_fingerprint:
            raise ModelError(
                f"checkpoint {ckpt_path} was made for base model {state.get('base_model', '?')} "
                f"(fingerprint {state.get('base_fingerprint')}), not this one ({base_fingerprint}); "
                "delete it or pass --no-resume to start over")
        if state.get("config", {}).get("rank") != cfg.rank:
            raise ModelError(f"checkpoint {ckpt_path} has LoRA rank {state['config'].get('rank')}, not {cfg.rank}")
        set_peft_model_state_dict(peft_model, state["adapter"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        step, losses = state["step"], state["losses"]
        print(f"resuming from step {step} of {total} ({ckpt_path})", file=sys.stderr)

    def batch_for(s: int) -> list[str]:
        epoch, b = divmod(s, batches_per_epoch)
        order = list(range(len(texts)))
        random.Random(cfg.seed * 7919 + epoch).shuffle(order)
        return [texts[i] for i in order[b * cfg.batch_size: (b + 1) * cfg.batch_size]]

    def save() -> None:
        _save_atomic({"adapter": get_peft_model_state_dict(peft_model), "optimizer": opt.state_dict(),
                      "scheduler": sched.state_dict(), "step": step, "losses": losses,
                      "base_fingerprint": base_fingerprint, "base_model": getattr(model, "_adventure_path", "?"),
                      "config": asdict(cfg)}, ckpt_path)

    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    peft_model.train()
    t0, done_now = time.perf_counter(), 0
    bar = tqdm(total=total, initial=step, desc="train", disable=not progress, file=sys.stderr)
    while step < total:
        enc = [tokenizer.encode(t, add_special_tokens=False)[: cfg.max_len] for t in batch_for(step)]
        width = max(len(e) for e in enc)
        ids = torch.full((len(enc), width), pad, dtype=torch.long)
        mask = torch.zeros_like(ids)
        for k, e in enumerate(enc):
            ids[k, : len(e)] = torch.tensor(e)
            mask[k, : len(e)] = 1
        labels = ids.masked_fill(mask == 0, -100)
        out = peft_model(input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device))
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        done_now += 1
        losses.append(round(float(out.loss.detach()), 4))
        bar.update(1)
        bar.set_postfix(loss=f"{losses[-1]:.3f}")
        if step % cfg.save_every == 0 or step == total:
            save()
        if stop_after is not None and done_now >= stop_after:
            break
    bar.close()
    summary = {"steps": step, "total_steps": total, "examples": len(texts),
               "final_loss": losses[-1] if losses else None, "first_loss": losses[0] if losses else None,
               "seconds": round(time.perf_counter() - t0, 1), "finished": step >= total}
    if step >= total:
        peft_model.save_pretrained(str(out_dir / "adapter"))
        write_text_atomic(out_dir / "adapter" / "training.json",
                          json.dumps({**summary, "config": asdict(cfg), "base_fingerprint": base_fingerprint,
                                      "losses": losses}, indent=1))
    return summary
