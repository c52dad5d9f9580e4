"""The `adventure` console script: one entry point, subcommands from each package.

Each command module exposes `register(subparsers)`, adding its subcommand(s)
with `set_defaults(func=...)`; `func(args)` returns the process exit code.
Modules are imported lazily per run so `adventure --help` stays fast.

Logging is configured here and only here (library modules only log): `--log FILE`
(before or after the subcommand) or the `ADVENTURE_LOG` environment variable sends
every record from INFO up to FILE, one line each. Headless commands also print
warnings to stderr; a full-screen command (`play`, which sets `full_screen`) never
writes to the terminal it draws on, so without a file its records go nowhere.

Deliberately left out: log rotation and per-module levels.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

# Modules that contribute subcommands. Add yours here.
COMMAND_MODULES = [
    "agent.cli",  # adventure model ..., adventure bench llm
    "game.commands",  # adventure story check/schema, adventure run, adventure bench game; registers
    # agent.villagers.cli (adventure villagers check|schema|run|ask) with the game's story loader
    "game.tui.cli",  # adventure play (the terminal UI), adventure bench tui
    "toolformer.cli",  # adventure toolformer corpus|sample|...|all, adventure bench toolformer
    "game.images.cli",  # adventure images dataset|train|export|sample|eval
    "game.images.bench",  # adventure bench images
    "game.benches.textworld",  # adventure bench textworld
    "game.benches.intent",  # adventure bench intent
    "game.benches.faults",  # adventure bench faults
    "game.benches.village_turns",  # adventure bench village-turns
    "game.benches.solve",  # adventure bench solve
]


LOG_ENV = "ADVENTURE_LOG"
LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"
LOG_HELP = f"write the log (INFO and up, one line a record) to FILE; also ${LOG_ENV}"
QUIET_LOGGERS = ("httpx", "httpcore")  # one INFO line per HTTP request would drown the game's own records


class OneLineFormatter(logging.Formatter):
    """LOG_FORMAT with a traceback folded onto the record's line, so one record is one line of the file."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace("\n", " | ")


def configure_logging(log_file: str | None, full_screen: bool) -> list[logging.Handler]:
    """The root logger's handlers for one run (returned so a caller in the same process can remove them)."""
    root = logging.getLogger()
    handlers: list[logging.Handler] = []
    if log_file:
        to_file = logging.FileHandler(log_file, encoding="utf-8")
        to_file.setLevel(logging.INFO)
        to_file.setFormatter(OneLineFormatter(LOG_FORMAT))
        handlers.append(to_file)
        root.setLevel(logging.INFO)
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    if full_screen:
        # Something must handle the records, or logging's last resort prints warnings over the screen.
        handlers.append(logging.NullHandler())
    else:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setLevel(logging.WARNING)
        to_stderr.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handlers.append(to_stderr)
    for handler in handlers:
        root.addHandler(handler)
    return handlers


def add_log_option_below(parser: argparse.ArgumentParser) -> None:
    """`--log FILE` on every subcommand under `parser`, nested ones too (SUPPRESS: a subcommand without it keeps
    the value given before the subcommand)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                sub.add_argument("--log", metavar="FILE", default=argparse.SUPPRESS, help=LOG_HELP)
                add_log_option_below(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="adventure",
        description="Text adventures in your terminal, narrated by a local LLM.",
    )
    parser.add_argument("--log", metavar="FILE", default=None, help=LOG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    bench = subparsers.add_parser("bench", help="measure speed and quality figures")
    bench_sub = bench.add_subparsers(dest="bench_command", metavar="WHAT", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers, bench_sub)
    add_log_option_below(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    root_level = logging.getLogger().level
    handlers = configure_logging(args.log or os.environ.get(LOG_ENV) or None,
                                 full_screen=getattr(args, "full_screen", False))
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        for handler in handlers:  # main() may run again in this process (tests): no handler twice
            logging.getLogger().removeHandler(handler)
            handler.close()
        logging.getLogger().setLevel(root_level)


if __name__ == "__main__":
    sys.exit(main())
