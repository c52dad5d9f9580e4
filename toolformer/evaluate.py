"""Stage 7: the paper's three columns, call precision/recall, and the figures file.

Columns, all greedy with llama.cpp (the path the game uses):
  * base           — the base model, plain decoding, no tools;
  * tuned          — base + adapter, inline calls: a call starts when " [" is in
                     the top-k (default 10, the paper's), at most one per input,
                     executed at "->" (agent.inline.run_inline);
  * tuned_disabled — base + adapter with " [" forced to probability 0.
Scored on held-out merchant problems and on our SVAMP/ASDiv-style set: the
prompt is the text up to the answer; the answer is the first number the model
writes outside a call, compared exactly (as a number).
The hand-written dev set (toolformer/handwritten.py) is a third set, scored
the same way (base / tuned / tuned_disabled, plus tuned_greedy when
self-consistency is on). `cost` gives seconds and model calls per problem
for every column; `narration_call_rate` = tool-free prompts that got a call.
Calls: recall = share of tool-needing prompts where the tuned model called a
tool; precision = share of all its calls that came on tool-needing prompts
(narration prompts are the negatives).

Deliberately left out: sampling-based decoding, MAWPS, calls of tools other
than the Calculator in the arithmetic columns.
"""
from __future__ import annotations

import re
import time
import zlib
from pathlib import Path

from agent.backend import GenerateOptions
from agent.files import write_text_atomic
from agent.inline import CALL_TEXT, InlineRun, run_inline

from .consistency import Cost, run_consistent
from .execute import registry_for
from .keep_rule import keeps

_NUM = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")


def first_number(text: str) -> str | None:
    """The first number written outside a call (calls, complete or not, are removed)."""
    text = CALL_TEXT.sub(" ", text)
    text = re.sub(r"\[[^\]]*$", " ", text)  # an unfinished call at the end
    m = _NUM.search(text)
    return m.group(0).replace(",", "") if m else None


def same_number(a: str | None, b: str) -> bool:
    if a is None:
        return False
    try:
        return abs(float(a) - float(b)) < 1e-6
    except ValueError:
        return False


def _complete(backend, prompt: str, mode: str, lore, top_k: int, max_tokens: int, rec: dict, samples: int = 1,
              temperature: float = 0.7, cost: Cost | None = None, min_p: float = 0.0,
              checked: bool = False, doubts: bool = True) -> InlineRun:
    opts = GenerateOptions(max_tokens=max_tokens, temperature=0.0, stop=("\n",), role="eval")
    run = InlineRun()
    if mode in ("plain", "disabled"):
        t0 = time.perf_counter()
        if mode == "plain":
            run.text = backend.complete(prompt, opts)
        else:
            for _ in run_inline(backend, prompt, registry_for(rec, lore), opts, top_k=top_k, disabled=True,
                                record=run):
                pass
        if cost is not None:
            cost.model_calls += 1
            cost.seconds += time.perf_counter() - t0
        return run
    return run_consistent(backend, prompt, registry_for(rec, lore), opts, samples=samples, temperature=temperature,
                          seed=zlib.crc32(str(rec.get("id", prompt)).encode()), top_k=top_k, min_p=min_p, record=run,
                          cost=cost, checked=checked, doubts=doubts)


def evaluate(model_path, adapter_path, heldout: list[dict], lore, top_k: int = 10, max_tokens: int = 32,
             limit: int | None = None, n_threads: int = 1, progress: bool = True, handwritten: list[dict] | None = None,
             samples: int = 1, temperature: float = 0.7, columns: tuple[str, ...] | None = None,
             call_min_p: float = 0.0, checked: bool = False, doubts: bool = True) -> dict:
    """Figures per set and column; `samples` > 1 votes over sampled calls in the "tuned" column
    (toolformer/consistency.py), and then the hand-written set also gets a greedy "tuned_greedy" column."""
    import sys

    from tqdm import tqdm

    from agent.llama_backend import LlamaCppBackend

    only = set(columns or ())  # e.g. {"tuned"}: skip columns another run already measured
    sets = {"arith": [r for r in heldout if r["kind"] == "merchant"],
            "svamp_style": [r for r in heldout if r["kind"] == "svamp"]}
    if handwritten:
        sets["handwritten"] = list(handwritten)
    negatives = [r for r in heldout if r["kind"] == "narration"]
    if limit:
        sets = {k: v[:limit] for k, v in sets.items()}
        negatives = negatives[:limit]
    results: dict = {}
    examples: dict = {}
    costs: dict = {}
    t0 = time.perf_counter()
    base = LlamaCppBackend(model_path, n_threads=n_threads, n_ctx=512) if not only or "base" in only else None
    tuned = (LlamaCppBackend(model_path, n_threads=n_threads, n_ctx=512, lora_path=adapter_path)
             if adapter_path else None)
    calls_on_pos = calls_on_neg = pos_total = correct_calls = 0
    try:
        for set_name, recs in sets.items():
            columns: list = [("base", base, "plain", 1)]
            if tuned:
                columns += [("tuned", tuned, "tools", samples), ("tuned_disabled", tuned, "disabled", 1)]
                if samples > 1 and set_name == "handwritten":
                    columns.append(("tuned_greedy", tuned, "tools", 1))
            if only:
                columns = [c for c in columns if c[0] in only]
            for col, backend, mode, k in columns:
                hits, cost = 0, Cost()
                for rec in tqdm(recs, desc=f"eval {set_name} {col}", disable=not progress, file=sys.stderr):
                    run = _complete(backend, rec["text"][: rec["answer_at"]], mode, lore, top_k, max_tokens, rec,
                                    samples=k, temperature=temperature, cost=cost, min_p=call_min_p,
                                    checked=checked, doubts=doubts)
                    got = first_number(run.text)
                    ok = same_number(got, rec["answer"])
                    hits += ok
                    if col == "tuned":
                        pos_total += 1
                        calls_on_pos += bool(run.calls)
                        correct_calls += any(c.result.ok and same_number(c.result.text, rec["answer"])
                                             for c in run.calls)
                    examples.setdefault(f"{set_name}_{col}", []).append(
                        {"prompt": rec["text"][: rec["answer_at"]][-60:], "output": run.text[:120],
                         "answer": rec["answer"], "ok": ok})
                results[f"{set_name}_{col}"] = round(hits / max(1, len(recs)), 4)
                costs[f"{set_name}_{col}"] = {"samples": k, "s_per_problem": round(cost.seconds / max(1, len(recs)), 3),
                                              "model_calls_per_problem": round(cost.model_calls / max(1, len(recs)), 2)}
        if tuned:
            for rec in tqdm(negatives, desc="eval narration", disable=not progress, file=sys.stderr):
                cut = max(12, len(rec["text"]) // 2)
                cut = rec["text"].rfind(" ", 0, cut) if rec["text"].rfind(" ", 0, cut) > 0 else cut
                run = _complete(tuned, rec["text"][:cut], "tools", lore, top_k, max_tokens, rec, min_p=call_min_p,
                                checked=checked, doubts=doubts)
                calls_on_neg += bool(run.calls)
    finally:
        if base:
            base.close()
        if tuned:
            tuned.close()
    total_calls = calls_on_pos + calls_on_neg
    results.update({
        "call_recall": round(calls_on_pos / max(1, pos_total), 4),
        "call_precision": round(calls_on_pos / total_calls, 4) if total_calls else None,
        "calls_on_narration": calls_on_neg, "narration_prompts": len(negatives),
        "narration_call_rate": round(calls_on_neg / len(negatives), 4) if tuned and negatives else None,
        "call_result_correct": round(correct_calls / max(1, pos_total), 4),
        "self_consistency_samples": samples, "self_consistency_temperature": temperature if samples > 1 else None,
        "cost": costs, "top_k": top_k, "call_min_p": call_min_p, "calls_checked": checked,
        "calls_doubted": checked and doubts,
        "n_arith": len(sets["arith"]), "n_svamp_style": len(sets["svamp_style"]),
        "n_handwritten": len(sets.get("handwritten", [])),
        "eval_seconds": round(time.perf_counter() - t0, 1),
    })
    return {"figures": results, "examples": {k: v[:4] for k, v in examples.items()}}


def kept_counts(filtered: list[dict], taus=(0.5, 1.0, 2.0)) -> dict:
    """Texts / calls kept at each tau_f, per tool (the paper's Table 2 shape)."""
    out: dict = {}
    for tau in taus:
        for rec in filtered:
            tool = rec.get("tool", "?")
            kept = [s for s in rec.get("scored", []) if keeps(rec, s, {rec.get("tool"): tau})]
            d = out.setdefault(str(tau), {}).setdefault(tool, {"calls": 0, "texts": 0})
            d["calls"] += len(kept)
            d["texts"] += bool(kept)
    return out


TOOL_KEYS = {"Calculator": "calculator", "Calendar": "calendar", "LoreSearch": "lore"}


def kept_per_tool(filtered: list[dict], tau_f: dict) -> dict:
    """Kept calls and texts per tool, each at its own tau_f: kept_calls_calendar, kept_texts_lore, tool_texts_..."""
    out: dict = {}
    for tool, key in TOOL_KEYS.items():
        recs = [r for r in filtered if r.get("tool") == tool]
        kept = [[s for s in r.get("scored", []) if keeps(r, s, tau_f)] for r in recs]
        out[f"kept_calls_{key}"] = sum(len(k) for k in kept)
        out[f"kept_texts_{key}"] = sum(bool(k) for k in kept)
        out[f"tool_texts_{key}"] = len(recs)
    return out


def write_benchmarks(doc_path: str | Path, figures: dict, extra_lines: list[str]) -> None:
    """Replace (or add) the "## Toolformer" section of docs/BENCHMARKS.md; other sections untouched."""
    path = Path(doc_path)
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    section = "## Toolformer\n\n" + "\n".join(extra_lines).rstrip() + "\n"
    pattern = re.compile(r"^## Toolformer\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    write_text_atomic(path, text.rstrip() + "\n")


def write_card(path: str | Path, figures: dict, training: dict, timings: dict, export: dict) -> None:
    """The adapter's model card, from the run's own files (nothing typed in by hand)."""
    pct = lambda v: "–" if v is None else f"{100 * v:.0f}%"
    from .prompts import sampling_for

    cfg = training.get("config", {})
    kept = figures.get("kept_calls") or {}
    overrides = (timings.get("sample") or {}).get("settings") or {}
    calc, other = sampling_for("Calculator", overrides), sampling_for("Calendar", overrides)
    sampled = (f"Calculator: tau_s {calc['tau_s']}, k {calc['k']}, m {calc['m']}; others: tau_s {other['tau_s']}, "
               f"k {other['k']}, m {other['m']}" + (" — overriding the paper's settings" if overrides else ""))
    lines = [
        "# Toolformer LoRA for SmolLM2-135M-Instruct (Q4_1)",
        "",
        "A llama.cpp LoRA adapter (GGUF, general.type \"adapter\") that teaches the game's default model to call",
        "the Calculator (and, rarely, Calendar / LoreSearch) inline: ` [Calculator(13*22) -> 286] 286`.",
        f"Made by `adventure toolformer all` for base model fingerprint `{training.get('base_fingerprint')}`;",
        "`agent.adapters.shipped_adapter_for(model)` and llama.cpp refuse it for any other model.",
        "",
        "## Data",
        "Seeded synthetic corpus (`toolformer/corpus.py` and its `corpus_*` generators): merchant trades, word",
        "problems of many shapes, orders and phrasings (some with distractor numbers), Calendar and LoreSearch",
        "texts, plus tool-free narration, dialogue and texts whose numbers need no arithmetic.",
        f"Calls were sampled by the base model itself with per-tool few-shot prompts ({sampled}),",
        "executed with `agent.tools`, and kept when they lowered the weighted loss of the next tokens by",
        "tau_f (Calculator 0.5, others 1.0), the call placed as a prefix while filtering, as in the paper.",
        "Kept (texts / calls) per tau_f: " + "; ".join(
            f"{t}: " + ", ".join(f"{tool} {d['texts']}/{d['calls']}" for tool, d in tools.items())
            for t, tools in kept.items()),
        "",
        "## Training",
        (f"LoRA r {cfg.get('rank')}, alpha {cfg.get('alpha')}, on q/k/v/o/gate/up/down; lr {cfg.get('lr')}, "
        f"batch {cfg.get('batch_size')}, {training.get('steps')} steps over {training.get('examples')} texts "
        f"(loss {training.get('first_loss')} -> {training.get('final_loss')}); CPU, seed {cfg.get('seed')}."),
        f"Adapter: {export.get('export', {}).get('bytes', 0) / 1e6:.1f} MB.",
        "",
        "## Figures (held-out, exact answer, greedy, llama.cpp)",
        "| set | base | tuned, tools | tuned, tools disabled |",
        "|---|---|---|---|",
        (f"| merchant arithmetic | {pct(figures.get('arith_base'))} | {pct(figures.get('arith_tuned'))} | "
        f"{pct(figures.get('arith_tuned_disabled'))} |"),
        (f"| SVAMP/ASDiv-style (own) | {pct(figures.get('svamp_style_base'))} | "
         f"{pct(figures.get('svamp_style_tuned'))} | {pct(figures.get('svamp_style_tuned_disabled'))} |"),
        "",
        (f"Call recall {pct(figures.get('call_recall'))}, precision {pct(figures.get('call_precision'))}; "
        f"parity PyTorch vs llama.cpp max |Δ log p| {round(figures.get('parity_max_abs_logprob_diff') or 0, 3)} "
        f"(base alone: {round(figures.get('parity_base_only_max_abs') or 0, 3)})."),
        (f"Decoding: a call starts when \" [\" is in the top {figures.get('top_k')} with probability at least "
         f"{figures.get('call_min_p')}; checked calls (agent.inline): {figures.get('calls_checked')}. Hand-written "
         f"problems {pct(figures.get('handwritten_tuned'))}; tool-free narration prompts with a call "
         f"{pct(figures.get('narration_call_rate'))}."),
        "",
        "Limits: trained on a few dozen synthetic texts; expect calls mainly in merchant-style arithmetic.",
    ]
    write_text_atomic(path, "\n".join(lines) + "\n")
