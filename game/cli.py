"""The `adventure` console script: one entry point, subcommands from each package.

Each command module exposes `register(subparsers)`, adding its subcommand(s)
with `set_defaults(func=...)`; `func(args)` returns the process exit code.
Modules are imported lazily per run so `adventure --help` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# Modules that contribute subcommands. Add yours here.
COMMAND_MODULES = [
    "agent.cli",  # adventure model ..., adventure bench llm
    "game.commands",  # adventure story check/schema, adventure run, adventure bench game
    "game.tui.cli",  # adventure play (the terminal UI), adventure bench tui
    "toolformer.cli",  # adventure toolformer corpus|sample|...|all, adventure bench toolformer
    "agent.villagers.cli",  # adventure villagers check|schema|run|ask
    "game.images.cli",  # adventure images dataset|train|export|sample|eval
    "game.images.bench",  # adventure bench images
    "game.benches.textworld",  # adventure bench textworld
    "game.benches.intent",  # adventure bench intent
    "game.benches.faults",  # adventure bench faults
    "game.benches.village_turns",  # adventure bench village-turns
    "game.benches.solve",  # adventure bench solve
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="adventure",
        description="Text adventures in your terminal, narrated by a local LLM.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    bench = subparsers.add_parser("bench", help="measure speed and quality figures")
    bench_sub = bench.add_subparsers(dest="bench_command", metavar="WHAT", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers, bench_sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
