"""The Toolformer section of docs/BENCHMARKS.md, written from the eval figures.

Only formatting: every number comes from `adventure toolformer eval`'s output,
the filter benchmark and the stage timings; nothing here measures anything.
"""
from __future__ import annotations


def _r(v, nd: int = 3):
    return None if v is None else round(v, nd)


def benchmark_lines(f: dict, bench: dict, timings: dict) -> list[str]:
    pct = lambda v: "–" if v is None else f"{100 * v:.0f}%"
    lines = [
        ("`adventure toolformer all` (default corpus, SmolLM2-135M-Instruct Q4_1, 2 shared CPU cores); "
        "exact answers on held-out problems, greedy, llama.cpp with the shipped adapter, "
        f"call trigger top-k {f.get('top_k')}, at most one call."),
        "",
        "| set | base | tuned, tools | tuned, tools disabled |",
        "|---|---|---|---|",
        (f"| merchant arithmetic (n={f.get('n_arith')}) | {pct(f.get('arith_base'))} | {pct(f.get('arith_tuned'))} | "
        f"{pct(f.get('arith_tuned_disabled'))} |"),
        (f"| SVAMP/ASDiv-style, own templates (n={f.get('n_svamp_style')}) | {pct(f.get('svamp_style_base'))} | "
        f"{pct(f.get('svamp_style_tuned'))} | {pct(f.get('svamp_style_tuned_disabled'))} |"),
        (f"| hand-written dev set (n={f.get('n_handwritten')}) | {pct(f.get('handwritten_base'))} | "
        f"{pct(f.get('handwritten_tuned'))} | {pct(f.get('handwritten_tuned_disabled'))} |"),
        "",
        (f"Self-consistency samples {f.get('self_consistency_samples')} (1 = greedy); tool-free narration prompts "
        f"that got a call: {pct(f.get('narration_call_rate'))}; kept calls Calendar {f.get('kept_calls_calendar')}, "
        f"LoreSearch {f.get('kept_calls_lore')}; adapter start-up cost {f.get('adapter_load_s')} s."),
        "",
        (f"Calls: recall {pct(f.get('call_recall'))} on tool-needing prompts, precision {pct(f.get('call_precision'))} "
        f"(but {f.get('calls_on_narration')} of {f.get('narration_prompts')} tool-free narration prompts "
        "also got a call: "
        "precision is flattered by having more tool-needing prompts than narration ones); "
        f"call result equals the answer in {pct(f.get('call_result_correct'))}."),
        "",
        "Kept calls (texts with a kept call / calls) by tau_f: "
        + "; ".join(f"tau_f {t}: " + ", ".join(f"{tool} {d['texts']}/{d['calls']}" for tool, d in tools.items())
                    for t, tools in (f.get("kept_calls") or {}).items()),
        "",
        (f"Filter: batched/shared {bench.get('batched_per_s')} candidates/s vs naive one-at-a-time "
        f"{bench.get('naive_per_s')} candidates/s = {bench.get('filter_speedup')}x "
        f"(same decisions: {bench.get('same_decisions')}; "
        f"measured on {bench.get('candidates')} candidates of one text). "
        f"Over the whole run the filter scored {timings.get('filter', {}).get('per_s')} candidates/s "
        "(more calls repeat across positions there)."),
        (f"Parity PyTorch (tuned) vs llama.cpp + adapter: max |Δ log p| {_r(f.get('parity_max_abs_logprob_diff'))} "
        f"(mean {_r(f.get('parity_mean_abs'))}) over held-out next tokens; the base alone (no adapter) already differs "
        f"by max {_r(f.get('parity_base_only_max_abs'))} (mean {_r(f.get('parity_base_only_mean_abs'))}): llama.cpp "
        "runs Q4_1 weights with 8-bit activations where PyTorch runs the de-quantised weights in float32."),
        "",
        "Time per stage (s): " + ", ".join(f"{k} {v.get('seconds')}" for k, v in timings.items())
        + " (wall time on 2 cores shared with other jobs; export includes loading the model and the parity check).",
    ]
    return lines
