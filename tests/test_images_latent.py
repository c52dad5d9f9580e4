"""The 64×64 latent scene model (game.images.latent) on tiny random configurations: both training phases resume
exactly, the export loads through the same `load_pipeline` as the 32×32 model, and the full size fits the bundle."""
from __future__ import annotations

import pytest
import torch

from game.images.latent import export_latent, train_autoencoder, train_latent
from game.images.pipeline import latent_unet_config, load_pipeline, vae_config
from game.images.vocabulary import SETTING_NAMES

TINY = dict(batch=4, size=16, tiny=True, checkpoint_every=2, quiet=True)


@pytest.mark.slow
def test_autoencoder_phase_resumes_exactly(tmp_path):
    config = {"size": 16, "seed": 0, "batch": 4, "lr": 5e-4, "ae_lr": 1e-3, "tiny": True, "ae_steps": 4,
              "text_encoder_gguf": "x", "settings": list(SETTING_NAMES)}
    for run in ("whole", "split"):
        (tmp_path / run).mkdir()
    whole = train_autoencoder(tmp_path / "whole", 4, config, torch.device("cpu"), 2, True)
    train_autoencoder(tmp_path / "split", 2, config, torch.device("cpu"), 2, True)
    split = train_autoencoder(tmp_path / "split", 4, config, torch.device("cpu"), 2, True)
    a, b = whole.state_dict(), split.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert whole.config.scaling_factor == split.config.scaling_factor > 0


@pytest.mark.slow
def test_latent_denoiser_resumes_exactly_and_exports(tmp_path):
    train_latent(tmp_path / "whole", 2, 4, **TINY)
    train_latent(tmp_path / "split", 2, 2, **TINY)
    train_latent(tmp_path / "split", 2, 4, **TINY)
    a = torch.load(tmp_path / "whole" / "unet.pt", weights_only=False)
    b = torch.load(tmp_path / "split" / "unet.pt", weights_only=False)
    assert a["step"] == b["step"] == 4 and all(torch.equal(a["unet"][k], b["unet"][k]) for k in a["unet"])
    pipe = load_pipeline(export_latent(tmp_path / "whole", tmp_path / "exported"))
    assert type(pipe).__name__ == "LatentSceneDiffusionPipeline" and pipe.pixel_size == 16
    assert pipe.unet.config.sample_size == 8  # the denoiser runs on latents, half the side here (a quarter at 64)
    image = pipe("a candle in a kitchen at night", num_inference_steps=2).images[0]
    assert image.size == (16, 16)


def test_full_size_model_fits_the_bundle():
    from diffusers import AutoencoderTiny, UNet2DConditionModel

    from game.images.pipeline import downscale

    vae = AutoencoderTiny(**vae_config(64))
    unet = UNet2DConditionModel(**latent_unet_config(16))
    fp16_mb = 2 * sum(p.numel() for m in (vae, unet) for p in m.parameters()) / 2 ** 20
    assert fp16_mb <= 24, fp16_mb  # with the judge (< 1 MB): the bundle stays within 25 MB
    assert 64 // downscale(vae) == 16
