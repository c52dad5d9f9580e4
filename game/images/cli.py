"""`adventure images dataset|train|train-latent|export|sample|sheet|judge|eval`: the bundled scene model's tool chain.

Reproducing the shipped 64×64 weights (deterministic in seed and step count, interrupted or not), which were
trained before the household objects, empty scenes and backgrounds version 2 (`--data legacy` asks for that data):
    adventure images train-latent --run-dir runs/scene-model-64 --threads 1 --data legacy
    adventure images export --run-dir runs/scene-model-64 --out assets/scene_model
    adventure images judge --run-dir runs/judge-64 --size 64 --steps 2000 --backgrounds 1 --export DIR
    (that judge also learns the household objects and empty scenes; the shipped one knew neither)
Fine-tuning a model on the newest data (see the model card): `train-latent --init-from assets/scene_model`.
The first 32×32 pixel-space model: `adventure images train --settings legacy --data legacy` (see the model card).

Deliberately left out: the game's use of the model (game/images/generator.py)
and `adventure bench images` (game/images/bench.py).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def register(subparsers, bench_subparsers) -> None:
    images = subparsers.add_parser("images", help="the bundled scene-image model: data, training, samples, eval")
    sub = images.add_subparsers(dest="images_command", metavar="STEP", required=True)

    data = sub.add_parser("dataset", help="write a sample of captioned training scenes (PNG + captions.jsonl)")
    data.add_argument("--out", required=True, metavar="DIR")
    data.add_argument("--count", type=int, default=64)
    data.add_argument("--size", type=int, default=32)
    data.add_argument("--seed", type=int, default=0)
    data.add_argument("--split", choices=["train", "held_out"], default="train")
    data.set_defaults(func=cmd_dataset)

    train = sub.add_parser("train", help="train (or resume) the scene model; CUDA when present, else CPU")
    train.add_argument("--run-dir", default="runs/scene-model", metavar="DIR", help="checkpoints and logs")
    train.add_argument("--steps", type=int, default=2500)
    train.add_argument("--batch", type=int, default=32)
    train.add_argument("--lr", type=float, default=5e-4)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--checkpoint-every", type=int, default=100)
    train.add_argument("--device", help="torch device (default: cuda if available, else cpu)")
    train.add_argument("--settings", default="all",
                       help="'all' (the whole vocabulary), 'legacy' (the shipped model's eleven) or a comma list")
    _data_args(train)
    train.add_argument("--export", metavar="DIR", help="when done, write the EMA weights as a diffusers folder here")
    train.set_defaults(func=cmd_train)

    lat = sub.add_parser("train-latent", help="train (or resume) the 64×64 model: autoencoder, then latent denoiser")
    lat.add_argument("--run-dir", default="runs/scene-model-64", metavar="DIR", help="checkpoints and logs")
    lat.add_argument("--ae-steps", type=int, help="autoencoder steps (phase 1; default 2000, with --init-from 0: "
                                                  "the autoencoder is taken as it is)")
    lat.add_argument("--steps", type=int, default=10000, help="latent denoiser steps (phase 2)")
    lat.add_argument("--batch", type=int, default=32)
    lat.add_argument("--lr", type=float, default=5e-4, help="the denoiser's learning rate")
    lat.add_argument("--init-from", metavar="DIR", help="start from this model folder (e.g. assets/scene_model) or "
                                                        "train-latent run folder, to fine-tune it")
    lat.add_argument("--settings", default="all", help="'all', 'legacy' or a comma list")
    _data_args(lat)
    lat.add_argument("--seed", type=int, default=0)
    lat.add_argument("--threads", type=int, default=1, help="torch threads on the CPU (1: leave the others alone)")
    lat.add_argument("--checkpoint-every", type=int, default=100)
    lat.add_argument("--device", help="torch device (default: cuda if available, else cpu)")
    lat.add_argument("--export", metavar="DIR", help="when done, write it as a diffusers folder here")
    lat.set_defaults(func=cmd_train_latent)

    export = sub.add_parser("export", help="write a run's EMA weights as a diffusers folder (fp16 safetensors)")
    export.add_argument("--run-dir", default="runs/scene-model", metavar="DIR")
    export.add_argument("--out", required=True, metavar="DIR")
    export.set_defaults(func=cmd_export)

    sample = sub.add_parser("sample", help="draw one picture from a prompt")
    sample.add_argument("prompt")
    sample.add_argument("-o", "--out", required=True, metavar="PNG")
    _model_args(sample)
    sample.add_argument("--upscale", type=int, help="enlarge the image by this factor (default: to 128 pixels)")
    sample.set_defaults(func=cmd_sample)

    sheet = sub.add_parser("sheet", help="a contact sheet of every room of a story, as the game would draw it")
    sheet.add_argument("story", nargs="?", help="story file or bundled name (default: the oasis story)")
    sheet.add_argument("-o", "--out", required=True, metavar="PNG")
    sheet.add_argument("--hours", default="0,11", help="game hours after the start to draw each room at")
    _model_args(sheet)
    sheet.set_defaults(func=cmd_sheet)

    jd = sub.add_parser("judge", help="train (or resume) the judge on real composites; report its held-out accuracy")
    jd.add_argument("--run-dir", default="runs/scene-judge", metavar="DIR", help="checkpoint and log")
    jd.add_argument("--steps", type=int, default=2500)
    jd.add_argument("--batch", type=int, default=128)
    jd.add_argument("--horizon", type=int, default=2500, help="steps over which the learning rate decays")
    jd.add_argument("--size", type=int, default=32, help="the judge's input size (pictures are resized to it)")
    jd.add_argument("--seed", type=int, default=0)
    jd.add_argument("--threads", type=int, default=1, help="torch threads (1: leave the other cores alone)")
    jd.add_argument("--backgrounds", type=int,
                    help="backgrounds version (default: the newest); the one of the model it is to judge")
    jd.add_argument("--held-out", type=int, default=2000, help="held-out composites to measure it on")
    jd.add_argument("--export", metavar="DIR", help="when done, write the judge here (e.g. assets/scene_model/judge)")
    jd.set_defaults(func=cmd_judge)

    ev = sub.add_parser("eval", help="judge samples for held-out captions: attribute accuracy, Fréchet distances")
    _model_args(ev)
    ev.add_argument("--per-setting", type=int, default=16, help="samples per setting")
    ev.add_argument("--pairs", choices=("held-out", "trained"), default="held-out",
                    help="held-out (setting, object) pairs, the reported figures; or trained ones, the development "
                         "split for choosing --guidance and --steps")
    ev.add_argument("--judge", metavar="DIR", help="judge folder (default: the bundled one, assets/scene_model/judge)")
    ev.add_argument("--json", metavar="OUT")
    ev.add_argument("--sheet", metavar="PNG", help="also save the samples as a contact sheet")
    ev.add_argument("--empty-per-setting", type=int, default=2,
                    help="empty scenes per setting, for a model that learned them (figures 'empty_*')")
    ev.add_argument("--force", action="store_true",
                    help="judge even when the judge was trained on other backgrounds than the model (warned)")
    ev.set_defaults(func=cmd_eval)


def _model_args(parser) -> None:
    parser.add_argument("--scene-model", metavar="DIR", help="scene model folder (default: the bundled one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=20, help="denoising steps")
    parser.add_argument("--guidance", type=float, default=3.0, help="classifier-free guidance scale")


def _data_args(parser) -> None:
    parser.add_argument("--data", choices=("new", "legacy"), default="new",
                        help="'new': every object, empty scenes, the newest backgrounds; 'legacy': what the shipped "
                             "model was trained on (26 objects, no empty scenes, backgrounds 1); the options below "
                             "change either")
    parser.add_argument("--objects", help="'all', 'legacy' (the bundled story's 26) or a comma list")
    parser.add_argument("--empty-share", type=float, help="share of scenes with no object (new: 0.1)")
    parser.add_argument("--backgrounds", type=int, help="backgrounds version (new: the newest)")


def _data(args) -> dict:
    """train/train-latent keyword arguments for the data options."""
    from game.images.backgrounds import VERSION
    from game.images.dataset import EMPTY_SHARE, LEGACY_DATA
    from game.images.vocabulary import LEGACY_OBJECTS, OBJECT_NAMES

    legacy = args.data == "legacy"
    objects = {"all": list(OBJECT_NAMES), "legacy": list(LEGACY_OBJECTS), None: None}.get(args.objects)
    if args.objects and objects is None:
        objects = [o.strip() for o in args.objects.split(",") if o.strip()]
    return {"objects": objects or (list(LEGACY_OBJECTS) if legacy else list(OBJECT_NAMES)),
            "empty_share": args.empty_share if args.empty_share is not None else
            (LEGACY_DATA["empty_share"] if legacy else EMPTY_SHARE),
            "backgrounds_version": args.backgrounds or (LEGACY_DATA["backgrounds"] if legacy else VERSION)}


def _load(args):
    from game.images.pipeline import load_bundled_pipeline, load_pipeline

    return load_pipeline(args.scene_model) if args.scene_model else load_bundled_pipeline()


def cmd_dataset(args) -> int:
    import numpy as np
    from PIL import Image

    from game.images.dataset import SceneSampler

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scenes = SceneSampler(args.size, args.seed, args.split).batch(args.count, 0)
    with open(out / "captions.jsonl", "w", encoding="utf-8") as handle:
        for i, scene in enumerate(scenes):
            name = f"{i:05d}.png"
            Image.fromarray((scene.image * 255).round().astype(np.uint8)).save(out / name)
            handle.write(json.dumps({"file": name, "caption": scene.caption, "setting": scene.setting,
                                     "time": scene.time, "objects": scene.objects}) + "\n")
    print(f"wrote {len(scenes)} scenes and captions.jsonl to {out}")
    return 0


def _stop_cleanly() -> None:
    """Ctrl-C, `kill -INT` or `kill -TERM` (also when started in the background, where shells ignore SIGINT): the
    trainers catch KeyboardInterrupt and write their checkpoint before they stop."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _settings(text: str) -> list[str] | None:
    from game.images.vocabulary import LEGACY_SETTINGS, SETTING_NAMES

    if text == "all":
        return list(SETTING_NAMES)
    if text == "legacy":
        return list(LEGACY_SETTINGS)
    return [s.strip() for s in text.split(",") if s.strip()]


def cmd_train(args) -> int:
    _stop_cleanly()
    from game.images.train import export, train

    result = train(args.run_dir, args.steps, batch=args.batch, lr=args.lr, seed=args.seed,
                   checkpoint_every=args.checkpoint_every, device=args.device, settings=_settings(args.settings),
                   **_data(args))
    print(json.dumps(result))
    if args.export:
        print(f"exported to {export(args.run_dir, args.export)}")
    return 0


def cmd_train_latent(args) -> int:
    _stop_cleanly()
    import torch

    from game.images.latent import export_latent, train_latent

    torch.set_num_threads(max(args.threads, 1))
    ae_steps = args.ae_steps if args.ae_steps is not None else (0 if args.init_from else 2000)
    try:
        result = train_latent(args.run_dir, ae_steps, args.steps, batch=args.batch, lr=args.lr, seed=args.seed,
                              checkpoint_every=args.checkpoint_every, device=args.device,
                              settings=_settings(args.settings), init_from=args.init_from, **_data(args))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    if args.export:
        print(f"exported to {export_latent(args.run_dir, args.export)}")
    return 0


def cmd_export(args) -> int:
    from game.images.train import export

    if (Path(args.run_dir) / "unet.pt").is_file():  # a 64×64 latent run (train-latent)
        from game.images.latent import export_latent

        print(f"exported to {export_latent(args.run_dir, args.out)}")
        return 0
    if not (Path(args.run_dir) / "checkpoint.pt").is_file():
        print(f"error: {args.run_dir}/checkpoint.pt: no checkpoint to export", file=sys.stderr)
        return 2
    print(f"exported to {export(args.run_dir, args.out)}")
    return 0


def cmd_sample(args) -> int:
    import torch

    from game.images.pipeline import SceneModelError

    try:
        pipe = _load(args)
        image = pipe(args.prompt, num_inference_steps=args.steps, guidance_scale=args.guidance,
                     generator=torch.Generator().manual_seed(args.seed),
                     upscale=args.upscale or max(1, 128 // pipe.pixel_size)).images[0]
    except (SceneModelError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    image.save(args.out)
    timings = ", ".join(f"{k} {v:.2f}" for k, v in pipe.last_timings.items())
    print(f"wrote {args.out} ({image.width}×{image.height}; {timings})")
    return 0


def cmd_sheet(args) -> int:
    from game.images.generator import BundledSceneGenerator, ImageModelError
    from game.images.scene_prompt import scene_prompt
    from game.images.sheet import contact_sheet
    from game.textworld.story_files import open_named_story
    from game.world.place import CARRIED
    from game.world.state import initial_state

    story = open_named_story(args.story)  # a YAML story or an imported TextWorld game
    generator = BundledSceneGenerator(args.scene_model, steps=args.steps, guidance=args.guidance)  # as the game draws
    start = initial_state(story)
    images, labels = [], []
    try:
        for hours in (int(h) for h in args.hours.split(",")):
            for room in story.rooms:
                # The player carries the lit lamp, so dark rooms are drawn as a lit visit shows them.
                state = start.model_copy(update={"location": room.id, "minutes": hours * 60,
                                                 "items": {**start.items, **{k: CARRIED for k in start.lit}},
                                                 "lit": {k: True for k in start.lit}})
                scene = scene_prompt(story, state)
                images.append(generator.draw_scene(scene, args.seed))
                how = generator.prompt_for(scene) if generator.draws_itself(scene) else \
                    f"the {scene.setting} background alone"
                labels.append(f"{room.name}: {how}")
    except ImageModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    contact_sheet(images, labels, args.out, columns=len(story.rooms) if len(story.rooms) <= 8 else 8)
    print(f"wrote {args.out} ({len(images)} scenes)")
    return 0


def cmd_judge(args) -> int:
    _stop_cleanly()
    import time

    import torch

    from game.images.backgrounds import VERSION
    from game.images.judge import export_judge, held_out_accuracy, train_judge

    torch.set_num_threads(max(args.threads, 1))
    started = time.time()
    judge = train_judge(args.run_dir, args.steps, size=args.size, batch=args.batch, seed=args.seed,
                        horizon=args.horizon, backgrounds_version=args.backgrounds or VERSION)
    accuracy = held_out_accuracy(judge, args.size, args.held_out, args.seed)
    record = {"steps": args.steps, "batch": args.batch, "train_images": args.steps * args.batch,
              "held_out_images": args.held_out, "held_out_accuracy": accuracy,
              "session_wall_s": round(time.time() - started, 1)}
    print(json.dumps(record, indent=2))
    if args.export:
        print(f"exported to {export_judge(judge, args.export, record)}")
    return 0


def cmd_eval(args) -> int:
    from game.images.evaluate import evaluate, mismatches
    from game.images.judge import bundled_judge_dir, load_judge
    from game.images.pipeline import SceneModelError, bundled_model_dir, trained_data

    model_dir, judge_dir = args.scene_model or bundled_model_dir(), args.judge or bundled_judge_dir()
    try:
        judge = load_judge(judge_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = trained_data(model_dir)
    if problems := mismatches(data, judge):
        fatal = any("backgrounds" not in p for p in problems) or not args.force
        for problem in problems:
            print(f"{'error' if fatal else 'WARNING'}: model {model_dir} and judge {judge_dir}: {problem}",
                  file=sys.stderr)
        if fatal:
            if not any("backgrounds" not in p for p in problems):
                print("(--force judges anyway; its figures then measure the judge's mistakes too)", file=sys.stderr)
            return 2
    try:
        pipe = _load(args)
    except SceneModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    figures, images, prompts = evaluate(pipe, judge, per_setting=args.per_setting, seed=args.seed, steps=args.steps,
                                        guidance=args.guidance, pairs=args.pairs, data=data,
                                        empty_per_setting=args.empty_per_setting)
    if problems:
        figures["warnings"] = problems
    if args.sheet:
        from game.images.sheet import contact_sheet

        contact_sheet(images, prompts, args.sheet)
    text = json.dumps(figures, indent=2)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0
