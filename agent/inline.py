"""Inline, Toolformer-style tool calls executed while decoding.

The model writes `[Calculator(7*13) -> ` ; decoding stops at "->", the tool
runs, " 91]" is inserted into the text, and decoding continues from there:

    [Calculator(7*13) -> 91]

Options, as in the paper:
  * `top_k`: start a call whenever " [" is among the k most likely next tokens
    (k = 10 in the paper, 1 keeps the model calibrated, 0 = only when sampled);
  * `disabled`: the probability of " [" (and "[") is forced to zero;
  * `max_calls`: at most this many calls per input (paper: 1).
Backends without logits access (a remote server) ignore `top_k` and still
execute calls the model writes by itself.

Deliberately left out: nested calls, calls whose argument contains ")".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from .backend import Backend, GenerateOptions
from .tools.base import ToolRegistry, ToolResult

OPEN_CALL = re.compile(r"\[\s*([A-Za-z_]\w*)\s*\(([^()\[\]]*)\)\s*$")
ARROW = "->"
CALL_TEXT = re.compile(r"\[\s*([A-Za-z_]\w*)\s*\(([^()\[\]]*)\)\s*(?:->\s*([^\]]*))?\]")


@dataclass
class InlineCall:
    tool: str
    argument: str
    result: ToolResult
    position: int  # character offset of "[" in the generated text


@dataclass
class InlineRun:
    """What `run_inline` did; filled in while it streams."""

    text: str = ""
    calls: list[InlineCall] = field(default_factory=list)


def bracket_token_ids(backend: Backend) -> list[int]:
    """Token ids that open a call: " [" and "[" where each is a single token."""
    ids = [backend.token_id(p) for p in (" [", "[")]
    return sorted({i for i in ids if i is not None})


def parse_calls(text: str) -> list[tuple[str, str, str | None]]:
    """All complete calls in `text`: (tool, argument, result or None)."""
    return [(m.group(1), m.group(2).strip(), m.group(3).strip() if m.group(3) is not None else None)
            for m in CALL_TEXT.finditer(text)]


def run_inline(
    backend: Backend,
    prompt: str,
    registry: ToolRegistry,
    options: GenerateOptions | None = None,
    *,
    top_k: int = 0,
    disabled: bool = False,
    max_calls: int = 1,
    record: InlineRun | None = None,
) -> Iterator[str]:
    """Stream a completion of `prompt`, executing inline tool calls as they close."""
    base = options or GenerateOptions()
    run = record if record is not None else InlineRun()
    brackets = bracket_token_ids(backend)
    remaining = base.max_tokens
    while remaining > 0:
        calls_left = not disabled and len(run.calls) < max_calls
        opts = GenerateOptions(**vars(base))
        opts.max_tokens = remaining
        opts.stop = tuple(base.stop) + ((ARROW,) if calls_left else ())
        opts.banned_token_ids = tuple(base.banned_token_ids) + (() if calls_left else tuple(brackets))
        opts.trigger_token_ids = tuple(brackets) if calls_left and top_k else ()
        opts.trigger_top_k = top_k if calls_left else 0
        produced = ""
        for piece in backend.stream(prompt + run.text, opts):
            produced += piece
            run.text += piece
            yield piece
        stats = backend.last_stats
        remaining -= max(stats.completion_tokens, 1)
        if stats.finish_reason != "stop" or stats.stop_string != ARROW:
            return
        match = OPEN_CALL.search(run.text)
        if match is None:  # an arrow outside a call is just text
            run.text += ARROW
            yield ARROW
            continue
        result = registry.run(match.group(1), match.group(2))
        inserted = f"{ARROW} {result.text}]"
        run.calls.append(InlineCall(match.group(1), match.group(2).strip(), result, match.start()))
        run.text += inserted
        yield inserted
