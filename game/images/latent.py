"""The 64×64 scene model: a small autoencoder of our own and a diffusion model in its 16×16 latent space.

Stable Diffusion's recipe at CPU size: a TAESD-style `AutoencoderTiny` (three
stages of 32 channels, 4 latent channels, 64×64 pixels ↔ 16×16 latents; an
`AutoencoderKL` with channels (32, 64, 128) took about 7 s a training step of
batch 32 on this busy 2-core CPU, this one about 1.3 s) is trained first on composed scenes (L1 + MSE); its latents are
scaled to unit variance
(`scaling_factor`, measured on 512 scenes); then a `UNet2DConditionModel`
learns v-prediction on those latents with the same frozen SmolLM2 text encoder
and captions as the 32×32 pixel model. `LatentSceneDiffusionPipeline` (in
game.images.pipeline, beside the pixel model it extends) samples in latent space
and decodes once at the end, so the denoiser runs at 16×16. This module trains and
exports it.

`train_latent(run_dir, ae_steps, steps)` is resumable in both phases: one
checkpoint each (`autoencoder.pt`, `unet.pt`; weights, EMA, optimiser, step)
written atomically every `checkpoint_every` steps and on Ctrl-C; batches are
seeded by step, so an interrupted run continues as an uninterrupted one would.
CUDA is used when present (`device`).

The data (settings, objects, share of empty scenes, backgrounds version;
`dataset.data_spec`) is part of the run's config and of the exported
training.json. A run from before these keys existed resumes as what it was:
the shipped model's data. `init_from` (`--init-from DIR`, game.images.warm_start)
starts both phases from a model or run trained before: the autoencoder is taken
as it is when `ae_steps` is 0 (phase 1 skipped, its latent scale kept), else
fine-tuned for `ae_steps`; the denoiser is fine-tuned for `steps`.

Deliberately left out: a perceptual or adversarial autoencoder loss (no
pretrained networks offline), mixed precision, and multi-GPU.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import (
    AutoencoderTiny,
    DDPMScheduler,
    DPMSolverMultistepScheduler,
    UNet2DConditionModel,
)
from diffusers.training_utils import EMAModel
from tqdm import tqdm

from game.images.backgrounds import VERSION as BACKGROUNDS_VERSION
from game.images.backgrounds import check_version
from game.images.dataset import EMPTY_SHARE, LEGACY_DATA, SceneSampler, data_spec, sampler_for
from game.images.pipeline import (
    DEFAULT_GGUF,
    LatentSceneDiffusionPipeline,
    downscale,
    latent_unet_config,
    scheduler_config,
    vae_config,
)
from game.images.progress import after_step, save_checkpoint, training_device
from game.images.text_encoder import SmolLMTextEncoder
from game.images.vocabulary import OBJECT_NAMES, SETTING_NAMES
from game.images.warm_start import check_source, init_autoencoder, init_denoiser

CAPTION_DROPOUT = 0.1


def _pixels(scenes) -> torch.Tensor:
    return torch.from_numpy(np.stack([s.image for s in scenes])).permute(0, 3, 1, 2) * 2 - 1


def _checked(path: Path, config: dict, dev) -> dict | None:
    if not path.exists():
        return None
    ckpt = torch.load(path, map_location=dev, weights_only=False)
    made, asked = {**LEGACY_DATA, **ckpt["config"]}, {**LEGACY_DATA, **config}  # older runs: the shipped model's data
    if made != asked:
        differ = sorted(k for k in set(made) | set(asked) if made.get(k) != asked.get(k))
        raise ValueError(f"{path}: made with {', '.join(f'{k}={made.get(k)!r}' for k in differ)}, not "
                         f"{', '.join(f'{k}={asked.get(k)!r}' for k in differ)}; resume it with the same options "
                         "or use another run folder")
    return ckpt


def train_autoencoder(run_dir: Path, steps: int, config: dict, dev, checkpoint_every: int, quiet: bool):
    torch.manual_seed(config["seed"])
    vae = AutoencoderTiny(**vae_config(config["size"], config["tiny"])).to(dev)
    optimiser = torch.optim.AdamW(vae.parameters(), lr=config["ae_lr"], weight_decay=0.0)
    path, step, scale = run_dir / "autoencoder.pt", 0, None
    if ckpt := _checked(path, config, dev):
        vae.load_state_dict(ckpt["vae"])
        optimiser.load_state_dict(ckpt["optimiser"])
        step = ckpt["step"]
        scale = ckpt.get("scaling_factor") if ckpt.get("scaled_at") == steps else None
    elif config.get("init_from"):
        init_scale = init_autoencoder(Path(config["init_from"]), vae)
        scale = init_scale if steps == 0 else None  # taken as it is: its scale, which the denoiser learned with
    spec = data_spec(config)
    sampler = sampler_for(spec, config["size"], config["seed"] + 300, "all")

    def checkpoint() -> None:
        save_checkpoint({"vae": vae.state_dict(), "optimiser": optimiser.state_dict(), "step": step,
                      "config": config, "scaling_factor": scale, "scaled_at": step if scale else None}, path)

    bar = tqdm(total=steps, initial=step, desc="train autoencoder", unit="step", disable=quiet)
    log, losses = open(run_dir / "autoencoder_log.jsonl", "a", encoding="utf-8"), []
    try:
        while step < steps:
            x = _pixels(sampler.batch(config["batch"], step)).to(dev)
            recon = vae.decode(vae.encode(x).latents).sample
            loss = F.l1_loss(recon, x) + F.mse_loss(recon, x)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
            optimiser.step()
            step += 1
            losses.append(loss.item())
            bar.update(1)
            bar.set_postfix(loss=f"{np.mean(losses[-50:]):.4f}")
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "loss": float(np.mean(losses[-10:]))}) + "\n")
                log.flush()
            if step % checkpoint_every == 0 or step == steps:
                checkpoint()
    except KeyboardInterrupt:
        checkpoint()
        raise
    finally:
        bar.close()
        log.close()
    if scale is None:  # latents scaled to unit variance, as Stable Diffusion's 0.18215
        with torch.no_grad():
            scenes = sampler_for(spec, config["size"], config["seed"] + 301, "all", settings=False).batch(512, 0)
            latents = torch.cat([vae.encode(_pixels(scenes[i:i + 64]).to(dev)).latents
                                 for i in range(0, 512, 64)])
        scale = float(1.0 / latents.std())
        checkpoint()
    elif not path.exists():  # taken from init_from without a step: its checkpoint, for the export
        checkpoint()
    vae.register_to_config(scaling_factor=scale)
    return vae.eval().requires_grad_(False)


def train_latent(run_dir: str | Path, ae_steps: int, steps: int, *, batch: int = 32, lr: float = 5e-4,
                 ae_lr: float = 1e-3, size: int = 64, seed: int = 0, checkpoint_every: int = 100,
                 device: str | None = None, tiny: bool = False, quiet: bool = False,
                 settings: list[str] | None = None, objects: list[str] | None = None,
                 empty_share: float = EMPTY_SHARE, backgrounds_version: int = BACKGROUNDS_VERSION,
                 init_from: str | Path | None = None) -> dict:
    """Phase 1: the autoencoder to `ae_steps`; phase 2: the latent denoiser to `steps`. Both resume.

    `settings`, `objects`, `empty_share`, `backgrounds_version`: the data (default: the whole vocabulary, 10%
    empty scenes, the newest backgrounds); `init_from`: a model or run folder to start from (see the module)."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    dev = training_device(device)
    config = {"size": size, "seed": seed, "batch": batch, "lr": lr, "ae_lr": ae_lr, "tiny": tiny,
              "ae_steps": ae_steps, "text_encoder_gguf": DEFAULT_GGUF, "settings": list(settings or SETTING_NAMES),
              "objects": list(objects or OBJECT_NAMES), "empty_share": float(empty_share),
              "backgrounds": check_version(backgrounds_version)}
    SceneSampler(size, seed, settings=config["settings"], objects=config["objects"], empty_share=empty_share)  # checks
    if init_from:  # read only while a phase has no checkpoint of its own yet
        config["init_from"] = str(Path(init_from))
        if not (run_dir / "unet.pt").exists():
            check_source(init_from, DEFAULT_GGUF)
    started = time.time()
    vae = train_autoencoder(run_dir, ae_steps, config, dev, checkpoint_every, quiet)
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**latent_unet_config(size // downscale(vae), tiny)).to(dev)
    ema = EMAModel(unet.parameters(), decay=0.999, use_ema_warmup=True, power=0.75)
    optimiser = torch.optim.AdamW(unet.parameters(), lr=lr, weight_decay=0.01)
    path, step = run_dir / "unet.pt", 0
    if ckpt := _checked(path, config, dev):
        unet.load_state_dict(ckpt["unet"])
        ema.load_state_dict(ckpt["ema"])
        optimiser.load_state_dict(ckpt["optimiser"])
        step = ckpt["step"]
    elif init_from:
        init_denoiser(Path(config["init_from"]), unet)
        ema = EMAModel(unet.parameters(), decay=0.999, use_ema_warmup=True, power=0.75)  # starts at those weights
    encoder = SmolLMTextEncoder(DEFAULT_GGUF)
    noise_scheduler = DDPMScheduler(**scheduler_config())
    sampler = sampler_for(data_spec(config), size, seed)
    scale = vae.config.scaling_factor

    def checkpoint() -> None:
        save_checkpoint({"unet": unet.state_dict(), "ema": ema.state_dict(), "optimiser": optimiser.state_dict(),
                      "step": step, "config": config}, path)

    bar = tqdm(total=steps, initial=step, desc="train latent denoiser", unit="step", disable=quiet)
    log, losses = open(run_dir / "unet_log.jsonl", "a", encoding="utf-8"), []
    try:
        while step < steps:
            rng = np.random.default_rng([seed, step, 2])
            scenes = sampler.batch(batch, step)
            captions = ["" if rng.random() < CAPTION_DROPOUT else s.caption for s in scenes]
            states, mask = encoder.encode(captions)
            with torch.no_grad():
                x0 = vae.encode(_pixels(scenes).to(dev)).latents * scale
            gen = torch.Generator().manual_seed(seed * 1_000_003 + step)
            noise = torch.randn(x0.shape, generator=gen).to(dev)
            t = torch.randint(0, noise_scheduler.config.num_train_timesteps, (batch,), generator=gen).to(dev)
            noisy = noise_scheduler.add_noise(x0, noise, t)
            target = noise_scheduler.get_velocity(x0, noise, t)
            for group in optimiser.param_groups:
                group["lr"] = lr * min(1.0, (step + 1) / 100)
            pred = unet(noisy, t, encoder_hidden_states=states.to(dev), encoder_attention_mask=mask.to(dev)).sample
            loss = F.mse_loss(pred.float(), target)
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
    return {"ae_steps": ae_steps, "steps": step, "loss_last_50": float(np.mean(losses[-50:])) if losses else None,
            "wall_s": time.time() - started}


def export_latent(run_dir: str | Path, out_dir: str | Path, fp16: bool = True) -> Path:
    """The run's autoencoder and EMA denoiser as a diffusers folder (fp16 safetensors by default)."""
    run_dir = Path(run_dir)
    ae = torch.load(run_dir / "autoencoder.pt", map_location="cpu", weights_only=False)
    ck = torch.load(run_dir / "unet.pt", map_location="cpu", weights_only=False)
    cfg = ck["config"]
    vae = AutoencoderTiny(**vae_config(cfg["size"], cfg["tiny"]))
    vae.load_state_dict(ae["vae"])
    vae.register_to_config(scaling_factor=ae["scaling_factor"])
    unet = UNet2DConditionModel(**latent_unet_config(cfg["size"] // downscale(vae), cfg["tiny"]))
    ema = EMAModel(unet.parameters())
    ema.load_state_dict(ck["ema"])
    ema.copy_to(unet.parameters())
    scheduler = DPMSolverMultistepScheduler(**scheduler_config(), algorithm_type="dpmsolver++")
    pipe = LatentSceneDiffusionPipeline(unet=unet, scheduler=scheduler, vae=vae)
    if fp16:
        pipe.unet.to(torch.float16)
        pipe.vae.to(torch.float16)
    pipe.save_pretrained(out_dir, safe_serialization=True)
    record = {"steps": ck["step"], **LEGACY_DATA, **cfg}  # a run from before the data was recorded: the shipped one's
    (Path(out_dir) / "training.json").write_text(json.dumps(record, indent=2) + "\n")
    return Path(out_dir)
