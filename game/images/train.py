"""Train the bundled scene model: v-prediction denoising on composed scenes, resumable.

`train(run_dir, steps)` keeps one checkpoint (`checkpoint.pt`: UNet, EMA,
optimiser, step) written atomically every `checkpoint_every` steps and on
Ctrl-C; running it again resumes there. Everything random is drawn from
generators seeded by (seed, step), so a resumed run continues exactly as an
uninterrupted one would. Captions are dropped 10% of the time so the model
also learns the unconditional prediction that classifier-free guidance needs.
`export(run_dir, out_dir)` writes the EMA weights as an fp16 diffusers folder.
The data (objects, empty scenes, backgrounds version; `dataset.data_spec`) is
recorded as in game.images.latent; the first 32×32 model is reproduced with
`settings=LEGACY_SETTINGS` and the shipped model's data (`dataset.LEGACY_DATA`).

Deliberately left out: multi-GPU, mixed precision training and learning-rate
schedules beyond a linear warm-up (none was needed at this size).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, UNet2DConditionModel
from diffusers.training_utils import EMAModel
from tqdm import tqdm

from game.images.backgrounds import VERSION as BACKGROUNDS_VERSION
from game.images.backgrounds import check_version
from game.images.dataset import EMPTY_SHARE, LEGACY_DATA, data_spec, sampler_for
from game.images.pipeline import (
    DEFAULT_GGUF,
    SceneDiffusionPipeline,
    build_pipeline,
    scheduler_config,
    unet_config,
)
from game.images.progress import after_step, save_checkpoint, training_device
from game.images.text_encoder import SmolLMTextEncoder
from game.images.vocabulary import LEGACY_SETTINGS, OBJECT_NAMES, SETTING_NAMES

CAPTION_DROPOUT = 0.1


def train(run_dir: str | Path, steps: int, *, batch: int = 32, lr: float = 5e-4, size: int = 32, seed: int = 0,
          checkpoint_every: int = 100, device: str | None = None, tiny: bool = False, quiet: bool = False,
          settings: list[str] | None = None, objects: list[str] | None = None, empty_share: float = EMPTY_SHARE,
          backgrounds_version: int = BACKGROUNDS_VERSION) -> dict:
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    dev = training_device(device)
    config = {"size": size, "seed": seed, "batch": batch, "lr": lr, "tiny": tiny, "text_encoder_gguf": DEFAULT_GGUF,
              "settings": list(settings or SETTING_NAMES), "objects": list(objects or OBJECT_NAMES),
              "empty_share": float(empty_share), "backgrounds": check_version(backgrounds_version)}
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**unet_config(size, tiny)).to(dev)
    ema = EMAModel(unet.parameters(), decay=0.999, use_ema_warmup=True, power=0.75)
    optimiser = torch.optim.AdamW(unet.parameters(), lr=lr, weight_decay=0.01)
    step = 0
    ckpt_path = run_dir / "checkpoint.pt"
    if ckpt_path.exists():
        ckpt = torch.load(ckpt_path, map_location=dev, weights_only=False)
        ckpt["config"].setdefault("settings", list(LEGACY_SETTINGS))  # runs from before the vocabulary grew
        ckpt["config"] = {**LEGACY_DATA, **ckpt["config"]}  # and from before the data was recorded
        if ckpt["config"] != config:
            raise ValueError(f"{ckpt_path}: made with {ckpt['config']}, not {config}; use another run folder")
        unet.load_state_dict(ckpt["unet"])
        ema.load_state_dict(ckpt["ema"])
        optimiser.load_state_dict(ckpt["optimiser"])
        step = ckpt["step"]
    encoder = SmolLMTextEncoder(DEFAULT_GGUF)
    cache_path = run_dir / "caption_states.pt"
    if cache_path.exists():
        encoder.cache.update({k: v.numpy() for k, v in torch.load(cache_path, weights_only=False).items()})
    noise_scheduler = DDPMScheduler(**scheduler_config())
    sampler = sampler_for(data_spec(config), size, seed)
    log = open(run_dir / "train_log.jsonl", "a", encoding="utf-8")

    def checkpoint() -> None:
        save_checkpoint({"unet": unet.state_dict(), "ema": ema.state_dict(), "optimiser": optimiser.state_dict(),
                      "step": step, "config": config}, ckpt_path)
        save_checkpoint({k: torch.from_numpy(v) for k, v in encoder.cache.items()}, cache_path)

    bar = tqdm(total=steps, initial=step, desc="train scene model", disable=quiet, unit="step")
    losses: list[float] = []
    started = time.time()
    try:
        while step < steps:
            rng = np.random.default_rng([seed, step, 2])
            scenes = sampler.batch(batch, step)
            captions = ["" if rng.random() < CAPTION_DROPOUT else s.caption for s in scenes]
            states, mask = encoder.encode(captions)
            x0 = torch.from_numpy(np.stack([s.image for s in scenes])).permute(0, 3, 1, 2) * 2 - 1
            gen = torch.Generator().manual_seed(seed * 1_000_003 + step)
            noise = torch.randn(x0.shape, generator=gen)
            t = torch.randint(0, noise_scheduler.config.num_train_timesteps, (batch,), generator=gen)
            noisy = noise_scheduler.add_noise(x0, noise, t)
            target = noise_scheduler.get_velocity(x0, noise, t)
            for group in optimiser.param_groups:
                group["lr"] = lr * min(1.0, (step + 1) / 100)
            pred = unet(noisy.to(dev), t.to(dev), encoder_hidden_states=states.to(dev),
                        encoder_attention_mask=mask.to(dev)).sample
            loss = F.mse_loss(pred.float(), target.to(dev))
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
            optimiser.step()
            ema.step(unet.parameters())
            step += 1
            after_step(step, steps, loss.item(), losses, bar, log, started, checkpoint, checkpoint_every)
    except KeyboardInterrupt:
        checkpoint()
        raise
    finally:
        bar.close()
        log.close()
    return {"steps": step, "loss_last_50": float(np.mean(losses[-50:])) if losses else None,
            "wall_s": time.time() - started}


def export(run_dir: str | Path, out_dir: str | Path, fp16: bool = True) -> Path:
    """The EMA weights of the run's checkpoint as a diffusers folder (fp16 safetensors by default)."""
    ckpt = torch.load(Path(run_dir) / "checkpoint.pt", map_location="cpu", weights_only=False)
    cfg = ckpt["config"]
    cfg = {**data_spec(cfg), **cfg}  # runs from before the vocabulary grew: the legacy settings and data
    pipe: SceneDiffusionPipeline = build_pipeline(size=cfg["size"], tiny=cfg["tiny"])
    ema = EMAModel(pipe.unet.parameters())
    ema.load_state_dict(ckpt["ema"])
    ema.copy_to(pipe.unet.parameters())
    if fp16:
        pipe.unet.to(torch.float16)
    pipe.save_pretrained(out_dir, safe_serialization=True)
    (Path(out_dir) / "training.json").write_text(json.dumps({"steps": ckpt["step"], **cfg}, indent=2) + "\n")
    return Path(out_dir)
