"""`adventure serve`: the same Textual app in a web browser, through textual-serve, on 127.0.0.1 only.

textual-serve runs `adventure play …` as a child process per browser tab and
relays its screen to xterm.js in the page; every option here is passed on to
that `play`. What the browser shows: the whole game screen (story, side panel,
choices, status bar), keys and mouse, in the browser's own font. Pictures are
drawn as coloured half-block characters (textual-image's half-cell renderer,
chosen by the scene pane when it sees the web driver): the browser's terminal
has no Kitty or Sixel graphics, so a picture is coarse, about 2 pixels a cell.

Deliberately left out: any other address than 127.0.0.1 (a served game can
write files, e.g. `transcript PATH`, as the user who started it), logins and
TLS. Reaching it from another machine is a job for an SSH tunnel.
"""
from __future__ import annotations

import argparse
import shlex
import sys

HOST = "127.0.0.1"


def register_serve(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="play in a web browser (textual-serve on 127.0.0.1)")
    serve.add_argument("story", nargs="?", help="story file, TextWorld GAME.json or bundled name (default: oasis)")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    serve.add_argument("--no-images", action="store_true", help="no scene pictures (a placeholder instead)")
    serve.add_argument("--no-villagers", action="store_true", help="leave the story's village out")
    serve.add_argument("--watch", action="store_true", help="reload the story when its file changes (as in play)")
    serve.add_argument("--narration", choices=("model", "engine", "auto"), default="auto",
                       help="as in `adventure play`")
    serve.add_argument("--model", metavar="PATH", help="GGUF model file (default: the embedded SmolLM2-135M)")
    serve.add_argument("--server", metavar="URL", help="an OpenAI-compatible server instead of a local model")
    serve.set_defaults(func=cmd_serve)


def play_command(args: argparse.Namespace) -> str:
    """The `adventure play` command line each browser tab runs."""
    argv = [sys.executable, "-m", "game.cli", "play"]
    if args.story:
        argv.append(args.story)
    argv += [flag for flag, on in (("--no-images", args.no_images), ("--no-villagers", args.no_villagers),
                                   ("--watch", args.watch)) if on]
    argv += ["--narration", args.narration]
    for option in ("model", "server", "log"):  # --log: every tab's game logs to the same file
        if getattr(args, option, None):
            argv += [f"--{option}", getattr(args, option)]
    return shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError as exc:  # a dependency in pyproject.toml; say so rather than trace back
        print(f"error: textual-serve is not installed ({exc}); pip install textual-serve", file=sys.stderr)
        return 2
    command = play_command(args)
    print(f"serving the game on http://{HOST}:{args.port}/ (each tab runs: {command}); Ctrl+C stops",
          file=sys.stderr, flush=True)
    Server(command, host=HOST, port=args.port, title="adventure").serve()
    return 0
