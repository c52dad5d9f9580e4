"""Scene images: the bundled pipeline, its data and trainer, the cache, scene prompts, any-checkpoint path, TUI.

Real parts throughout (diffusers, safetensors, the SmolLM2 text encoder); the
only test doubles are `SolidColourGenerator` (instant pictures for the TUI test)
and the tiny random pipelines, which are named as such.
"""
from __future__ import annotations

import json
import threading

import numpy as np
import pytest
import torch
from PIL import Image

from game.images.cache import ImageCache
from game.images.dataset import SceneSampler, held_out_pairs
from game.images.generator import ImageGenerator, ImageModelError, SceneImages
from game.images.pipeline import (
    SceneModelError,
    bundled_model_dir,
    load_pipeline,
    tiny_test_pipeline,
)
from game.images.scene_prompt import scene_prompt
from game.images.vocabulary import SETTINGS, TIMES, caption
from game.stories.loader import load_story, resolve_story_path
from game.world.place import CARRIED
from game.world.state import initial_state

pytestmark = pytest.mark.timeout(300)


def _pixels(image) -> np.ndarray:
    return np.asarray(image, dtype=np.int16)


@pytest.mark.slow
def test_pipeline_save_load_round_trip_draws_the_same_picture(tmp_path):
    pipe = tiny_test_pipeline(seed=3)
    before = pipe("a camel at an oasis at dusk", num_inference_steps=3, generator=torch.Generator().manual_seed(1))
    pipe.save_pretrained(tmp_path / "m")
    again = load_pipeline(tmp_path / "m")("a camel at an oasis at dusk", num_inference_steps=3,
                                          generator=torch.Generator().manual_seed(1))
    assert np.array_equal(_pixels(before.images[0]), _pixels(again.images[0]))
    assert again.images[0].size == (8, 8)


def test_prompts_are_checked(tmp_path):
    pipe = tiny_test_pipeline()
    with pytest.raises(ValueError, match="empty"):
        pipe("   ", num_inference_steps=2)
    with pytest.raises(ValueError, match="characters"):
        pipe("sand " * 1000, num_inference_steps=2)


def test_captions_say_what_was_placed_and_held_out_pairs_stay_out():
    held = held_out_pairs(0)
    scenes = SceneSampler(32, 0).batch(200, 5)
    for scene in scenes:
        assert scene.caption == caption(scene.setting, scene.time, scene.objects)
        assert SETTINGS[scene.setting] in scene.caption and scene.caption.endswith(TIMES[scene.time])
        assert not any((scene.setting, o) in held for o in scene.objects)
        assert scene.image.shape == (32, 32, 3) and 0 <= scene.image.min() and scene.image.max() <= 1
    evaluation = SceneSampler(32, 0, split="held_out").batch(50, 0)
    assert all((s.setting, s.objects[0]) in held for s in evaluation)
    again = SceneSampler(32, 0).batch(200, 5)
    assert all(np.array_equal(a.image, b.image) for a, b in zip(scenes, again))


@pytest.mark.slow
def test_training_resumes_exactly(tmp_path):
    from game.images.train import export, train

    train(tmp_path / "whole", 4, batch=4, size=8, tiny=True, checkpoint_every=2, quiet=True)
    train(tmp_path / "split", 2, batch=4, size=8, tiny=True, checkpoint_every=2, quiet=True)
    train(tmp_path / "split", 4, batch=4, size=8, tiny=True, checkpoint_every=2, quiet=True)
    a = torch.load(tmp_path / "whole" / "checkpoint.pt", weights_only=False)
    b = torch.load(tmp_path / "split" / "checkpoint.pt", weights_only=False)
    assert a["step"] == b["step"] == 4
    assert all(torch.equal(a["unet"][k], b["unet"][k]) for k in a["unet"])
    with pytest.raises(ValueError, match="made with"):
        train(tmp_path / "whole", 6, batch=8, size=8, tiny=True, quiet=True)
    out = export(tmp_path / "whole", tmp_path / "exported")
    assert json.loads((out / "training.json").read_text())["steps"] == 4
    assert load_pipeline(out)("a key in a dark cave at night", num_inference_steps=2).images[0].size == (8, 8)


def test_corrupt_or_missing_weights_are_named(tmp_path):
    with pytest.raises(SceneModelError, match="model_index.json"):
        load_pipeline(tmp_path / "nothing-here")
    tiny_test_pipeline().save_pretrained(tmp_path / "m")
    weights = tmp_path / "m" / "unet" / "diffusion_pytorch_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(SceneModelError, match="cannot load"):
        load_pipeline(tmp_path / "m")


@pytest.mark.slow
def test_bundled_model_draws_a_scene():
    from game.images.generator import BundledSceneGenerator

    generator = BundledSceneGenerator()
    image = generator.generate("a camel at an oasis at dusk", seed=0)
    assert image.size == (128, 128)
    weights = bundled_model_dir() / "unet" / "diffusion_pytorch_model.safetensors"
    assert weights.stat().st_size <= 25 * 1024 * 1024


def test_cache_keys_atomic_writes_and_an_unwritable_folder(tmp_path, caplog):
    cache = ImageCache(tmp_path / "c")
    picture = Image.new("RGB", (4, 4), "red")
    assert cache.get("m", "p", 0) is None
    stored = cache.put("m", "p", 0, picture)
    assert cache.get("m", "p", 0) == stored and stored.is_file()
    assert cache.get("m", "p", 1) is None and cache.get("other", "p", 0) is None
    assert list((tmp_path / "c").iterdir()) == [stored]  # no temporary file left beside it
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    bad = ImageCache(blocked / "sub")
    with caplog.at_level("WARNING", logger="game.images.cache"):
        assert bad.put("m", "p", 0, picture) is None
    assert "not writable" in bad.problem
    assert [r.getMessage() for r in caplog.records] == [bad.problem]


class SolidColourGenerator(ImageGenerator):
    """Test double: an instant one-colour picture; `gate` (if given) holds it back."""

    model_id = "test-double"

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate, self.prompts = gate, []

    def prompt_for(self, scene):
        return scene.caption

    def generate(self, prompt, seed):
        if self.gate is not None:
            assert self.gate.wait(30)
        self.prompts.append(prompt)
        return Image.new("RGB", (16, 16), "orange")


def test_scene_images_draw_once_then_serve_from_cache(tmp_path):
    story = load_story(resolve_story_path(None), check_walkthrough=False)
    images = SceneImages(SolidColourGenerator(), ImageCache(tmp_path / "c"))
    scene = scene_prompt(story, initial_state(story))
    first = images.draw(scene)
    assert images.cached(scene) == first and images.draw(scene) == first
    assert images.generator.prompts == [scene.caption]


def test_scene_prompt_shows_only_what_is_there(tmp_path):
    story = load_story(resolve_story_path(None), check_walkthrough=False)
    state = initial_state(story)
    start = scene_prompt(story, state)
    assert start.setting == "village" and "stone well" in start.text
    assert "lantern" not in start.text  # it is in the bazaar, not here
    moved = state.model_copy(update={"location": "bazaar"})
    bazaar = scene_prompt(story, moved)
    assert bazaar.setting == "bazaar" and "Nadia" in bazaar.text and "merchant" in bazaar.caption
    later = scene_prompt(story, moved.model_copy(update={"minutes": moved.minutes + 12 * 60}))
    assert later.time != bazaar.time and later.caption != bazaar.caption
    dark = scene_prompt(story, moved.model_copy(update={"location": "dark_stair"}))
    assert "darkness" in dark.text and dark.shown == ()
    items = dict(moved.items)
    taken = moved.model_copy(update={"location": "oasis_pool", "items": {**items, "silver_bracelet": CARRIED}})
    assert "bracelet" not in scene_prompt(story, taken).text


def _tiny_stable_diffusion(folder):
    """A randomly initialised Stable Diffusion pipeline built here (as diffusers' own tests do) — no download."""
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    extra = [256 + i for i in range(256 - len(printable))]  # GPT-2's byte-to-unicode table, as CLIP uses it
    chars = [chr(c) for c in printable + extra]
    vocab = {t: i for i, t in enumerate(chars + [c + "</w>" for c in chars] + ["<|startoftext|>", "<|endoftext|>"])}
    (folder / "tok").mkdir(parents=True)
    (folder / "tok" / "vocab.json").write_text(json.dumps(vocab))
    (folder / "tok" / "merges.txt").write_text("#version: 0.2\n")
    tokenizer = CLIPTokenizer(str(folder / "tok" / "vocab.json"), str(folder / "tok" / "merges.txt"),
                              model_max_length=77)
    torch.manual_seed(0)
    text_encoder = CLIPTextModel(CLIPTextConfig(vocab_size=len(vocab), hidden_size=32, intermediate_size=37,
                                                num_attention_heads=4, num_hidden_layers=2,
                                                bos_token_id=vocab["<|startoftext|>"],
                                                eos_token_id=vocab["<|endoftext|>"], pad_token_id=1))
    unet = UNet2DConditionModel(block_out_channels=(32, 64), layers_per_block=1, sample_size=8, in_channels=4,
                                out_channels=4, down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
                                up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32)
    vae = AutoencoderKL(block_out_channels=[32, 64], in_channels=3, out_channels=3, latent_channels=4,
                        down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2)
    pipe = StableDiffusionPipeline(vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet,
                                   scheduler=DDIMScheduler(), safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.save_pretrained(folder / "sd")
    return folder / "sd"


@pytest.mark.slow
def test_any_diffusers_checkpoint_draws_from_the_english_prompt(tmp_path):
    from game.images.generator import DiffusersCheckpointGenerator

    folder = _tiny_stable_diffusion(tmp_path)
    generator = DiffusersCheckpointGenerator(folder, steps=2, size=32, device="cpu")
    assert "CPU" in generator.notice
    image = generator.generate("Bazaar (bazaar), low evening light; with Nadia " * 20, seed=0)  # > 77 tokens
    assert image.size == (32, 32)
    with pytest.raises(ImageModelError, match="model_index.json"):
        DiffusersCheckpointGenerator(tmp_path / "missing")

    class OutOfMemoryOnce:  # test double around the real pipeline: the GPU runs out of memory once
        def __init__(self, pipe):
            self.pipe, self.calls, self.moved_to = pipe, 0, None

        def to(self, device):
            self.moved_to = device
            return self

        def __call__(self, *args, **kwargs):
            self.calls += 1
            if self.calls == 1:
                raise torch.OutOfMemoryError("CUDA out of memory (simulated)")
            return self.pipe(*args, **kwargs)

    wrapped = OutOfMemoryOnce(generator._pipe)
    generator._pipe = wrapped
    assert generator.generate("a camel", seed=1).size == (32, 32)
    assert wrapped.moved_to == "cpu" and generator.device == "cpu" and "ran out of memory" in generator.notice
    (folder / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"not weights")
    with pytest.raises(ImageModelError, match="cannot load"):
        DiffusersCheckpointGenerator(folder, device="cpu").generate("a camel", seed=0)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_tui_picture_arrives_without_blocking_the_turn(tmp_path, anyio_backend):
    from game.tui.messages import SceneDrawn, TurnFinished
    from game.tui.widgets.scene_pane import ScenePane
    from tests.tui_support import SIZE, make_app

    gate = threading.Event()
    seen = []
    images = SceneImages(SolidColourGenerator(gate), ImageCache(tmp_path / "c"))
    app = make_app(tmp_path, images=images)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        for _ in range(200):
            await pilot.pause(0.05)
            if app.controller.session is not None and app.screen.current_scene is not None:
                break
        await pilot.press("2")  # "Go north" while the opening's picture is still held back
        for _ in range(200):
            await pilot.pause(0.05)
            if any(isinstance(m, TurnFinished) for m in seen):
                break
        assert any(isinstance(m, TurnFinished) for m in seen), "the turn waited for the picture"
        pane = app.screen.query_one(ScenePane)
        assert pane.image_path is None  # placeholder while drawing
        gate.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert any(isinstance(m, SceneDrawn) for m in seen)
        assert pane.image_path is not None and pane.image_path.is_file()
        assert app.screen.current_scene.room_id == app.controller.session.state.location


def test_a_scene_with_nothing_to_draw_gets_its_background_not_a_thing_the_model_invents(caplog):
    from game.images.generator import BundledSceneGenerator
    from game.images.scene_prompt import ScenePrompt

    generator = BundledSceneGenerator()
    empty = ScenePrompt("kitchen_1", "Kitchen (kitchen), bright daylight; nobody and nothing of note",
                        "nothing in a kitchen by day", "kitchen", "day", ())
    with caplog.at_level("INFO", logger="game.images.generator"):
        first, again = generator.draw_scene(empty, seed=3), generator.draw_scene(empty, seed=3)
    assert first.size == (128, 128) and first.tobytes() == again.tobytes()  # the same picture on every visit
    assert generator._pipe is None  # the model was never asked
    assert "nothing to draw" in caplog.text and "kitchen background" in caplog.text
    other = generator.draw_scene(ScenePrompt("x", "", "", "desert", "night", ()), seed=3)
    assert other.tobytes() != first.tobytes()  # the setting and the hour are still drawn
