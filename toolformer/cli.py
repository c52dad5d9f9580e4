"""`adventure toolformer corpus|sample|execute|filter|train|export|eval|run|all`.

Every stage reads and writes JSONL (or the adapter) in a work directory
(default runs/toolformer, git-ignored), records its wall time in
timings.json, and can be re-run on its own; sample and train resume where an
interrupted run stopped. `all` chains the stages loading the PyTorch model once.
Each stage's default input is the previous stage's default output in the same
work directory; `eval` and `run` fall back to the shipped adapter and `eval`
makes its own held-out set (toolformer/eval_cli.py), so both work on a fresh clone.

Deliberately left out: parallel workers (the machine has 2 shared cores),
remote models (the pipeline needs logits and weights).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time

from agent.adapters import SHIPPED_ADAPTER
from agent.backend import ModelError
from agent.files import replacing, write_text_atomic

from .eval_cli import add_eval_args, add_min_p_arg, cmd_eval, default_adapter
from .jsonl import STAGE_LINE_CHARS
from .workdir import lore as _lore
from .workdir import timing as _timing
from .workdir import work as _work

STAGES = ["corpus", "sample", "execute", "filter", "train", "export", "eval"]


# ------------------------------------------------------------------ helpers
class _State:
    """Loads the PyTorch model once per process, on first use."""

    def __init__(self, args) -> None:
        self.args = args
        self._model = None

    def model(self):
        if self._model is None:
            from .model import load_model

            self._model = load_model(self.args.model, self.args.device, self.args.threads)
        return self._model

    def fresh_model(self):
        """Training wraps the model with peft; later stages need the bare one again."""
        model = self.model()
        self._model = None
        return model


# ------------------------------------------------------------------ stages
def cmd_corpus(args, state=None) -> int:
    from .corpus import DEFAULT_SIZES
    from .workdir import write_corpus

    sizes = {k: getattr(args, f"n_{k}") for k in DEFAULT_SIZES if getattr(args, f"n_{k}", None) is not None}
    write_corpus(args, sizes, extra=args.extra)
    return 0


def cmd_sample(args, state=None) -> int:
    from .jsonl import read_jsonl
    from .sample import run_sample

    state = state or _State(args)
    records = list(read_jsonl(_work(args) / "corpus.jsonl", required=("id", "text")))
    records = [r for r in records if r.get("tool")]
    if args.limit:
        records = records[: args.limit]
    settings = {k: v for k, v in (("k", args.k), ("m", args.m)) if v is not None}
    for key in ("tau_s", "min_sites"):
        for tool, value in getattr(args, key) or ():
            if tool:
                settings.setdefault(tool, {})[key] = value
            else:
                settings[key] = value
    model, tok = state.model()
    t0 = time.perf_counter()
    summary = run_sample(model, tok, records, _work(args) / "samples.jsonl", seed=args.seed, settings=settings)
    _timing(args, "sample", time.perf_counter() - t0, settings=settings,
            **{k: v for k, v in summary.items() if k != "seconds"})
    print(f"sample: {summary}")
    return 0


def cmd_execute(args, state=None) -> int:
    from .execute import execute_records
    from .jsonl import read_jsonl, write_jsonl

    t0 = time.perf_counter()
    recs = read_jsonl(_work(args) / "samples.jsonl", required=("id", "text"), max_chars=STAGE_LINE_CHARS)
    n = write_jsonl(_work(args) / "executed.jsonl", execute_records(recs, _lore(args)))
    _timing(args, "execute", time.perf_counter() - t0, texts=n)
    print(f"execute: {n} texts -> executed.jsonl")
    return 0


def cmd_filter(args, state=None) -> int:
    from .evaluate import kept_counts, kept_per_tool
    from .filter import filter_batched, filter_naive, run_filter
    from .jsonl import read_jsonl, write_jsonl
    from .keep_rule import decide
    from .prompts import TAU_F

    recs = list(read_jsonl(_work(args) / "executed.jsonl", required=("id", "text"), max_chars=STAGE_LINE_CHARS))
    state = state or _State(args)
    model, tok = state.model()  # after the input exists: a missing file fails fast, before a 25 s load
    tau = dict(TAU_F)
    if args.tau_f is not None:
        tau = {k: args.tau_f for k in tau}
    # resume: records already filtered (same id and text) are kept, only new ones are scored
    out_path = _work(args) / "filtered.jsonl"
    previous = {(r.get("id"), r.get("text")): r for r in read_jsonl(out_path, max_chars=STAGE_LINE_CHARS)} \
        if out_path.exists() else {}
    todo = [r for r in recs if (r["id"], r["text"]) not in previous]
    t0 = time.perf_counter()
    fresh = {(r["id"], r["text"]): r for r in run_filter(model, tok, todo, tau, tau_min=min(0.5, *tau.values()))}
    secs = time.perf_counter() - t0 + sum(r.get("seconds", 0) for r in previous.values())
    out = [fresh.get((r["id"], r["text"])) or decide(previous[(r["id"], r["text"])], tau) for r in recs]
    write_jsonl(out_path, out)
    n_cand = sum(r["n_candidates"] for r in out)
    bench = {}
    if args.bench_candidates and (args.rebench or not (_work(args) / "filter_bench.json").exists()):
        # the same candidates scored both ways: naive one at a time vs batched/shared
        picked, budget = [], args.bench_candidates
        for r in recs:
            cands = [c for c in r.get("candidates", []) if c.get("ok")][:budget]
            if cands:
                picked.append({**r, "candidates": cands})
                budget -= len(cands)
            if budget <= 0:
                break
        t1 = time.perf_counter()
        naive = [filter_naive(model, tok, r) for r in picked]
        t_naive = time.perf_counter() - t1
        t1 = time.perf_counter()
        fast = [filter_batched(model, tok, r, tau_min=min(0.5, *tau.values())) for r in picked]
        t_fast = time.perf_counter() - t1
        n = sum(len(x) for x in naive)
        pairs = [(a, b) for xs, ys in zip(naive, fast) for a, b in zip(xs, ys)]
        bench = {"candidates": n, "texts": len(picked), "naive_per_s": round(n / t_naive, 3),
                 "batched_per_s": round(n / t_fast, 3), "filter_speedup": round(t_naive / t_fast, 2),
                 "max_abs_L_plus_diff": round(max([abs(a["L_plus"] - b["L_plus"]) for a, b in pairs] or [0]), 5),
                 "same_decisions": all((a["gain"] >= 0.5) == (b["gain"] is not None and b["gain"] >= 0.5)
                                       for a, b in pairs)}
        write_text_atomic(_work(args) / "filter_bench.json", json.dumps(bench, indent=1))
    counts = kept_counts(out)
    write_text_atomic(_work(args) / "kept_counts.json", json.dumps(counts, indent=1))
    per_tool = kept_per_tool(out, tau)
    write_text_atomic(_work(args) / "kept_calls.json", json.dumps(per_tool, indent=1))
    _timing(args, "filter", secs, candidates=n_cand, kept_texts=sum(bool(r["kept"]) for r in out),
            per_s=round(n_cand / max(secs, 1e-9), 2))
    print(f"filter: {n_cand} candidates in {secs:.0f}s, kept calls in {sum(bool(r['kept']) for r in out)} texts; "
          f"kept at each tool's tau_f: {json.dumps(per_tool)}; at tau_f 0.5/1/2: {json.dumps(counts)}"
          + (f"; bench {bench}" if bench else ""))
    return 0


def cmd_train(args, state=None) -> int:
    from agent.adapters import fingerprint

    from .jsonl import read_jsonl, write_jsonl
    from .train import TrainConfig, build_examples, train_lora

    state = state or _State(args)
    work = _work(args)
    filtered = list(read_jsonl(work / "filtered.jsonl", required=("id", "text"), max_chars=STAGE_LINE_CHARS))
    plain = [r for r in read_jsonl(work / "corpus.jsonl", required=("text",)) if not r.get("tool")]
    texts = build_examples(filtered, plain)
    write_jsonl(work / "train.jsonl", ({"text": t} for t in texts))
    cfg = TrainConfig(rank=args.rank, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                      seed=args.seed, save_every=args.save_every, max_steps=args.steps or 0)
    model, tok = state.fresh_model()
    t0 = time.perf_counter()
    summary = train_lora(model, tok, texts, work / "train", cfg, fingerprint(model._adventure_path),
                         resume=not args.no_resume)
    _timing(args, "train", time.perf_counter() - t0, **{k: summary[k] for k in ("steps", "examples", "final_loss")})
    print(f"train: {summary}")
    return 0 if summary["finished"] else 3


def _tuned_torch(args, state):
    """The base model with the trained peft adapter, for the parity check."""
    from peft import PeftModel

    model, tok = state.model()
    return PeftModel.from_pretrained(model, str(_work(args) / "train" / "adapter")).eval(), tok


def cmd_export(args, state=None) -> int:
    from safetensors.torch import load_file

    from agent.adapters import check_adapter, fingerprint

    from .export import export_adapter, parity
    from .jsonl import read_jsonl
    from .model import model_path

    adapter_dir = _work(args) / "train" / "adapter"
    if not (adapter_dir / "adapter_model.safetensors").exists():
        raise ModelError(f"no trained adapter in {adapter_dir}; run `adventure toolformer train` first")
    t0 = time.perf_counter()
    cfg = json.loads((adapter_dir / "adapter_config.json").read_text())
    mpath = model_path(args.model)
    out = _work(args) / "adapter.gguf"
    info = export_adapter(load_file(str(adapter_dir / "adapter_model.safetensors")), cfg["lora_alpha"], mpath, out,
                          fingerprint(mpath), dtype=args.dtype)
    check_adapter(out, mpath)
    result = {"export": info}
    if args.parity:
        state = state or _State(args)
        texts = [r["text"] for r in read_jsonl(_work(args) / "heldout.jsonl", required=("text",))][: args.parity]
        tuned, tok = _tuned_torch(args, state)
        result["parity"] = parity(tuned, tok, mpath, out, texts, n_threads=args.threads)
        with tuned.disable_adapter():
            result["parity_base_only"] = parity(tuned, tok, mpath, None, texts, n_threads=args.threads)
        tuned.unload()
    write_text_atomic(_work(args) / "export.json", json.dumps(result, indent=1))
    if args.ship:
        with replacing(SHIPPED_ADAPTER) as tmp:
            shutil.copyfile(out, tmp)
    _timing(args, "export", time.perf_counter() - t0)
    print(f"export: {json.dumps(result)}" + (f"; shipped to {SHIPPED_ADAPTER}" if args.ship else ""))
    return 0


def cmd_run(args, state=None) -> int:
    from .model import model_path
    from .run import run_text

    lora = None if args.no_lora else str(default_adapter(args, "run"))
    run = run_text(model_path(args.model), lora, args.text, _lore(args), top_k=args.top_k, min_p=args.call_min_p,
                   checked=args.call_check, doubts=args.call_doubt, max_calls=args.max_calls,
                   disabled=args.disabled, max_tokens=args.max_tokens, n_threads=args.threads)
    for call in run.calls:
        print(f"[call] {call.tool}({call.argument}) -> {call.result.text}", file=sys.stderr)
    return 0


def cmd_all(args, state=None) -> int:
    state = _State(args)
    t0 = time.perf_counter()
    for stage in STAGES:
        print(f"== toolformer {stage} ==", file=sys.stderr)
        rc = COMMANDS[stage](args, state)
        if rc:
            print(f"stage {stage} stopped with exit code {rc}; re-run `adventure toolformer all` to resume",
                  file=sys.stderr)
            return rc
    print(f"all stages done in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return 0


COMMANDS = {"corpus": cmd_corpus, "sample": cmd_sample, "execute": cmd_execute, "filter": cmd_filter,
            "train": cmd_train, "export": cmd_export, "eval": cmd_eval, "run": cmd_run, "all": cmd_all}


def _guarded(fn):
    def wrapper(args):
        try:
            return fn(args)
        except (ModelError, FileNotFoundError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    return wrapper


# ------------------------------------------------------------------ argparse
def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--work", default="runs/toolformer", help="work directory (default runs/toolformer)")
    p.add_argument("--model", default=None, help="base GGUF (default: the embedded SmolLM2-135M)")
    p.add_argument("--device", default="cpu", help="cpu (default), cuda or auto")
    p.add_argument("--threads", type=int, default=1,
                   help="CPU threads (default 1: on a shared 2-core machine 1 thread is ~10x faster than 2)")
    p.add_argument("--seed", type=int, default=0)


def _per_tool(kind):
    """'0.01' -> (None, 0.01) for every tool; 'Calendar=0.01' -> ('Calendar', 0.01)."""
    from .prompts import SAMPLING

    def parse(text: str):
        tool, _, value = text.rpartition("=")
        if tool and tool not in SAMPLING:
            raise argparse.ArgumentTypeError(f"unknown tool {tool!r} (one of {', '.join(SAMPLING)})")
        return (tool or None, kind(value))
    return parse


def _stage_args(p: argparse.ArgumentParser, stage: str) -> None:
    from .corpus import DEFAULT_SIZES

    if stage in ("corpus", "all"):
        for k, v in DEFAULT_SIZES.items():
            p.add_argument(f"--n-{k.replace('_', '-')}", dest=f"n_{k}", type=int, default=None, help=f"default {v}")
        p.add_argument("--extra", default=None, help="JSONL of extra {text, tool?} records")
    if stage in ("sample", "all"):
        p.add_argument("--limit", type=int, default=None, help="sample at most this many tool texts")
        p.add_argument("--tau-s", dest="tau_s", type=_per_tool(float), action="append", metavar="[TOOL=]X",
                       help="sampling threshold for every tool, or TOOL=X for one (repeatable; default per tool)")
        p.add_argument("--min-sites", dest="min_sites", type=_per_tool(int), action="append", metavar="[TOOL=]N",
                       help="top-ranked positions sampled even below tau_s (default Calendar/LoreSearch 1)")
        p.add_argument("--k", type=int, default=None, help="override the per-tool k")
        p.add_argument("--m", type=int, default=None, help="override the per-tool m")
    if stage in ("filter", "all"):
        p.add_argument("--tau-f", dest="tau_f", type=float, default=None, help="override per-tool tau_f")
        p.add_argument("--bench-candidates", type=int, default=30,
                       help="candidates for the naive-vs-batched timing (0 = skip)")
        p.add_argument("--rebench", action="store_true", help="re-measure even if filter_bench.json exists")
    if stage in ("train", "all"):
        p.add_argument("--rank", type=int, default=8)
        p.add_argument("--epochs", type=int, default=3)  # the shipped adapter: 3 epochs over 1,240 texts
        p.add_argument("--steps", type=int, default=None, help="fixed number of steps instead of epochs")
        p.add_argument("--lr", type=float, default=1e-3)
        p.add_argument("--batch-size", type=int, default=8)
        p.add_argument("--save-every", type=int, default=10)
        p.add_argument("--no-resume", action="store_true", help="ignore an existing checkpoint")
    if stage in ("export", "all"):
        p.add_argument("--dtype", choices=["f16", "f32"], default="f16")
        p.add_argument("--parity", type=int, default=20, help="held-out texts for the parity check (0 = skip)")
        p.add_argument("--ship", action="store_true", help=f"copy the adapter to {SHIPPED_ADAPTER}")
    if stage in ("eval", "all"):
        add_eval_args(p)

def register(subparsers, bench_subparsers=None) -> None:
    top = subparsers.add_parser("toolformer", help="teach the model to call tools (Toolformer pipeline)")
    sub = top.add_subparsers(dest="toolformer_command", metavar="STAGE", required=True)
    helps = {"corpus": "write the seeded corpus, held-out split and lore", "sample": "sample candidate calls",
             "execute": "run the sampled calls", "filter": "keep calls that lower the loss",
             "train": "LoRA fine-tuning", "export": "GGUF adapter + parity check",
             "eval": "base / tuned / tools disabled", "all": "every stage in order"}
    for stage, text in helps.items():
        p = sub.add_parser(stage, help=text)
        _common(p)
        _stage_args(p, stage)
        p.set_defaults(func=_guarded(COMMANDS[stage]))
    p = sub.add_parser("run", help="decode a text with inline tool calls (llama.cpp + adapter)")
    _common(p)
    p.add_argument("text")
    p.add_argument("--lora", default=None,
                   help="adapter (default: WORK/adapter.gguf if the export stage made one, else the shipped one)")
    p.add_argument("--no-lora", action="store_true")
    p.add_argument("--top-k", type=int, default=10)
    add_min_p_arg(p)
    p.add_argument("--max-calls", type=int, default=1)
    p.add_argument("--disabled", action="store_true", help="tools disabled: ' [' forced to probability 0")
    p.add_argument("--max-tokens", type=int, default=48)
    p.set_defaults(func=_guarded(cmd_run))
    if bench_subparsers is not None:
        b = bench_subparsers.add_parser("toolformer", help="Toolformer evaluation (same as `toolformer eval`)")
        _common(b)
        _stage_args(b, "eval")
        b.set_defaults(func=_guarded(cmd_eval))
