"""Inference that checks itself (self-consistency, Wang et al. 2022) for one inline call.

`run_consistent` decodes greedily like `agent.inline.run_inline` until the
model opens a call and writes "->". Then, from the text up to "Tool(", it
samples K call inputs at temperature > 0 (each its own seed), runs every one
with the tool, and keeps the result most of them agree on. With `checked`, only
inputs of the best fit vote (those that fit their text, else those their tool
doubts, `agent.inline`). Ties go to the input that uses the most of the
question's numbers (each at most once), then to the earliest sample. The
winning call and its result are put into the text and decoding continues
greedily with no further calls (the paper's one call per input). K = 1 is plain greedy `run_inline`, as before.

Cost: 1 greedy pass to the call, K short samples (the prompt is cached per
role, so each costs only its few tokens), 1 pass after the call; `Cost`
counts model calls and seconds.

Deliberately left out: voting over whole answers without a call (texts where
no call starts are returned as greedy decoded), several calls per input.
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field

from agent.backend import Backend, GenerateOptions
from agent.inline import (
    ARROW,
    OPEN_CALL,
    InlineCall,
    InlineRun,
    bracket_token_ids,
    run_inline,
)
from agent.tools.base import ToolRegistry

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass
class Cost:
    model_calls: int = 0
    seconds: float = 0.0
    samples: list[dict] = field(default_factory=list)  # {"input", "result", "ok"} per sample, all inputs


def numbers_in(text: str) -> list[str]:
    return [n.replace(",", "").rstrip("0").rstrip(".") if "." in n else n.replace(",", "")
            for n in _NUMBER.findall(text)]


def numbers_used(expression: str, question: str) -> int:
    """How many of the question's numbers the expression uses, each at most once."""
    have = Counter(numbers_in(question))
    used = 0
    for n in numbers_in(expression):
        if have[n] > 0:
            have[n] -= 1
            used += 1
    return used


def vote(samples: list[dict], question: str) -> int | None:
    """Index of the winning sample: among ok samples of the best fit (a sample's "fit": 0 fits its text, 1 its
    tool doubts it, 2 misfits; absent = 0), the most common result; ties by numbers used, then sample order."""
    ok = [i for i, s in enumerate(samples) if s["ok"]]
    if not ok:
        return None
    best = min(samples[i].get("fit", 0) for i in ok)
    ok = [i for i in ok if samples[i].get("fit", 0) == best]
    counts = Counter(samples[i]["result"] for i in ok)
    return min(ok, key=lambda i: (-counts[samples[i]["result"]], -numbers_used(samples[i]["input"], question), i))


def fit(registry: ToolRegistry, tool: str, argument: str, context: str, doubts: bool) -> int:
    """0: the argument fits its text; 1: its tool doubts it (`ToolRegistry.doubt`); 2: it misfits."""
    if registry.misfit(tool, argument, context) is not None:
        return 2
    return int(doubts and registry.doubt(tool, argument, context) is not None)


def run_consistent(backend: Backend, prompt: str, registry: ToolRegistry, options: GenerateOptions, *,
                   samples: int = 1, temperature: float = 0.7, seed: int = 0, top_k: int = 10,
                   min_p: float = 0.0, checked: bool = False, doubts: bool = True, record: InlineRun | None = None,
                   cost: Cost | None = None) -> InlineRun:
    """Complete `prompt` with at most one call, chosen by voting over `samples` sampled call inputs."""
    run = record if record is not None else InlineRun()
    cost = cost if cost is not None else Cost()
    t0 = time.perf_counter()
    try:
        if samples <= 1:
            for _ in run_inline(backend, prompt, registry, options, top_k=top_k, min_p=min_p, max_calls=1, record=run,
                                checked=checked, doubts=doubts):
                pass
            cost.model_calls += 1 + len(run.calls)
            return run
        brackets = tuple(bracket_token_ids(backend))
        first = GenerateOptions(**vars(options))
        first.stop = tuple(options.stop) + (ARROW,)
        first.trigger_token_ids, first.trigger_top_k = (brackets, top_k) if top_k else ((), 0)
        first.trigger_min_p = min_p
        text = "".join(backend.stream(prompt, first))
        cost.model_calls += 1
        stats = backend.last_stats
        match = OPEN_CALL.search(text) if stats.finish_reason == "stop" and stats.stop_string == ARROW else None
        if match is None:
            if stats.finish_reason == "stop" and stats.stop_string == ARROW:  # an arrow outside a call: plain greedy
                for _ in run_inline(backend, prompt, registry, options, top_k=top_k, min_p=min_p, max_calls=1,
                                    record=run, checked=checked, doubts=doubts):
                    pass
                cost.model_calls += 1 + len(run.calls)
            else:
                run.text = text
            return run
        tool, head = match.group(1), text[: match.start(2)]
        drawn: list[dict] = []  # this input's samples only (`cost` may add up a whole column)
        for k in range(samples):
            opts = GenerateOptions(max_tokens=24, temperature=temperature, top_p=1.0, seed=seed * 1009 + k,
                                   stop=(")", "\n", "]", ARROW), role=options.role, banned_token_ids=brackets)
            body = "".join(backend.stream(prompt + head, opts))
            cost.model_calls += 1
            st = backend.last_stats
            closed = st.finish_reason == "stop" and st.stop_string == ")" and "(" not in body
            res = registry.run(tool, body.strip()) if closed and body.strip() else None
            drawn.append({"input": body.strip(), "result": res.text if res else None, "ok": bool(res and res.ok),
                          "fit": fit(registry, tool, body.strip(), prompt, doubts) if checked else 0})
        cost.samples += drawn
        won = vote(drawn, prompt)
        arg = drawn[won]["input"] if won is not None else match.group(2).strip()
        result = registry.run(tool, arg)
        run.text = f"{head}{arg}{text[match.end(2):]}{ARROW} {result.text}]"  # the same layout as run_inline
        run.calls.append(InlineCall(tool, arg, result, match.start()))
        rest = GenerateOptions(**vars(options))
        rest.max_tokens = max(1, options.max_tokens - stats.completion_tokens)
        for piece in run_inline(backend, prompt + run.text, registry, rest, top_k=0, max_calls=0):
            run.text += piece
        cost.model_calls += 1
        return run
    finally:
        cost.seconds += time.perf_counter() - t0
