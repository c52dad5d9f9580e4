"""`adventure images train-latent --init-from DIR`: start a run from weights trained before, to fine-tune them.

DIR is either an exported model folder (assets/scene_model: `vae/`, `unet/`,
fp16 safetensors, what `adventure images export` writes) or a train-latent run
folder (`autoencoder.pt`, `unet.pt`; the denoiser's EMA weights are taken, the
ones an export would ship). `init_autoencoder` loads the autoencoder and returns
its latent scale; `init_denoiser` loads the denoiser. The run's own checkpoints
take over from there: a run folder that already has them resumes from them and
never reads DIR again. Only weights are taken, never an optimiser or a step
count: the fine-tune counts its steps from 0 (with its own learning-rate
warm-up) and its EMA starts at the loaded weights.

Deliberately left out: partial loading (a denoiser of another shape is refused,
naming both) and starting from a 32×32 pixel-space model (it has no latent
space to share).
"""
from __future__ import annotations

import json
from pathlib import Path

import torch


def _kind(source: Path) -> str:
    if (source / "model_index.json").is_file():
        return "model"
    if (source / "unet.pt").is_file() or (source / "autoencoder.pt").is_file():
        return "run"
    raise ValueError(f"{source}: --init-from needs a model folder (model_index.json, vae/, unet/) or a train-latent "
                     "run folder (autoencoder.pt, unet.pt); this is neither")


def _text_encoder(source: Path) -> str | None:
    if _kind(source) == "model":
        return json.loads((source / "model_index.json").read_text(encoding="utf-8")).get("text_encoder_gguf")
    for name in ("unet.pt", "autoencoder.pt"):
        if (source / name).is_file():
            return torch.load(source / name, map_location="cpu", weights_only=False)["config"].get("text_encoder_gguf")
    return None


def check_source(source: str | Path, text_encoder_gguf: str) -> Path:
    """The folder, if it is one to start from and its captions were encoded by the same text encoder."""
    source = Path(source)
    _kind(source)
    theirs = _text_encoder(source)
    if theirs and theirs != text_encoder_gguf:
        raise ValueError(f"{source}: trained with the text encoder {theirs}, this run uses {text_encoder_gguf}")
    return source


def _safetensors(path: Path) -> dict:
    from safetensors.torch import load_file

    if not path.is_file():
        raise ValueError(f"{path}: missing, so there are no weights to start from")
    return {k: v.float() if v.is_floating_point() else v for k, v in load_file(str(path)).items()}


def _load(module, state: dict, source: Path, part: str) -> None:
    try:
        module.load_state_dict(state)
    except RuntimeError as exc:
        first = str(exc).splitlines()[0]
        raise ValueError(f"{source}: its {part} does not fit this run's (another size or --tiny?): {first}") from exc


def init_autoencoder(source: Path, vae) -> float:
    """Load the autoencoder's weights into `vae`; its latent scaling factor."""
    if _kind(source) == "model":
        _load(vae, _safetensors(source / "vae" / "diffusion_pytorch_model.safetensors"), source, "autoencoder")
        scale = json.loads((source / "vae" / "config.json").read_text(encoding="utf-8")).get("scaling_factor")
    else:
        if not (source / "autoencoder.pt").is_file():
            raise ValueError(f"{source}: no autoencoder.pt to start from")
        ckpt = torch.load(source / "autoencoder.pt", map_location="cpu", weights_only=False)
        _load(vae, ckpt["vae"], source, "autoencoder")
        scale = ckpt.get("scaling_factor")
    if not scale:
        raise ValueError(f"{source}: its autoencoder has no latent scale (phase 1 did not finish)")
    return float(scale)


def init_denoiser(source: Path, unet) -> None:
    """Load the denoiser's weights (a run folder's EMA weights) into `unet`."""
    if _kind(source) == "model":
        _load(unet, _safetensors(source / "unet" / "diffusion_pytorch_model.safetensors"), source, "denoiser")
        return
    from diffusers.training_utils import EMAModel

    if not (source / "unet.pt").is_file():
        raise ValueError(f"{source}: no unet.pt to start the denoiser from")
    ckpt = torch.load(source / "unet.pt", map_location="cpu", weights_only=False)
    _load(unet, ckpt["unet"], source, "denoiser")  # the shapes are checked here, then the EMA weights copied in
    ema = EMAModel(unet.parameters())
    ema.load_state_dict(ckpt["ema"])
    ema.copy_to(unet.parameters())
