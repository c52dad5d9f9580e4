"""Image generators: one adapter class, two backends — the bundled model and any diffusers checkpoint.

`ImageGenerator.generate(prompt, seed)` returns a PIL image; `model_id` names
the weights (for the cache key). `SceneImages` joins a generator and the cache:
`cached(scene)` is the fast path for revisits, `draw(scene)` makes a picture
(blocking; the TUI calls it in a thread worker).

`DiffusersCheckpointGenerator` opens a local diffusers folder (SD-Turbo, SDXS,
…) with `AutoPipelineForText2Image`: fp16 and 1–4 steps on CUDA, optional
`torch.compile` of the UNet and a tiny VAE decoder (AutoencoderTiny). On a CPU
it works but is slow, and says so. A CUDA out-of-memory error moves it to the
CPU once, with a message.

Deliberately left out: downloading checkpoints (the user brings the folder),
LoRAs for diffusers, and image-to-image.
"""
from __future__ import annotations

import abc
import hashlib
import logging
import threading
from pathlib import Path

from game.images.cache import ImageCache
from game.images.scene_prompt import ScenePrompt

CLIP_MAX_TOKENS = 77
log = logging.getLogger(__name__)


class ImageModelError(RuntimeError):
    """A picture model cannot be opened; the message names the file or folder."""


class ImageGenerator(abc.ABC):
    model_id: str = ""
    notice: str | None = None  # one line for the player (slow CPU, fallback, …)

    @abc.abstractmethod
    def prompt_for(self, scene: ScenePrompt) -> str:
        ...

    @abc.abstractmethod
    def generate(self, prompt: str, seed: int):
        ...

    def draw_scene(self, scene: ScenePrompt, seed: int):
        """The picture of a scene (its prompt: `prompt_for`)."""
        return self.generate(self.prompt_for(scene), seed)


class BundledSceneGenerator(ImageGenerator):
    """The project's own model (64×64 pixels, or 32×32 for the first one), upscaled to `DISPLAY_PIXELS` for the
    terminal; runs on any CPU."""

    DISPLAY_PIXELS = 128

    def __init__(self, folder: str | Path | None = None, steps: int = 20, guidance: float = 3.0,
                 upscale: int | None = None) -> None:
        from game.images.pipeline import bundled_model_dir

        self.folder = Path(folder) if folder else bundled_model_dir()
        self.steps, self.guidance, self.upscale = steps, guidance, upscale
        self._pipe = None
        self._data: dict | None = None
        self._lock = threading.Lock()
        weights = self.folder / "unet" / "diffusion_pytorch_model.safetensors"
        digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:12] if weights.is_file() else "missing"
        self.model_id = f"bundled-scene-model:{digest}"

    def _pipeline(self):
        if self._pipe is None:
            from game.images.pipeline import SceneModelError, load_pipeline

            try:
                self._pipe = load_pipeline(self.folder)
            except SceneModelError as exc:
                raise ImageModelError(str(exc)) from exc
        return self._pipe

    @property
    def data(self) -> dict:
        """What the model was trained on (`pipeline.trained_data`: settings, objects, empty_share, backgrounds)."""
        if self._data is None:
            from game.images.pipeline import trained_data

            self._data = trained_data(self.folder)
        return self._data

    def prompt_for(self, scene: ScenePrompt) -> str:
        return scene.caption_for(self.data["settings"], self.data["objects"])

    def draws_itself(self, scene: ScenePrompt) -> bool:
        """Whether the model draws this scene: it has something the model knows, or the model learned empty scenes."""
        return bool(scene.objects_for(self.data["objects"])) or self.data["empty_share"] > 0

    def draw_scene(self, scene: ScenePrompt, seed: int):
        """A scene with nothing the model knows gets the setting's own background, drawn by the same code (and
        backgrounds version) that composed its training pictures, unless its training.json says it learned empty
        scenes ("nothing in a kitchen"): one that never saw them would put a thing there."""
        if self.draws_itself(scene):
            return self.generate(self.prompt_for(scene), seed)
        import numpy as np
        from PIL import Image

        from game.images.dataset import compose

        log.info("scene %s: nothing to draw in it, so the %s background at %s, not the model", scene.room_id,
                 scene.setting, scene.time)
        picture = compose(scene.setting, scene.time, [], 64, np.random.default_rng([seed, 7]),
                          self.data["backgrounds"]).image
        image = Image.fromarray((picture * 255).round().astype(np.uint8))
        return image.resize((self.DISPLAY_PIXELS, self.DISPLAY_PIXELS), Image.BICUBIC)

    def generate(self, prompt: str, seed: int):
        import torch

        with self._lock:  # one pipeline, one scheduler state
            pipe = self._pipeline()
            upscale = self.upscale or max(1, self.DISPLAY_PIXELS // pipe.pixel_size)
            return pipe(prompt, num_inference_steps=self.steps, guidance_scale=self.guidance,
                        generator=torch.Generator().manual_seed(seed), upscale=upscale).images[0]


class DiffusersCheckpointGenerator(ImageGenerator):
    def __init__(self, folder: str | Path, steps: int = 1, size: int = 512, compile: bool = False,
                 tiny_vae: str | Path | None = None, device: str | None = None) -> None:
        import torch

        self.folder = Path(folder)
        if not (self.folder / "model_index.json").is_file():
            raise ImageModelError(f"{self.folder}: not a diffusers folder (no model_index.json)")
        self.steps, self.size, self.compile, self.tiny_vae = steps, size, compile, tiny_vae
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        if self.device == "cpu":
            self.notice = (f"{self.folder.name} runs on the CPU: expect minutes per picture "
                           "(leave out --image-model for the bundled model)")
        self.model_id = f"diffusers:{self.folder.resolve()}:{steps}:{size}"
        self._pipe = None
        self._lock = threading.Lock()

    def _load(self):
        import torch
        from diffusers import AutoencoderTiny, AutoPipelineForText2Image

        dtype = torch.float16 if self.device == "cuda" else torch.float32
        try:
            pipe = AutoPipelineForText2Image.from_pretrained(self.folder, dtype=dtype)
            if self.tiny_vae:
                pipe.vae = AutoencoderTiny.from_pretrained(self.tiny_vae, dtype=dtype)
        except Exception as exc:
            raise ImageModelError(f"{self.folder}: cannot load the diffusers pipeline "
                                  f"({type(exc).__name__}: {exc})") from exc
        pipe.set_progress_bar_config(disable=True)
        pipe = pipe.to(self.device)
        if self.compile:
            pipe.unet = torch.compile(pipe.unet, mode="reduce-overhead", fullgraph=True)
        return pipe

    def prompt_for(self, scene: ScenePrompt) -> str:
        return scene.text

    def generate(self, prompt: str, seed: int):
        import torch

        if not prompt.strip():
            raise ValueError("the scene prompt is empty")
        with self._lock:
            if self._pipe is None:
                self._pipe = self._load()
            tokenizer = getattr(self._pipe, "tokenizer", None)
            if tokenizer is not None:  # CLIP sees 77 tokens; cut explicitly instead of letting it warn
                ids = tokenizer(prompt, truncation=True, max_length=CLIP_MAX_TOKENS - 2).input_ids
                prompt = tokenizer.decode(ids, skip_special_tokens=True)
            kwargs = dict(num_inference_steps=self.steps, height=self.size, width=self.size,
                          guidance_scale=0.0 if self.steps <= 4 else 5.0)
            try:
                return self._pipe(prompt, generator=torch.Generator(self.device).manual_seed(seed), **kwargs).images[0]
            except torch.OutOfMemoryError:
                self._pipe = self._pipe.to("cpu")
                self.device = "cpu"
                self.notice = "the GPU ran out of memory; pictures are now drawn on the CPU (slow)"
                return self._pipe(prompt, generator=torch.Generator("cpu").manual_seed(seed), **kwargs).images[0]


class SceneImages:
    """A generator plus the cache: what the game asks for a scene's picture."""

    def __init__(self, generator: ImageGenerator, cache: ImageCache | None = None, seed: int = 0) -> None:
        self.generator, self.cache, self.seed = generator, cache or ImageCache(), seed

    def cached(self, scene: ScenePrompt) -> Path | None:
        return self.cache.get(self.generator.model_id, self.generator.prompt_for(scene), self.seed)

    def draw(self, scene: ScenePrompt) -> Path | None:
        """The picture's file (made now if not cached); None if the cache cannot keep it (see `problem`)."""
        hit = self.cached(scene)
        if hit:
            return hit
        prompt = self.generator.prompt_for(scene)
        image = self.generator.draw_scene(scene, self.seed)
        stored = self.cache.put(self.generator.model_id, prompt, self.seed, image)
        if stored is None:  # unwritable cache: keep this one picture in a private temp file
            import tempfile

            handle = tempfile.NamedTemporaryFile(suffix=".png", delete=False)
            image.save(handle, format="PNG")
            handle.close()
            return Path(handle.name)
        return stored

    @property
    def problem(self) -> str | None:
        return self.cache.problem or self.generator.notice
