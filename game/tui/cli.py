"""`adventure play` (the terminal UI), `adventure serve` (it in a browser) and `adventure bench tui`.

`play` builds a LazyBackend from the usual model flags (agent.runtime) so the
screen is up before the model has loaded. `bench tui` starts `adventure play`
N times in a pseudo-terminal with `ADVENTURE_TUI_PROBE` set and reports the
median seconds from launching the process to an interactive screen
(`startup_s`), to the opening shown, and to the model being ready.

Deliberately left out: options for the scripted test double (tests build the
app with it directly).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

from agent.runtime import add_model_arguments


def register(subparsers, bench_subparsers) -> None:
    play = subparsers.add_parser("play", help="play in the terminal UI")
    play.add_argument("story", nargs="?", help="story file, TextWorld GAME.json or bundled name (default: oasis)")
    play.add_argument("--no-images", action="store_true", help="no scene pictures (a placeholder instead)")
    play.add_argument("--no-villagers", action="store_true", help="leave the story's village out")
    play.add_argument("--image-model", metavar="DIR", help="a local diffusers folder (SD-Turbo, SDXS, …) "
                      "instead of the bundled scene model")
    play.add_argument("--image-steps", type=int, default=1, help="denoising steps for --image-model (1-4)")
    play.add_argument("--image-size", type=int, default=512, help="picture size for --image-model")
    play.add_argument("--compile", action="store_true", help="torch.compile the --image-model UNet (CUDA)")
    play.add_argument("--tiny-vae", metavar="DIR", help="an AutoencoderTiny folder to decode --image-model faster")
    play.add_argument("--watch", action="store_true", help="reload the story when its file changes, replay your "
                      "commands on the new version (engine only) and say where the replay diverges")
    play.add_argument("--load", metavar="SAVE", help="a named save of this story, or a save file")
    play.add_argument("--save-file", metavar="DB", help="play in this save file (default: the last one played)")
    play.add_argument("--narration", choices=("model", "engine", "auto"), default="auto",
                      help="model: checked model prose; engine: the engine's text only; auto (default): a probe "
                           "of the model picks (cached per model file)")
    add_model_arguments(play, shipped_lora=True)
    play.set_defaults(func=cmd_play, full_screen=True)  # game.cli: nothing may write to the terminal it draws on

    from game.tui.serve import register_serve

    register_serve(subparsers)

    bench = bench_subparsers.add_parser("tui", help="start-up time of `adventure play` to an interactive screen")
    bench.add_argument("--json", metavar="OUT", help="write the figures as one JSON object")
    bench.add_argument("--runs", type=int, default=5, help="start-ups to time (the median is reported)")
    add_model_arguments(bench)
    bench.set_defaults(func=cmd_bench_tui)


def cmd_play(args: argparse.Namespace) -> int:
    from agent.runtime import backend_from_args
    from game.tui.app import AdventureApp
    from game.tui.lazy_backend import LazyBackend

    if args.narration != "auto":
        os.environ["ADVENTURE_NARRATION"] = args.narration  # GameSession reads it (the app builds the session)
    label = os.path.basename(args.model) if args.model else (args.server or "SmolLM2-135M")
    backend = LazyBackend(lambda: backend_from_args(args), label=label)
    images = _scene_images(args)
    if images is not False:
        # textual-image asks the terminal what it can draw (Kitty, Sixel, cell size). That must happen
        # before Textual owns stdin, or the terminal's answer arrives as typed text ("[?1;2c").
        from game.tui.widgets.scene_pane import probe_terminal

        probe_terminal()
    app = AdventureApp(args.story, backend, save_path=args.save_file, load=args.load, images=images,
                       villagers=not args.no_villagers, watch=args.watch)
    try:
        app.run()
    finally:
        backend.close()
    return int(app.return_code or 0)


def _scene_images(args: argparse.Namespace):
    """False (no pictures), True (the bundled model, opened by the app) or a SceneImages for --image-model."""
    if args.no_images:
        return False
    if not args.image_model:
        return True
    from game.images.generator import (
        DiffusersCheckpointGenerator,
        ImageModelError,
        SceneImages,
    )

    try:
        generator = DiffusersCheckpointGenerator(args.image_model, steps=args.image_steps, size=args.image_size,
                                                 compile=args.compile, tiny_vae=args.tiny_vae)
    except ImageModelError as exc:
        print(f"error: {exc}; playing with the bundled scene model instead", file=sys.stderr)
        return True
    if generator.notice:
        print(f"warning: {generator.notice}", file=sys.stderr)
    return SceneImages(generator)


def _one_startup(argv: list[str], env: dict, timeout: float = 60.0) -> dict:
    import pty
    import select
    import subprocess

    probe = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name
    os.unlink(probe)
    master, slave = pty.openpty()
    os.system(f"stty cols 120 rows 40 < {os.ttyname(slave)}")
    started = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env={**env, "ADVENTURE_TUI_PROBE": probe,
                                                                                 "TERM": "xterm-256color"},
                            close_fds=True)
    os.close(slave)
    deadline = started + timeout
    try:
        while proc.poll() is None and time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    os.read(master, 65536)  # drain the screen output
                except OSError:
                    break
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
    finally:
        os.close(master)
    if not os.path.exists(probe):
        raise RuntimeError(f"`{' '.join(argv)}` did not report its start-up (exit {proc.returncode})")
    with open(probe, encoding="utf-8") as handle:
        marks = json.load(handle)
    os.unlink(probe)
    return {key: round(value - started, 3) for key, value in marks.items()}


def cmd_bench_tui(args: argparse.Namespace) -> int:
    argv = [sys.executable, "-m", "game.cli", "play", "--no-images"]
    if args.model:
        argv += ["--model", args.model]
    saves = tempfile.mkdtemp(prefix="adventure-bench-tui-")
    env = {**os.environ, "ADVENTURE_SAVE_DIR": saves}
    runs = [_one_startup(argv, env) for _ in range(max(1, args.runs))]
    figures = {
        "startup_s": statistics.median(r["interactive"] for r in runs),
        "opening_s": statistics.median(r["opening"] for r in runs),
        "model_ready_s": statistics.median(r["model"] for r in runs),
        "runs": runs, "cpu_count": os.cpu_count(),
        "what": "seconds from launching `adventure play --no-images` to: an interactive screen (startup_s), "
                "the opening shown, the default model loaded",
    }
    text = json.dumps(figures, indent=2)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(text)
    return 0
