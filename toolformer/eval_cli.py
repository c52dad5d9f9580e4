"""`adventure toolformer eval` (and `bench toolformer`): which adapter, which held-out set, which figures.

Defaults, so that a fresh clone can run `adventure toolformer eval` with no
arguments:
  * adapter: --lora PATH; else WORK/adapter.gguf when the export stage made one
    (the previous stage's output); else the shipped assets/toolformer/adapter.gguf.
    `toolformer run` resolves its adapter the same way. The choice is printed.
  * held-out set: WORK/heldout.jsonl; when it does not exist the corpus stage runs
    first (seeded by --seed, default 0: the same texts every time) and writes
    corpus.jsonl, heldout.jsonl and lore.jsonl into WORK (default runs/toolformer).
Figures that need files of other stages (filter benchmark, kept calls, parity)
are null when those files are absent, with the reason in `notes`.

Deliberately left out: evaluating several adapters in one run (run it twice).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from agent.backend import ModelError

from . import SHIPPED_ADAPTER
from .workdir import lore, timing, work, write_corpus


def default_adapter(args, command: str = "eval") -> Path:
    """--lora, else the export stage's WORK/adapter.gguf, else the shipped adapter (printed to stderr)."""
    if getattr(args, "lora", None):
        return Path(args.lora)
    exported = Path(args.work) / "adapter.gguf"
    if exported.exists():
        print(f"{command}: adapter {exported} (made by `toolformer export`; --lora to choose another)", file=sys.stderr)
        return exported
    if SHIPPED_ADAPTER.exists():
        print(f"{command}: adapter {SHIPPED_ADAPTER} (the shipped one: no {exported} yet)", file=sys.stderr)
        return SHIPPED_ADAPTER
    raise ModelError(f"no adapter: neither {exported} (run `adventure toolformer all`) nor the shipped "
                     f"{SHIPPED_ADAPTER} exists; pass --lora PATH")


def heldout_records(args) -> list[dict]:
    """WORK/heldout.jsonl, made by the (seeded) corpus stage first when it does not exist."""
    from .jsonl import read_jsonl

    path = Path(args.work) / "heldout.jsonl"
    if not path.exists():
        print(f"eval: no held-out set at {path}; making one with the corpus stage (seed {args.seed})", file=sys.stderr)
        write_corpus(args, quiet=True)
    return list(read_jsonl(path, required=("text",)))


def cmd_eval(args, state=None) -> int:
    from .evaluate import evaluate, write_benchmarks
    from .export import check_adapter
    from .model import model_path
    from .report import benchmark_lines

    out_dir = work(args)
    mpath = model_path(args.model)
    adapter = default_adapter(args)
    check_adapter(adapter, mpath)
    heldout = heldout_records(args)
    t0 = time.perf_counter()
    res = evaluate(mpath, adapter, heldout, lore(args), top_k=args.top_k, limit=args.eval_limit,
                   n_threads=args.threads)
    timing(args, "eval", time.perf_counter() - t0)
    figs = res["figures"]
    load = lambda name: json.loads((out_dir / name).read_text()) if (out_dir / name).exists() else {}
    bench, export, timings, counts = load("filter_bench.json"), load("export.json"), load("timings.json"), load("kept_counts.json")
    figs["adapter"] = str(adapter)
    figs["filter_speedup"] = bench.get("filter_speedup")
    figs["parity_max_abs_logprob_diff"] = export.get("parity", {}).get("max_abs")
    figs["parity_base_only_max_abs"] = export.get("parity_base_only", {}).get("max_abs")
    figs["parity_mean_abs"] = export.get("parity", {}).get("mean_abs")
    figs["parity_base_only_mean_abs"] = export.get("parity_base_only", {}).get("mean_abs")
    figs["kept_calls"] = counts
    figs["stage_seconds"] = {k: v.get("seconds") for k, v in timings.items()}
    out = {"arith_base": figs.get("arith_base"), "arith_tuned": figs.get("arith_tuned"),
           "arith_tuned_disabled": figs.get("arith_tuned_disabled"), "svamp_style_base": figs.get("svamp_style_base"),
           "svamp_style_tuned": figs.get("svamp_style_tuned"), **figs}
    (out_dir / "eval.json").write_text(json.dumps({"figures": out, "examples": res["examples"]}, indent=1))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))
    if args.docs:
        write_benchmarks(args.docs, out, benchmark_lines(out, bench, timings))
    if args.card:
        from .evaluate import write_card

        training_path = out_dir / "train" / "adapter" / "training.json"
        training = json.loads(training_path.read_text()) if training_path.exists() else {}
        write_card(args.card, out, training, timings, export)
    return 0


def add_eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lora", default=None,
                   help="adapter (default: WORK/adapter.gguf if the export stage made one, else the shipped one)")
    p.add_argument("--top-k", type=int, default=10, help="start a call when ' [' is in the top-k (paper 10)")
    p.add_argument("--eval-limit", type=int, default=None, help="evaluate at most this many prompts per set")
    p.add_argument("--json", default=None, help="write the figures to this file")
    p.add_argument("--docs", default=None, help="update the '## Toolformer' section of this markdown file")
    p.add_argument("--card", default=None, help="write the adapter's model card here")
