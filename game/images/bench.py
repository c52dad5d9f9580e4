"""`adventure bench images`: how fast scene pictures come, on this machine.

Figures (one flat JSON object with --json): `cpu_latency_s_median` (bundled
model, 20 steps, text encoding + denoising + decoding, median of --runs fresh
prompts) with its three parts, `cached_ms_median` (a revisited scene: cache
lookup plus reading the PNG), `peak_memory_mb` (the process's peak resident
memory), and `gpu_latency_ms` / `gpu_latency_compiled_ms` for --image-model at
512 px, 1 step, fp16 — null where no GPU is present, with `notes` saying so.

Deliberately left out: batch throughput (the game draws one scene at a time).
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path


def register(subparsers, bench_subparsers) -> None:
    bench = bench_subparsers.add_parser("images", help="scene picture latency: bundled model on CPU, cache, GPU")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--runs", type=int, default=10)
    bench.add_argument("--image-model", metavar="DIR", help="also time this diffusers folder on the GPU")
    bench.add_argument("--scene-model", metavar="DIR", help="bundled-format model folder (default: the shipped one)")
    bench.set_defaults(func=cmd_bench_images)


def _gpu_latency(folder: str, compile: bool, runs: int) -> float:
    import torch

    from game.images.generator import DiffusersCheckpointGenerator

    generator = DiffusersCheckpointGenerator(folder, steps=1, size=512, compile=compile, device="cuda")
    for i in range(3):  # warm-up (and compilation)
        generator.generate(f"warm-up {i}", seed=i)
    times = []
    for i in range(runs):
        torch.cuda.synchronize()
        started = time.perf_counter()
        generator.generate(f"a camel beside a palm tree at an oasis at dusk, view {i}", seed=i)
        torch.cuda.synchronize()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def cmd_bench_images(args) -> int:
    import torch

    from game.images.cache import ImageCache
    from game.images.generator import BundledSceneGenerator
    from game.images.pipeline import (
        SceneModelError,
        load_bundled_pipeline,
        load_pipeline,
    )
    from game.images.vocabulary import LEGACY_OBJECTS, SETTING_NAMES, TIME_NAMES, caption

    try:
        pipe = load_pipeline(args.scene_model) if args.scene_model else load_bundled_pipeline()
    except SceneModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    pipe("a camel in a desert by day", generator=torch.Generator().manual_seed(0))  # loads the text encoder
    parts: dict[str, list[float]] = {"total": [], "text_encode_s": [], "denoise_s": [], "decode_s": []}
    images = []
    upscale = max(1, BundledSceneGenerator.DISPLAY_PIXELS // pipe.pixel_size)  # as the game shows it
    for i in range(args.runs):
        prompt = caption(SETTING_NAMES[i % len(SETTING_NAMES)], TIME_NAMES[i % len(TIME_NAMES)],
                         [LEGACY_OBJECTS[(3 * i) % len(LEGACY_OBJECTS)]])  # objects every model knows
        pipe.text_encoder.cache.pop(prompt, None)  # a fresh prompt: encoding is part of the cost
        started = time.perf_counter()
        images.append((prompt, pipe(prompt, generator=torch.Generator().manual_seed(i), upscale=upscale).images[0]))
        parts["total"].append(time.perf_counter() - started)
        for key in ("text_encode_s", "denoise_s", "decode_s"):
            parts[key].append(pipe.last_timings[key])
    cache = ImageCache(Path(tempfile.mkdtemp(prefix="adventure-bench-images-")))
    for prompt, image in images:
        cache.put("bench", prompt, 0, image)
    cached = []
    from PIL import Image

    for _ in range(5):
        for prompt, _ in images:
            started = time.perf_counter()
            with Image.open(cache.get("bench", prompt, 0)) as picture:
                picture.load()
            cached.append((time.perf_counter() - started) * 1000)
    figures = {
        "cpu_latency_s_median": round(statistics.median(parts["total"]), 3),
        "cpu_text_encode_s_median": round(statistics.median(parts["text_encode_s"]), 3),
        "cpu_denoise_s_median": round(statistics.median(parts["denoise_s"]), 3),
        "cpu_decode_s_median": round(statistics.median(parts["decode_s"]), 4),
        "cached_ms_median": round(statistics.median(cached), 3),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "gpu_latency_ms": None, "gpu_latency_compiled_ms": None,
        "resolution": pipe.pixel_size, "runs": args.runs, "torch_threads": torch.get_num_threads(),
    }
    notes = []
    if args.image_model and torch.cuda.is_available():
        figures["gpu_latency_ms"] = round(_gpu_latency(args.image_model, False, args.runs), 2)
        figures["gpu_latency_compiled_ms"] = round(_gpu_latency(args.image_model, True, args.runs), 2)
        figures["gpu"] = torch.cuda.get_device_name()
    elif args.image_model:
        notes.append("no CUDA GPU on this machine: --image-model was not timed")
    else:
        notes.append("no GPU figures: run with --image-model DIR on a CUDA machine")
    figures["notes"] = "; ".join(notes)
    text = json.dumps(figures, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0
