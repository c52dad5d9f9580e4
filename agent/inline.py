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

The call syntax is defined here once, for the game, the villagers and
Toolformer alike: `format_call` writes it, `CALL_TEXT` finds whole calls,
`OPEN_CALL` a call waiting for its result, `CALL_BODY` what a model wrote
after " [", `count_call_starts` any sign of one, and `CallHider` streams text
with each call replaced by its result (what the player sees).

Deliberately left out: nested calls, calls whose argument contains ")" or a
line break.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .backend import Backend, GenerateOptions
from .tools.base import ToolRegistry, ToolResult

ARROW = "->"
CLOSE = "]"
TOOL_NAME = r"[A-Za-z_]\w*"
# `Tool(argument)`: group 1 the tool, group 2 the argument (no brackets, no parentheses, one line)
_CALL_HEAD = rf"({TOOL_NAME})\s*\(([^()\[\]\n]*)\)"
# a whole call, `[Tool(arg)]` or `[Tool(arg) -> result]`; group 3 the result
CALL_TEXT = re.compile(rf"\[\s*{_CALL_HEAD}\s*(?:{ARROW}\s*([^\]]*))?\]")
# a call opened at the end of the text, waiting for its result (decoding stopped at the arrow)
OPEN_CALL = re.compile(rf"\[\s*{_CALL_HEAD}\s*$")
# what a model wrote after " [": one call, up to its arrow or closing bracket
CALL_BODY = re.compile(rf"^\s*{_CALL_HEAD}\s*(?:{ARROW}.*)?\]?\s*$")
# a call the hider gives up on: an opened "[" this long without "]" is plain text
MAX_OPEN_CALL_CHARS = 200


def format_call(tool: str, argument: str, result: str | None = None) -> str:
    """`[Tool(argument)]` or `[Tool(argument) -> result]` (no leading space)."""
    body = f"{tool}({argument})"
    return f"[{body} {ARROW} {result}{CLOSE}" if result is not None else f"[{body}{CLOSE}"


def count_call_starts(text: str, tool_names: Iterable[str]) -> int:
    """How many calls `text` starts: each "[" and each "Tool(" for the named tools."""
    names = "|".join(re.escape(name) for name in tool_names)
    pattern = rf"\[|\b(?:{names})\s*\(" if names else r"\["
    return len(re.findall(pattern, text))


class CallHider:
    """Streams text but swallows `[Tool(args) -> ` up to `]`, emitting only the result.

    Text that is not a call passes unchanged; an unclosed "[" is held until its "]"
    arrives, `MAX_OPEN_CALL_CHARS` pass, or `flush` is called."""

    def __init__(self) -> None:
        self.pending = ""

    def feed(self, piece: str) -> str:
        self.pending += piece
        out = ""
        while self.pending:
            start = self.pending.find("[")
            if start < 0:
                out, self.pending = out + self.pending, ""
                break
            out += self.pending[:start]
            self.pending = self.pending[start:]
            end = self.pending.find(CLOSE)
            if end < 0:
                if len(self.pending) > MAX_OPEN_CALL_CHARS:  # not a call after all
                    out, self.pending = out + self.pending, ""
                break
            call = CALL_TEXT.match(self.pending[: end + 1])
            out += (call.group(3) or "").strip() if call else self.pending[: end + 1]
            self.pending = self.pending[end + 1:]
        return out

    def flush(self) -> str:
        out, self.pending = self.pending, ""
        return out


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
        inserted = f"{ARROW} {result.text}{CLOSE}"
        run.calls.append(InlineCall(match.group(1), match.group(2).strip(), result, match.start()))
        run.text += inserted
        yield inserted
