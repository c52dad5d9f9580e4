"""`adventure model info` and `adventure bench llm`."""
from __future__ import annotations

import argparse
import json
import sys

from .backend import ModelError
from .runtime import add_model_arguments, backend_from_args


def register(subparsers, bench_subparsers) -> None:
    model = subparsers.add_parser("model", help="inspect the language model")
    model_sub = model.add_subparsers(dest="model_command", metavar="WHAT", required=True)
    info = model_sub.add_parser("info", help="show which model would be used and what it is")
    add_model_arguments(info, shipped_lora=True)
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(func=cmd_model_info)
    server = model_sub.add_parser("build-server", help="build llama.cpp's own llama-server (for the village's "
                                  "concurrent requests) from the installed llama-cpp-python's source, once")
    server.add_argument("--jobs", type=int, help="parallel compile jobs (default: all cores)")
    server.add_argument("--force", action="store_true", help="build even if a llama-server is found")
    server.set_defaults(func=cmd_build_server)

    bench = bench_subparsers.add_parser("llm", help="runtime speed: decode, prefix cache, rank(), roles")
    add_model_arguments(bench)
    bench.add_argument("--json", metavar="OUT", help="write the figures as one flat JSON object")
    bench.add_argument("--repeats", type=int, default=5, help="repetitions per figure (median is reported)")
    bench.set_defaults(func=cmd_bench_llm)


def cmd_model_info(args: argparse.Namespace) -> int:
    try:
        backend = backend_from_args(args)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    with backend:
        info = backend.info()  # a server's "chat_template" is "server": its chat endpoint applies the model's own
    if args.json:
        print(json.dumps(info, indent=2))
    else:
        width = max(map(len, info))
        for key, value in info.items():
            print(f"{key:<{width}}  {value}")
    return 0


def cmd_build_server(args: argparse.Namespace) -> int:
    from .llama_server import ServerError, build, find

    try:
        found = None if args.force else find()
        path = found or build(jobs=args.jobs)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"llama-server: {path}" + (" (already there; --force rebuilds)" if found else ""))
    return 0


def cmd_bench_llm(args: argparse.Namespace) -> int:
    from .bench_llm import run_llm_bench

    if args.server:
        print("error: bench llm measures the in-process runtime; run it without --server", file=sys.stderr)
        return 2
    try:
        figures = run_llm_bench(model=args.model, threads=args.threads, repeats=args.repeats)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for key, value in figures.items():
        print(f"{key:32} {value:.4f}" if isinstance(value, float) else f"{key:32} {value}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 0
