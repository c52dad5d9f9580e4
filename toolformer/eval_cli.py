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

from agent.adapters import SHIPPED_ADAPTER
from agent.backend import ModelError
from agent.files import write_text_atomic

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
    from agent.adapters import check_adapter

    from .evaluate import evaluate, write_benchmarks
    from .model import model_path
    from .report import benchmark_lines

    out_dir = work(args)
    mpath = model_path(args.model)
    adapter = default_adapter(args)
    check_adapter(adapter, mpath)
    heldout = heldout_records(args)
    handwritten = None
    if args.handwritten != "none":
        from .handwritten import HANDWRITTEN, load_handwritten

        handwritten = load_handwritten(args.handwritten or HANDWRITTEN)
    t0 = time.perf_counter()
    res = evaluate(mpath, adapter, heldout, lore(args), top_k=args.top_k, limit=args.eval_limit,
                   n_threads=args.threads, handwritten=handwritten, samples=args.samples,
                   temperature=args.temperature, call_min_p=args.call_min_p,
                   checked=args.call_check, doubts=args.call_doubt,
                   columns=tuple(c for c in (args.columns or "").split(",") if c) or None)
    timing(args, "eval", time.perf_counter() - t0)
    figs = res["figures"]
    load = lambda name: json.loads((out_dir / name).read_text()) if (out_dir / name).exists() else {}
    bench, export = load("filter_bench.json"), load("export.json")
    timings, counts = load("timings.json"), load("kept_counts.json")
    per_tool = load("kept_calls.json")
    notes: dict = {}
    figs["adapter"] = str(adapter)
    figs["filter_speedup"] = bench.get("filter_speedup")
    if figs["filter_speedup"] is None:
        notes["filter_speedup"] = (f"no {out_dir / 'filter_bench.json'}: measured by the filter stage of "
                                   "`toolformer all`")
    for key in ("kept_calls_calendar", "kept_calls_lore"):
        figs[key] = per_tool.get(key)
        if figs[key] is None:
            notes[key] = f"no {out_dir / 'kept_calls.json'}: counted by the filter stage (`toolformer filter`)"
    if args.columns:
        for key in ("arith_base", "arith_tuned_disabled", "handwritten_base", "handwritten_tuned"):
            if key.split("_", 1)[1] not in args.columns.split(","):
                notes[key] = f"not run here (--columns {args.columns})"
    if handwritten is None:
        notes["handwritten_base"] = notes["handwritten_tuned"] = "--handwritten none"
    if args.load_time:
        from .loadtime import adapter_load_seconds

        shipped = adapter.resolve() == SHIPPED_ADAPTER.resolve()  # measured the way the game loads it
        figs["adapter_load"] = adapter_load_seconds(args.model, None if shipped else str(adapter), threads=args.threads)
        figs["adapter_load_s"] = figs["adapter_load"]["adapter_load_s"]
    else:
        figs["adapter_load_s"] = None
        notes["adapter_load_s"] = "--no-load-time"
    figs["parity_max_abs_logprob_diff"] = export.get("parity", {}).get("max_abs")
    figs["parity_base_only_max_abs"] = export.get("parity_base_only", {}).get("max_abs")
    figs["parity_mean_abs"] = export.get("parity", {}).get("mean_abs")
    figs["parity_base_only_mean_abs"] = export.get("parity_base_only", {}).get("mean_abs")
    figs["kept_calls"] = counts
    figs["notes"] = notes
    figs["stage_seconds"] = {k: v.get("seconds") for k, v in timings.items()}
    keys = ("arith_base", "arith_tuned", "arith_tuned_disabled", "handwritten_base", "handwritten_tuned",
            "narration_call_rate", "kept_calls_calendar", "kept_calls_lore", "self_consistency_samples",
            "eval_seconds", "filter_speedup", "adapter_load_s")
    out = {**{k: figs.get(k) for k in keys}, **figs}
    write_text_atomic(out_dir / "eval.json", json.dumps({"figures": out, "examples": res["examples"]}, indent=1))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(args.json, json.dumps(out, indent=1))
    print(json.dumps(out, indent=1))
    if args.docs:
        write_benchmarks(args.docs, out, benchmark_lines(out, bench, timings))
    if args.card:
        from .evaluate import write_card

        training_path = out_dir / "train" / "adapter" / "training.json"
        training = json.loads(training_path.read_text()) if training_path.exists() else {}
        write_card(args.card, out, training, timings, export)
    return 0


CALL_MIN_P = 0.02  # chosen on a development corpus (seed 1), docs/BENCHMARKS.md "Toolformer"


def add_min_p_arg(p: argparse.ArgumentParser) -> None:
    """The two checks on a call that `toolformer eval` and `run` share (agent.inline: `min_p`, `checked`)."""
    p.add_argument("--call-min-p", type=float, default=CALL_MIN_P, metavar="P",
                   help=f"... and only when its probability is at least P (default {CALL_MIN_P}; 0 = the paper's "
                        "top-k alone)")
    p.add_argument("--no-call-check", dest="call_check", action="store_false",
                   help="let the model write any call (default: a call opens with the likeliest real tool, and one "
                        "that fails or finds nothing is taken back and the next tool tried)")
    p.add_argument("--no-call-doubt", dest="call_doubt", action="store_false",
                   help="keep a checked call its tool doubts (default: a Calculator product or quotient no word of "
                        "the text asks for is drawn again, and kept only when no draw does better)")


def add_eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lora", default=None,
                   help="adapter (default: WORK/adapter.gguf if the export stage made one, else the shipped one)")
    p.add_argument("--top-k", type=int, default=10, help="start a call when ' [' is in the top-k (paper 10)")
    add_min_p_arg(p)
    p.add_argument("--eval-limit", type=int, default=None, help="evaluate at most this many prompts per set")
    p.add_argument("--samples", type=int, default=1,
                   help="self-consistency: sample this many call inputs and keep the majority result (1 = greedy)")
    p.add_argument("--temperature", type=float, default=0.7, help="temperature of those samples (default 0.7)")
    p.add_argument("--handwritten", default=None,
                   help="hand-written dev set (default tests/data/toolformer/handwritten_dev.yaml; 'none' = skip)")
    p.add_argument("--columns", default=None,
                   help="only these columns, comma-separated (base, tuned, tuned_disabled, tuned_greedy; default all)")
    p.add_argument("--no-load-time", dest="load_time", action="store_false",
                   help="skip measuring adapter_load_s (10 runs of `adventure model info`)")
    p.add_argument("--json", default=None, help="write the figures to this file")
    p.add_argument("--docs", default=None, help="update the '## Toolformer' section of this markdown file")
    p.add_argument("--card", default=None, help="write the adapter's model card here")
